package io.fleetbench.benchmarks.stage;

import java.lang.management.ManagementFactory;

/**
 * The wall time and the process's CPU time (every thread: GC, JIT and library threads as well as
 * the measured one) of a measured part of a round.
 */
final class Meter {
    private final long wallStart = System.nanoTime();
    private final long cpuStart = processCpuNanos();
    private double wallSeconds;
    private double cpuSeconds;

    /** Ends the measurement; the figures are read afterwards. */
    Meter stop() {
        wallSeconds = Math.max(1e-9, (System.nanoTime() - wallStart) / 1e9);
        cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        return this;
    }

    double wallSeconds() {
        return wallSeconds;
    }

    double cpuSeconds() {
        return cpuSeconds;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
