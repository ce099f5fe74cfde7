package io.fleetbench.lakesink;

import io.fleetbench.sink.DeadLetter;

import io.delta.standalone.types.BinaryType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.delta.standalone.types.TimestampType;
import io.fleetbench.lake.FileStatsJson;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/** The rows of the dead-letter table: partitioned by the UTC date of their arrival. */
final class DeadLetterFormat implements RowFormat<DeadLetter> {
    /** The partition column: the UTC date of {@code arrived_at}, {@code yyyy-MM-dd}. */
    static final String DATE_COLUMN = "arrival_date";

    private static final long DAY_SECONDS = 86_400L;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final MessageType MESSAGE_TYPE = new MessageType(DeltaTable.DEAD_LETTERS,
            Types.required(PrimitiveTypeName.BINARY).named("raw"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("reason"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("message"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("stream"),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(Provenance.SHARD),
            Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                    .named(Provenance.SEQUENCE_NUMBER),
            Types.required(PrimitiveTypeName.INT64).named(Provenance.SUB_SEQUENCE_NUMBER),
            Types.required(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                    .named("arrived_at"));

    /** The day since the epoch of the arrival. */
    @Override
    public long partitionKey(DeadLetter d) {
        return Math.floorDiv(d.arrivedAt().getEpochSecond(), DAY_SECONDS);
    }

    @Override
    public PartitionSpec partition(long daySinceEpoch) {
        String date = DATE.format(Instant.ofEpochSecond(daySinceEpoch * DAY_SECONDS));
        return new PartitionSpec(Map.of(DATE_COLUMN, date), DATE_COLUMN + "=" + date);
    }

    @Override
    public Set<String> dictionaryColumns() {
        return Set.of("reason", "stream", Provenance.SHARD);
    }

    @Override
    public WriteSupport<DeadLetter> writeSupport() {
        return new DeadLetterWriteSupport();
    }

    /** Only the row count: the columns of a dead letter are not worth skipping files by. */
    @Override
    public RowStats<DeadLetter> newStats() {
        return new RowStats<>() {
            private long rows;

            @Override
            public void add(DeadLetter row) {
                rows++;
            }

            @Override
            public String toEscapedJson() {
                return new FileStatsJson(rows).toEscapedJson();
            }
        };
    }

    /** The table's Delta schema: the data columns, then the partition column. */
    static StructType deltaSchema() {
        return new StructType(new StructField[]{
                new StructField("raw", new BinaryType(), false),
                new StructField("reason", new StringType(), false),
                new StructField("message", new StringType(), false),
                new StructField("stream", new StringType(), false),
                new StructField(Provenance.SHARD, new StringType(), false),
                new StructField(Provenance.SEQUENCE_NUMBER, new StringType(), false),
                new StructField(Provenance.SUB_SEQUENCE_NUMBER, new LongType(), false),
                new StructField("arrived_at", new TimestampType(), false),
                new StructField(DATE_COLUMN, new StringType(), false)});
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
            binary(5, Binary.fromString(d.position().sequenceText()));
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
