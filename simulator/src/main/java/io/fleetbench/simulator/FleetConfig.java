package io.fleetbench.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The simulated fleet: how many cars and bikes, how often each reports, and the seed that makes
 * every device's event sequence reproducible.
 *
 * @param seed                  seed of every device's random state; the same seed gives the same events
 *                              per device. Default 42.
 * @param cars                  number of cars, 0 to {@value #MAX_DEVICES_PER_FAMILY}. Default 1,000.
 * @param bikes                 number of bikes, 0 to {@value #MAX_DEVICES_PER_FAMILY}. Default 1,000.
 * @param reportingInterval     device time between two telemetry events of a driving car, 2 ms to
 *                              1 hour. Default 1 s.
 * @param startEpochMillis      device time at which the fleet starts, epoch milliseconds; 0 means the
 *                              wall clock when the fleet is created. Default 0. Pin it to make event
 *                              times reproducible too; activity curves read its UTC time of day.
 * @param electricShare         share of cars that are electric, 0 to 1. Default 0.3.
 * @param bikeReportingInterval device time between two metrics events of a riding bike, 2 ms to 1 hour.
 *                              Default 1 s.
 * @param classes               the spin-class schedule bikes ride to. Default {@link BikeClasses#defaults()}.
 * @param hotDevices            partition-key skew under a fixed arrival rate. Default none.
 * @param fleetDriven           present: the fleet drives the load (its devices send when due, device
 *                              time compressed) instead of a fixed arrival rate. Default empty.
 * @param faults                data faults injected between generation and sending. Default none.
 */
public record FleetConfig(long seed, int cars, int bikes, Duration reportingInterval, long startEpochMillis,
                          double electricShare, Duration bikeReportingInterval, BikeClasses classes,
                          HotDevices hotDevices, Optional<FleetDriven> fleetDriven, FaultConfig faults) {
    /** The most devices of one family; device indexes must fit in the event id. */
    public static final int MAX_DEVICES_PER_FAMILY = 1 << 29;

    public FleetConfig {
        Objects.requireNonNull(reportingInterval, "reportingInterval");
        Objects.requireNonNull(bikeReportingInterval, "bikeReportingInterval");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(hotDevices, "hotDevices");
        Objects.requireNonNull(fleetDriven, "fleetDriven");
        Objects.requireNonNull(faults, "faults");
        if (cars < 0 || cars > MAX_DEVICES_PER_FAMILY || bikes < 0 || bikes > MAX_DEVICES_PER_FAMILY) {
            throw new IllegalArgumentException("cars and bikes must each be in [0, " + MAX_DEVICES_PER_FAMILY
                    + "], found cars=" + cars + ", bikes=" + bikes);
        }
        if (cars + (long) bikes == 0) {
            throw new IllegalArgumentException("a fleet needs at least one device, found cars=0, bikes=0");
        }
        if (cars + (long) bikes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cars + bikes must be < 2^31 - 8, found " + (cars + (long) bikes));
        }
        checkInterval("reportingInterval", reportingInterval);
        checkInterval("bikeReportingInterval", bikeReportingInterval);
        if (startEpochMillis < 0) {
            throw new IllegalArgumentException("startEpochMillis must be >= 0 (0 = now), found " + startEpochMillis);
        }
        if (!(electricShare >= 0 && electricShare <= 1)) {
            throw new IllegalArgumentException("electricShare must be in [0, 1], found " + electricShare);
        }
    }

    private static void checkInterval(String name, Duration d) {
        if (d.compareTo(Duration.ofMillis(2)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(name + " must be in [2 ms, 1 h], found " + d);
        }
    }

    /**
     * The defaults: seed 42, 1,000 cars (30 % electric), 1,000 bikes, 1 s intervals, default classes,
     * starting now, no skew, a fixed arrival rate, no faults.
     */
    public static FleetConfig defaults() {
        return new FleetConfig(42, 1_000, 1_000, Duration.ofSeconds(1), 0, 0.3, Duration.ofSeconds(1),
                BikeClasses.defaults(), HotDevices.NONE, Optional.empty(), FaultConfig.none());
    }

    /** This config with another seed. */
    public FleetConfig withSeed(long seed) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** This config with other device counts. */
    public FleetConfig withDevices(int cars, int bikes) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** This config with another car reporting interval. */
    public FleetConfig withReportingInterval(Duration reportingInterval) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** This config with another bike reporting interval. */
    public FleetConfig withBikeReportingInterval(Duration bikeReportingInterval) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** This config with a pinned start of device time. */
    public FleetConfig withStartEpochMillis(long startEpochMillis) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** This config with another share of electric cars. */
    public FleetConfig withElectricShare(double electricShare) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** This config with another class schedule. */
    public FleetConfig withClasses(BikeClasses classes) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** This config with partition-key skew. */
    public FleetConfig withHotDevices(HotDevices hotDevices) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** This config driving the load from the fleet's activity, with device time compressed. */
    public FleetConfig withFleetDriven(FleetDriven mode) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, Optional.of(mode), faults);
    }

    /** This config with data faults. */
    public FleetConfig withFaults(FaultConfig faults) {
        return new FleetConfig(seed, cars, bikes, reportingInterval, startEpochMillis, electricShare,
                bikeReportingInterval, classes, hotDevices, fleetDriven, faults);
    }

    /** Total number of devices. */
    public int devices() {
        return cars + bikes;
    }
}
