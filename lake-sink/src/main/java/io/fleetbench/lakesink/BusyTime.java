package io.fleetbench.lakesink;

import io.micrometer.core.instrument.Counter;

/**
 * Measures one writer's own work (appending, finishing and committing files) into the sink's busy-time
 * counter, {@code fleetbench_sink_busy_seconds_total}. Used by one thread, like its writer.
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

    /** The start of a measured section, to pass to {@link #end}. */
    long start() {
        return System.nanoTime();
    }

    /** Ends a section begun at {@code started}: pays any slowdown owed, then counts the section's time. */
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
