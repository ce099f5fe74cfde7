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
 * <p>Test-only slowdown ({@link LakeSinkConfig#slowdown()}): with a fraction {@code f > 0} (e.g. {@code 0.3}),
 * each measured section also busy-waits for {@code f} times its own elapsed time, inside the section, so
 * that the busy time and the CPU the sink uses both grow by that fraction and its capacity drops
 * accordingly. The wait is owed per section and paid in chunks of at least {@value #MIN_SPIN_NANOS} ns, so
 * that short sections do not pay for extra clock reads.
 */
final class BusyTime {
    /** The smallest wait paid at once. */
    static final long MIN_SPIN_NANOS = 200_000;

    /** The clocks the sections are timed by; tests give their own so that the figures do not depend on the machine. */
    interface Ticks {
        /** The current thread's CPU time, or the wall clock where the JVM cannot tell it. */
        Ticks SYSTEM = new Ticks() {
            private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

            @Override
            public long cpuNanos() {
                return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
            }

            @Override
            public long wallNanos() {
                return System.nanoTime();
            }
        };

        /** The current thread's CPU time in nanoseconds, for flushes. */
        long cpuNanos();

        /** A monotonic wall clock in nanoseconds, for appends. */
        long wallNanos();
    }

    private final Counter busy;
    private final double slowdown;
    private final Ticks ticks;
    private long debtNanos;

    BusyTime(Counter busy, double slowdown, Ticks ticks) {
        this.busy = busy;
        this.slowdown = slowdown;
        this.ticks = ticks;
    }

    /** The start of a flush, to pass to {@link #endCpu}: the thread's CPU time. */
    long startCpu() {
        return ticks.cpuNanos();
    }

    /**
     * Ends a flush begun at {@code started} (from {@link #startCpu}): spins until the thread has spent the
     * slowdown's share of the flush's CPU time more, then counts the CPU time spent since {@code started}.
     */
    void endCpu(long started) {
        long now = ticks.cpuNanos();
        if (slowdown > 0) {
            long until = now + (long) ((now - started) * slowdown);
            while ((now = ticks.cpuNanos()) < until) {
                Thread.onSpinWait();
            }
        }
        busy.increment((now - started) / 1e9);
    }

    /** The start of an append, to pass to {@link #end}. */
    long start() {
        return ticks.wallNanos();
    }

    /** Ends an append begun at {@code started}: pays any slowdown owed, then counts the append's time. */
    void end(long started) {
        long now = ticks.wallNanos();
        if (slowdown > 0) {
            debtNanos += (long) ((now - started) * slowdown);
            if (debtNanos >= MIN_SPIN_NANOS) {
                long from = now;
                long until = from + debtNanos;
                while ((now = ticks.wallNanos()) < until) {
                    Thread.onSpinWait();
                }
                debtNanos -= now - from;
            }
        }
        busy.increment((now - started) / 1e9);
    }
}
