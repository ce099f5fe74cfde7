package io.fleetbench.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * The simulated fleet: how many cars and bikes, how often each reports, and the seed that makes
 * every device's event sequence reproducible.
 *
 * @param seed              seed of every device's random state; the same seed gives the same events
 *                          per device. Default 42.
 * @param cars              number of cars, 0 to {@value #MAX_DEVICES_PER_FAMILY}. Default 1,000.
 * @param bikes             number of bikes, 0 to {@value #MAX_DEVICES_PER_FAMILY}. Default 1,000.
 * @param reportingInterval simulated time between two events of one device, 1 ms to 1 hour.
 *                          Default 1 s. Device time advances by this much per event whatever the
 *                          target rate, so a rate above the fleet's natural rate
 *                          ({@code (cars + bikes) / reportingInterval}) runs device time faster
 *                          than the wall clock.
 * @param startEpochMillis  device time of the fleet's first event, epoch milliseconds; 0 means the
 *                          wall clock when the fleet is created. Default 0. Pin it to make event
 *                          times reproducible too.
 */
public record FleetConfig(long seed, int cars, int bikes, Duration reportingInterval, long startEpochMillis) {
    /** The most devices of one family; device indexes must fit in the event id. */
    public static final int MAX_DEVICES_PER_FAMILY = 1 << 29;

    public FleetConfig {
        Objects.requireNonNull(reportingInterval, "reportingInterval");
        if (cars < 0 || cars > MAX_DEVICES_PER_FAMILY || bikes < 0 || bikes > MAX_DEVICES_PER_FAMILY) {
            throw new IllegalArgumentException("cars and bikes must each be in [0, " + MAX_DEVICES_PER_FAMILY
                    + "], found cars=" + cars + ", bikes=" + bikes);
        }
        if (cars + (long) bikes == 0) {
            throw new IllegalArgumentException("a fleet needs at least one device, found cars=0, bikes=0");
        }
        if (reportingInterval.compareTo(Duration.ofMillis(1)) < 0 || reportingInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("reportingInterval must be in [1 ms, 1 h], found " + reportingInterval);
        }
        if (startEpochMillis < 0) {
            throw new IllegalArgumentException("startEpochMillis must be >= 0 (0 = now), found " + startEpochMillis);
        }
    }

    /** The defaults: seed 42, 1,000 cars, 1,000 bikes, 1 s interval, starting now. */
    public static FleetConfig defaults() {
        return new FleetConfig(42, 1_000, 1_000, Duration.ofSeconds(1), 0);
    }

    /** This config with another seed. */
    public FleetConfig withSeed(long seed) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis);
    }

    /** This config with other device counts. */
    public FleetConfig withDevices(int cars, int bikes) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis);
    }

    /** This config with another reporting interval. */
    public FleetConfig withReportingInterval(Duration reportingInterval) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis);
    }

    /** This config with a pinned start of device time. */
    public FleetConfig withStartEpochMillis(long startEpochMillis) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis);
    }

    /** Total number of devices. */
    public int devices() {
        return cars + bikes;
    }
}
