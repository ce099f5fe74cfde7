package io.fleetbench.lakesink;

import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.ColumnType;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;
import org.apache.parquet.hadoop.api.WriteSupport;

import java.util.HashSet;
import java.util.Set;

/** The rows of an event family's table: partitioned by the event time's UTC date and hour. */
final class EventFormat implements RowFormat<TelemetryEvent> {
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final String EVENT_ID = "event_id";

    private final EventSchema schema;
    private final Set<String> dictionaryColumns;

    EventFormat(EventSchema schema) {
        this.schema = schema;
        Set<String> columns = new HashSet<>();
        for (Column c : schema.columns()) {
            // Device ids, enumerations and small integers repeat within a file; event ids, times and measurements do not.
            boolean repeats = (c.type() == ColumnType.STRING && !c.name().equals(EVENT_ID)) || c.type() == ColumnType.INT;
            if (repeats) {
                columns.add(c.name());
            }
        }
        this.dictionaryColumns = Set.copyOf(columns);
    }

    @Override
    public Set<String> dictionaryColumns() {
        return dictionaryColumns;
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
