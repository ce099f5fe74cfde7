package io.fleetbench.lakesink;

import io.delta.standalone.types.BinaryType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.delta.standalone.types.TimestampType;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Encodes dead letters as Parquet data files of the dead-letter table, one file per arrival date. */
final class DeadLetterFileWriter {
    /** The partition column: the UTC date of {@code arrived_at}, {@code yyyy-MM-dd}. */
    static final String DATE_COLUMN = "arrival_date";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;
    private static final MessageType MESSAGE_TYPE = new MessageType(DeltaTable.DEAD_LETTERS,
            Types.required(PrimitiveTypeName.BINARY).named("raw"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("reason"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("message"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("stream"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("shard"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("sequence_number"),
            Types.required(PrimitiveTypeName.INT64).named("sub_sequence_number"),
            Types.required(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                    .named("arrived_at"));

    private final Configuration conf;
    private final Path tableRoot;

    DeadLetterFileWriter(Configuration conf, Path tableRoot) {
        this.conf = conf;
        this.tableRoot = tableRoot;
    }

    /** The table's Delta schema: the data columns, then the partition column. */
    static StructType deltaSchema() {
        return new StructType(new StructField[]{
                new StructField("raw", new BinaryType(), false),
                new StructField("reason", new StringType(), false),
                new StructField("message", new StringType(), false),
                new StructField("stream", new StringType(), false),
                new StructField("shard", new StringType(), false),
                new StructField("sequence_number", new StringType(), false),
                new StructField("sub_sequence_number", new LongType(), false),
                new StructField("arrived_at", new TimestampType(), false),
                new StructField(DATE_COLUMN, new StringType(), false)});
    }

    /** Writes the dead letters, one file per arrival date (dead letters are few and small). */
    List<EventFileWriter.WrittenFile> write(List<DeadLetter> letters) {
        Map<String, List<DeadLetter>> byDate = new LinkedHashMap<>();
        for (DeadLetter d : letters) {
            byDate.computeIfAbsent(DATE.format(d.arrivedAt()), k -> new ArrayList<>()).add(d);
        }
        List<EventFileWriter.WrittenFile> files = new ArrayList<>();
        for (Map.Entry<String, List<DeadLetter>> e : byDate.entrySet()) {
            String relative = DATE_COLUMN + "=" + e.getKey() + "/part-" + UUID.randomUUID() + "."
                    + CODEC.name().toLowerCase() + ".parquet";
            Path path = new Path(tableRoot, relative);
            try {
                try (ParquetWriter<DeadLetter> writer = new Builder(HadoopOutputFile.fromPath(path, conf))
                        .withConf(conf)
                        .withCompressionCodec(CODEC)
                        .withWriteMode(ParquetFileWriter.Mode.CREATE)
                        .build()) {
                    for (DeadLetter d : e.getValue()) {
                        writer.write(d);
                    }
                }
                long size = path.getFileSystem(conf).getFileStatus(path).getLen();
                long rows = e.getValue().size();
                // The stats are a JSON document inside a JSON string, like FileStats#toEscapedJson.
                files.add(new EventFileWriter.WrittenFile(Map.of(DATE_COLUMN, e.getKey()), relative, size, rows,
                        "\"{\\\"numRecords\\\":" + rows + "}\""));
            } catch (IOException ex) {
                throw new UncheckedIOException("writing dead letters of " + e.getKey() + " under " + tableRoot, ex);
            }
        }
        return files;
    }

    private static final class Builder extends ParquetWriter.Builder<DeadLetter, Builder> {
        Builder(OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<DeadLetter> getWriteSupport(Configuration conf) {
            return new DeadLetterWriteSupport();
        }
    }

    private static final class DeadLetterWriteSupport extends WriteSupport<DeadLetter> {
        private RecordConsumer consumer;

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(MESSAGE_TYPE, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(DeadLetter d) {
            consumer.startMessage();
            binary(0, Binary.fromConstantByteArray(d.raw()));
            binary(1, Binary.fromString(d.reason()));
            binary(2, Binary.fromString(d.message()));
            binary(3, Binary.fromString(d.stream()));
            binary(4, Binary.fromString(d.sourceId()));
            binary(5, Binary.fromString(d.position().sequence().toString()));
            int64(6, d.position().subSequence());
            long micros = Math.addExact(Math.multiplyExact(d.arrivedAt().getEpochSecond(), 1_000_000L),
                    d.arrivedAt().getNano() / 1000);
            int64(7, micros);
            consumer.endMessage();
        }

        private void binary(int index, Binary value) {
            String name = MESSAGE_TYPE.getFieldName(index);
            consumer.startField(name, index);
            consumer.addBinary(value);
            consumer.endField(name, index);
        }

        private void int64(int index, long value) {
            String name = MESSAGE_TYPE.getFieldName(index);
            consumer.startField(name, index);
            consumer.addLong(value);
            consumer.endField(name, index);
        }
    }
}
