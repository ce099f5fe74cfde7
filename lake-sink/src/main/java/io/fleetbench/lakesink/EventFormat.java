package io.fleetbench.lakesink;

import io.fleetbench.sink.SinkRecord;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.ColumnType;
import io.fleetbench.telemetry.EventSchema;
import org.apache.parquet.hadoop.api.WriteSupport;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The rows of an event family's table as one shard's writer writes them: each record's event and its
 * {@link Provenance} (the shard and the record's position), partitioned by the event time's UTC date and
 * hour.
 */
final class EventFormat implements RowFormat<SinkRecord> {
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final String EVENT_ID = "event_id";
    private static final Set<String> PROVENANCE_WITHOUT_PARQUET_STATISTICS =
            Set.of(Provenance.SHARD, Provenance.SEQUENCE_NUMBER);

    private final EventSchema schema;
    private final String shard;
    private final Set<String> dictionaryColumns;

    /**
     * @param shard the shard every row records
     */
    EventFormat(EventSchema schema, String shard) {
        this.schema = schema;
        this.shard = Objects.requireNonNull(shard, "shard");
        Set<String> columns = new HashSet<>();
        for (Column c : schema.columns()) {
            // Device ids, enumerations and small integers repeat within a file; event ids, times and measurements do not.
            boolean repeats = (c.type() == ColumnType.STRING && !c.name().equals(EVENT_ID)) || c.type() == ColumnType.INT;
            if (repeats) {
                columns.add(c.name());
            }
        }
        // One shard per writer, so one value per file; sequence numbers differ on every row but a few.
        columns.add(Provenance.SHARD);
        this.dictionaryColumns = Set.copyOf(columns);
    }

    @Override
    public Set<String> dictionaryColumns() {
        return dictionaryColumns;
    }

    /**
     * The provenance's shard and sequence number: the file's Delta statistics state their bounds, the shard
     * is one value per file, and sequence numbers are long strings that share most of their digits, so
     * Parquet's byte-by-byte comparisons of every value cost more than all else these columns add.
     */
    @Override
    public Set<String> columnsWithoutParquetStatistics() {
        return PROVENANCE_WITHOUT_PARQUET_STATISTICS;
    }

    /** The hour since the epoch of the event's time. */
    @Override
    public long partitionKey(SinkRecord record) {
        return Math.floorDiv(record.event().eventTimeMillis(), HOUR_MILLIS);
    }

    @Override
    public PartitionSpec partition(long hourSinceEpoch) {
        Partition p = Partition.ofMillis(hourSinceEpoch * HOUR_MILLIS);
        return new PartitionSpec(p.values(), p.directory());
    }

    @Override
    public WriteSupport<SinkRecord> writeSupport() {
        return new EventWriteSupport(schema, shard);
    }

    @Override
    public RowStats<SinkRecord> newStats() {
        return new FileStats(schema, shard);
    }
}
