package io.fleetbench.telemetry;

import java.util.Optional;

/** A family of events that share one schema and land in one Delta table. */
public enum EventFamily {
    /** Periodic signals of a connected car while it drives (COVESA VSS). */
    CAR_TELEMETRY("car_telemetry"),
    /** Per-second ride metrics of a connected spin bike (Bluetooth FTMS indoor bike data). */
    BIKE_METRICS("bike_metrics");

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
