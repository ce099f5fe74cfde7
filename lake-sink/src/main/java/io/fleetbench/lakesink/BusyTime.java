package io.fleetbench.lakesink;

import io.micrometer.core.instrument.Counter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Measures one writer's own work (appending, finishing and committing files) into the sink's busy-time
 * counter, {@code fleetbench_sink_busy_seconds_total}. Used by one thread, like its writer.
 *
 * <p>Appends are short (microseconds) and many, so they are timed by the wall clock, which is cheap to
 * read. Flushes are long and few, and much of their wall time is waiting: for the disk, or for another
 * writer's commit to the same table. They are timed by the thread's CPU time, so that the figure
 * measures the sink's work rather than how busy the machine or the other writers were.
 *
 * <p>Test-only slowdown: with the JVM system property {@value #SLOWDOWN_PROPERTY} set to a fraction
 * {@code f} (e.g. {@code 0.3}), each measured section also busy-waits for {@code f} times its own
 * elapsed time, inside the section, so that the busy time and the CPU the sink uses both grow by that
 * fraction and its capacity drops accordingly. The wait is owed per section and paid in chunks of at
 * least {@value #MIN_SPIN_NANOS} ns, so that short sections do not pay for extra clock reads. It exists
 * to show that a comparison of two builds catches a slower sink; never set it outside tests.
 */
final class BusyTime {
    /** The system property of the test-only slowdown, a fraction >= 0. */
    static final String SLOWDOWN_PROPERTY = "fleetbench.test.sinkSlowdown";
    /** The smallest wait paid at once. */
    static final long MIN_SPIN_NANOS = 200_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Counter busy;
    private final double slowdown;
    private long debtNanos;

    BusyTime(Counter busy, double slowdown) {
        this.busy = busy;
        this.slowdown = slowdown;
    }

    /**
     * The slowdown the system property asks for, 0 when it is not set.
     *
     * @throws IllegalArgumentException if it is not a finite number >= 0
     */
    static double slowdownFromSystemProperty() {
        String value = System.getProperty(SLOWDOWN_PROPERTY);
        if (value == null || value.isBlank()) {
            return 0;
        }
        double f;
        try {
            f = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + SLOWDOWN_PROPERTY
                    + " must be a fraction >= 0, such as 0.3; found \"" + value + "\"");
        }
        if (!Double.isFinite(f) || f < 0) {
            throw new IllegalArgumentException("system property " + SLOWDOWN_PROPERTY
                    + " must be a fraction >= 0, such as 0.3; found \"" + value + "\"");
        }
        return f;
    }

    /** The start of a flush, to pass to {@link #endCpu}: the thread's CPU time. */
    long startCpu() {
        return cpuNanos();
    }

    /**
     * Ends a flush begun at {@code started} (from {@link #startCpu}): spins until the thread has spent the
     * slowdown's share of the flush's CPU time more, then counts the CPU time spent since {@code started}.
     */
    void endCpu(long started) {
        long now = cpuNanos();
        if (slowdown > 0) {
            long until = now + (long) ((now - started) * slowdown);
            while ((now = cpuNanos()) < until) {
                Thread.onSpinWait();
            }
        }
        busy.increment((now - started) / 1e9);
    }

    /** The current thread's CPU time, or the wall clock where the JVM cannot tell it. */
    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** The start of an append, to pass to {@link #end}. */
    long start() {
        return System.nanoTime();
    }

    /** Ends an append begun at {@code started}: pays any slowdown owed, then counts the append's time. */
    void end(long started) {
        long now = System.nanoTime();
        if (slowdown > 0) {
            debtNanos += (long) ((now - started) * slowdown);
            if (debtNanos >= MIN_SPIN_NANOS) {
                long from = now;
                long until = from + debtNanos;
                while ((now = System.nanoTime()) < until) {
                    Thread.onSpinWait();
                }
                debtNanos -= now - from;
            }
        }
        busy.increment((now - started) / 1e9);
    }
}
