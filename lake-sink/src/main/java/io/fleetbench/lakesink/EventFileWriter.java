package io.fleetbench.lakesink;

import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Encodes one partition's events of one family as Parquet data files below a table root. */
final class EventFileWriter {

    /** A data file written below the table root. */
    record WrittenFile(Map<String, String> partitionValues, String relativePath, long sizeBytes, long rows,
                       String escapedStats) {
    }

    private static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

    private final Configuration conf;
    private final EventSchema schema;
    private final Path tableRoot;
    private final long targetFileBytes;

    EventFileWriter(Configuration conf, EventSchema schema, Path tableRoot, long targetFileBytes) {
        this.conf = conf;
        this.schema = schema;
        this.tableRoot = tableRoot;
        this.targetFileBytes = targetFileBytes;
    }

    /** Writes the events into as few files as the target size allows (one unless they exceed it). */
    List<WrittenFile> write(Partition partition, List<TelemetryEvent> events) {
        List<WrittenFile> files = new ArrayList<>();
        int i = 0;
        try {
            FileSystem fs = tableRoot.getFileSystem(conf);
            while (i < events.size()) {
                String relative = partition.directory() + "/part-" + UUID.randomUUID() + "." + CODEC.name().toLowerCase()
                        + ".parquet";
                Path path = new Path(tableRoot, relative);
                FileStats stats = new FileStats(schema);
                try (ParquetWriter<TelemetryEvent> writer = new Builder(HadoopOutputFile.fromPath(path, conf), schema)
                        .withConf(conf)
                        .withCompressionCodec(CODEC)
                        .withWriteMode(ParquetFileWriter.Mode.CREATE)
                        .build()) {
                    do {
                        TelemetryEvent e = events.get(i++);
                        writer.write(e);
                        stats.add(e);
                    } while (i < events.size() && writer.getDataSize() < targetFileBytes);
                }
                long size = fs.getFileStatus(path).getLen();
                files.add(new WrittenFile(partition.values(), relative, size, stats.rows(), stats.toEscapedJson()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + schema.family().wireName() + " partition "
                    + partition.directory() + " under " + tableRoot, e);
        }
        return files;
    }

    private static final class Builder extends ParquetWriter.Builder<TelemetryEvent, Builder> {
        private final EventSchema schema;

        Builder(OutputFile file, EventSchema schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<TelemetryEvent> getWriteSupport(Configuration conf) {
            return new EventWriteSupport(schema);
        }
    }
}
