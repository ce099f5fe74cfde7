package io.fleetbench.simulator;

/**
 * Fleet-driven load: devices send when their own timelines say so, and device time runs
 * {@code timeCompression} times faster than the wall clock (24 plays a fleet-day in an hour).
 *
 * @param timeCompression device seconds per wall-clock second, in [0.001, 100,000]. Default 1.
 */
public record FleetDriven(double timeCompression) {

    public FleetDriven {
        if (!(timeCompression >= 0.001 && timeCompression <= 100_000)) {
            throw new IllegalArgumentException("timeCompression must be in [0.001, 100000], found " + timeCompression);
        }
    }

    /** Real time: one device second per wall-clock second. */
    public static FleetDriven realTime() {
        return new FleetDriven(1);
    }
}
