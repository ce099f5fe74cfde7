package io.fleetbench.telemetry;

import java.util.Optional;

/** A family of events that share one schema and land in one Delta table. */
public enum EventFamily {
    /** Periodic signals of a connected car while it drives (COVESA VSS). */
    CAR_TELEMETRY("car_telemetry"),
    /** Per-second ride metrics of a connected spin bike (Bluetooth FTMS indoor bike data). */
    BIKE_METRICS("bike_metrics"),
    /** Start and end of a car's trip, with the trip's totals at the end. */
    CAR_TRIP("car_trip"),
    /** Diagnostic trouble codes (SAE J2012) a car raised or cleared. */
    CAR_DTC("car_dtc"),
    /** A car's ignition switched on or off. */
    CAR_IGNITION("car_ignition"),
    /** Start and end of a ride on a spin bike, with the ride's totals at the end. */
    BIKE_SESSION("bike_session");

    private final String wireName;

    EventFamily(String wireName) {
        this.wireName = wireName;
    }

    /** The name used as the {@code type} field on the wire and as the Delta table name. */
    public String wireName() {
        return wireName;
    }

    /** Looks a family up by its wire name. */
    public static Optional<EventFamily> fromWireName(String name) {
        for (EventFamily f : values()) {
            if (f.wireName.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
