package io.fleetbench.sink;

import io.fleetbench.telemetry.TelemetryEvent;

import java.util.Objects;

/**
 * A decoded event and where it came from in its source. The sink keeps the position with the event's
 * row, beside the shard its writer was opened for.
 */
public record SinkRecord(SourcePosition position, TelemetryEvent event) {
    public SinkRecord {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(event, "event");
    }
}
