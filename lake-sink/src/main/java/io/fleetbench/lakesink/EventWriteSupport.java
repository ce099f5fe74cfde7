package io.fleetbench.lakesink;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes events as flat Parquet rows through the schema's typed column getters; nulls are left out. */
final class EventWriteSupport extends WriteSupport<TelemetryEvent> {
    private final List<Column> columns;
    private final MessageType messageType;
    private RecordConsumer consumer;

    EventWriteSupport(EventSchema schema) {
        this.columns = schema.columns();
        this.messageType = messageType(schema);
    }

    /**
     * The Parquet schema of a family: every column required except the nullable ones (the optional
     * fields of later schema versions and {@code extras}), which are optional; timestamps in UTC
     * microseconds.
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
    public void write(TelemetryEvent event) {
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
        consumer.endMessage();
    }
}
