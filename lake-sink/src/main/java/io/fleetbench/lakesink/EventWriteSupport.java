package io.fleetbench.lakesink;

import io.fleetbench.sink.SinkRecord;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes records as flat Parquet rows: the event through the schema's typed column getters (nulls are
 * left out), then its {@link Provenance}: the writer's shard and the record's position.
 */
final class EventWriteSupport extends WriteSupport<SinkRecord> {
    private final List<Column> columns;
    private final MessageType messageType;
    private final Binary shard;
    private RecordConsumer consumer;

    /**
     * @param shard the shard every row records
     */
    EventWriteSupport(EventSchema schema, String shard) {
        this.columns = schema.columns();
        this.messageType = messageType(schema);
        this.shard = Binary.fromConstantByteArray(shard.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The Parquet schema of a family: every column of the event required except the nullable ones (the
     * optional fields of later schema versions and {@code extras}), which are optional; timestamps in UTC
     * microseconds; then the {@link Provenance} columns, optional as in the table (every row written has
     * them).
     */
    static MessageType messageType(EventSchema schema) {
        List<Type> fields = new ArrayList<>();
        for (Column c : schema.columns()) {
            Type.Repetition repetition = c.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            fields.add(switch (c.type()) {
                case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                        .as(LogicalTypeAnnotation.stringType()).named(c.name());
                case INT -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(c.name());
                case LONG -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(c.name());
                case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(c.name());
                case TIMESTAMP_MILLIS -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(c.name());
            });
        }
        fields.addAll(Provenance.parquetFields(Type.Repetition.OPTIONAL));
        return new MessageType(schema.family().wireName(), fields);
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(messageType, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(SinkRecord record) {
        TelemetryEvent event = record.event();
        consumer.startMessage();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.isNull(event)) {
                // A null is an absent optional field: Parquet writes nothing for it.
                continue;
            }
            consumer.startField(c.name(), i);
            switch (c.type()) {
                case STRING -> consumer.addBinary(Binary.fromString(c.stringValue(event)));
                case INT -> consumer.addInteger((int) c.longValue(event));
                case LONG -> consumer.addLong(c.longValue(event));
                case DOUBLE -> consumer.addDouble(c.doubleValue(event));
                case TIMESTAMP_MILLIS -> consumer.addLong(Math.multiplyExact(c.longValue(event), 1000L));
            }
            consumer.endField(c.name(), i);
        }
        int i = columns.size();
        consumer.startField(Provenance.SHARD, i);
        consumer.addBinary(shard);
        consumer.endField(Provenance.SHARD, i++);
        consumer.startField(Provenance.SEQUENCE_NUMBER, i);
        // Decimal digits only: their Latin-1 bytes are their UTF-8 bytes, copied without encoding.
        consumer.addBinary(Binary.fromConstantByteArray(record.position().sequenceText()
                .getBytes(StandardCharsets.ISO_8859_1)));
        consumer.endField(Provenance.SEQUENCE_NUMBER, i++);
        consumer.startField(Provenance.SUB_SEQUENCE_NUMBER, i);
        consumer.addLong(record.position().subSequence());
        consumer.endField(Provenance.SUB_SEQUENCE_NUMBER, i);
        consumer.endMessage();
    }
}
