package io.fleetbench.lakesink;

import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.TelemetryEvent;

import java.math.BigInteger;

/** Deterministic events and records for tests. */
final class TestEvents {
    /** 2024-03-01T00:00:00Z. */
    static final long BASE_MILLIS = 1_709_251_200_000L;

    private TestEvents() {
    }

    /** The i-th event: even ones are cars, odd ones bikes, spread over {@code hours} hours. */
    static TelemetryEvent event(int i, int hours) {
        long time = BASE_MILLIS + (long) (i % hours) * 3_600_000L + i;
        String id = "evt-" + i;
        if (i % 2 == 0) {
            return new CarTelemetry(id, "car-" + (i % 17), i + 1L, time, time + 5, 1, (i % 400) * 0.5,
                    45.0 + i * 1e-6, 7.0 - i * 1e-6, i % 6000, i % 7, 1000.0 + i, (i % 100) * 1.0, 90.0, 12.5,
                    230.0 + i % 20, 231.5, 229.0, 240.0 - i % 20, i % 3 == 0 ? CarTelemetry.ELECTRIC : CarTelemetry.COMBUSTION);
        }
        return new BikeMetrics(id, "bike-" + (i % 13), i + 1L, time, time + 5, 1, i % 120, i % 100, i % 900,
                60 + i % 120, (i % 50) * 0.75, i * 2.0, i * 0.1);
    }

    static SinkRecord record(int i, int hours) {
        return new SinkRecord(position(i), event(i, hours));
    }

    static SourcePosition position(int i) {
        return new SourcePosition(BigInteger.valueOf(49_000_000_000L).shiftLeft(64).add(BigInteger.valueOf(i)), 0);
    }
}
