package io.fleetbench.lakesink;

import io.fleetbench.sink.SinkRecord;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.OutputFile;

import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;

/**
 * Encodes one event family's rows into a Parquet file as the sink's data files are written (the table's
 * columns, the records' provenance included, the sink's compression and dictionary-encoded columns, a
 * given row-group size) and gathers the statistics the sink commits with the file, with no table,
 * partitioning or commit around it: Parquet encoding alone, as benchmarks measure it. Not thread-safe.
 */
public final class EventParquetWriter implements Closeable {
    private final ParquetWriter<SinkRecord> writer;
    private final RowFormat.RowStats<SinkRecord> stats;
    private final EventFamily family;

    private EventParquetWriter(EventFamily family, ParquetWriter<SinkRecord> writer,
                               RowFormat.RowStats<SinkRecord> stats) {
        this.family = family;
        this.writer = writer;
        this.stats = stats;
    }

    /**
     * Starts a file.
     *
     * @param family        the rows' family: every row written must be of it
     * @param shard         the shard every row records, as the sink's writer of that shard writes it
     * @param file          where the bytes go; it must not exist yet
     * @param conf          the Hadoop configuration Parquet reads its settings from
     * @param rowGroupBytes the row-group size, as {@link LakeSinkConfig#rowGroupBytes()}
     */
    public static EventParquetWriter open(EventFamily family, String shard, OutputFile file, Configuration conf,
                                          long rowGroupBytes) throws IOException {
        EventFormat format = new EventFormat(EventSchema.of(Objects.requireNonNull(family, "family")), shard);
        return new EventParquetWriter(family, format.open(file, conf, rowGroupBytes), format.newStats());
    }

    /**
     * Encodes one record's row (its event and position) and adds it to the file's statistics.
     *
     * @throws IllegalArgumentException if the event is of another family
     */
    public void write(SinkRecord record) throws IOException {
        if (record.event().family() != family) {
            throw new IllegalArgumentException("expected a " + family.wireName() + " event, found "
                    + record.event().family().wireName());
        }
        writer.write(record);
        stats.add(record);
    }

    /** Bytes written so far, including the row group still in memory (Parquet's estimate). */
    public long dataSize() {
        return writer.getDataSize();
    }

    /** The file's statistics so far, as the escaped JSON string a Delta AddFile carries. */
    public String statsJson() {
        return stats.toEscapedJson();
    }

    /** Writes the footer and closes the file. */
    @Override
    public void close() throws IOException {
        writer.close();
    }
}
