package io.fleetbench.runner;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.CarTelemetry;

/** Valid events with ids and device sequence numbers that follow from an index, for pipeline tests. */
public final class TestEvents {
    private static final long BASE_MILLIS = 1_700_000_000_000L;

    private TestEvents() {
    }

    /** The i-th car event: id {@code car-event-<i>}, one of 50 cars, one second apart. */
    public static CarTelemetry car(int i) {
        long t = BASE_MILLIS + i * 1_000L;
        return new CarTelemetry("car-event-" + i, "car-" + (i % 50), i / 50 + 1, t, t + 20, 1,
                87.5, 48.137154, 11.576124, 2450, 4, 12_345.6, 63.2, 88.0, 14.1, 236.5, 237.0, 231.2, 230.8,
                CarTelemetry.COMBUSTION);
    }

    /** The i-th bike event: id {@code bike-event-<i>}, one of 50 bikes, one second apart. */
    public static BikeMetrics bike(int i) {
        long t = BASE_MILLIS + i * 1_000L;
        return new BikeMetrics("bike-event-" + i, "bike-" + (i % 50), i / 50 + 1, t, t + 20, 1,
                92, 35, 210, 141, 31.2, 5_400.0, 180.5);
    }
}
