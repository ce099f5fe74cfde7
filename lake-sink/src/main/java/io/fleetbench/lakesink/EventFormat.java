package io.fleetbench.lakesink;

import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;
import org.apache.parquet.hadoop.api.WriteSupport;

/** The rows of an event family's table: partitioned by the event time's UTC date and hour. */
final class EventFormat implements RowFormat<TelemetryEvent> {
    private static final long HOUR_MILLIS = 3_600_000L;

    private final EventSchema schema;

    EventFormat(EventSchema schema) {
        this.schema = schema;
    }

    /** The hour since the epoch of the event's time. */
    @Override
    public long partitionKey(TelemetryEvent event) {
        return Math.floorDiv(event.eventTimeMillis(), HOUR_MILLIS);
    }

    @Override
    public PartitionSpec partition(long hourSinceEpoch) {
        Partition p = Partition.ofMillis(hourSinceEpoch * HOUR_MILLIS);
        return new PartitionSpec(p.values(), p.directory());
    }

    @Override
    public WriteSupport<TelemetryEvent> writeSupport() {
        return new EventWriteSupport(schema);
    }

    @Override
    public RowStats<TelemetryEvent> newStats() {
        return new FileStats(schema);
    }
}
