package io.fleetbench.simulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The codec's direct encoder (its fast path for the producer) against a reference that writes
 * the wire format with Jackson's generator, as the codec did before: the bytes must be the same
 * for a million generated events and for values that force the escaping and non-finite paths.
 */
class JsonCodecDirectEncodingTest {
    private final JsonCodec codec = new JsonCodec();
    private final JsonFactory factory = new JsonFactory();

    @Test
    void aMillionGeneratedEventsEncodeToTheReferenceBytes() throws IOException {
        // From 08:00, so that every family of events comes up whatever the time of day of the test.
        Fleet fleet = new Fleet(FleetConfig.defaults().withSeed(3).withDevices(20_000, 5_000)
                .withStartEpochMillis(FleetTest.START + 8 * 3_600_000L));
        long now = fleet.startEpochMillis();
        for (int i = 0; i < 1_000_000; i++) {
            TelemetryEvent e = fleet.next(now + i);
            assertSame(e, e.eventTimeMillis(), e.schemaVersion());
            if (i % 1_000 == 0) {
                assertSame(e, e.eventTimeMillis() - 90_000, 2);
            }
        }
    }

    @Test
    void edgeValuesEncodeToTheReferenceBytes() throws IOException {
        List<TelemetryEvent> events = List.of(
                car("id-\"quoted\"", "car-\\1", 1.0E-7, -0.0),
                car("id-\u0001ctl\n", "car-é", Double.MAX_VALUE, Double.MIN_VALUE),
                car("id-1", "car-1", Double.NaN, Double.POSITIVE_INFINITY),
                car("id-2", "car-2", 1.0E22, -123456.789),
                car("id-3", "car-\uD83D\uDE97", 48.137154, 11.576124));
        for (TelemetryEvent e : events) {
            assertSame(e, e.eventTimeMillis(), e.schemaVersion());
            assertSame(e, Long.MIN_VALUE, 3);
        }
    }

    private static CarTelemetry car(String id, String device, double a, double b) {
        return new CarTelemetry(id, device, Long.MAX_VALUE, -5, 0, 1, a, b, a, Integer.MIN_VALUE, -1, b, a, b, a, b, a, b, a,
                device);
    }

    private void assertSame(TelemetryEvent e, long eventTime, int version) throws IOException {
        byte[] expected = reference(e, eventTime, version);
        byte[] actual = codec.encode(e, eventTime, version);
        assertArrayEquals(expected, actual, () -> HexFormat.of().formatHex(actual) + " for " + e);
    }

    private byte[] reference(TelemetryEvent event, long eventTime, int version) throws IOException {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256);
             JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("type", event.family().wireName());
            for (Column c : EventSchema.of(event.family()).columns()) {
                if (c.nullable()) {
                    // The optional firmware version is written after the columns below; generated events have no extras.
                    continue;
                }
                g.writeFieldName(c.name());
                switch (c.name()) {
                    case "event_time" -> g.writeNumber(eventTime);
                    case "schema_version" -> g.writeNumber(version);
                    default -> {
                        switch (c.type()) {
                            case STRING -> g.writeString(c.stringValue(event));
                            case INT, LONG, TIMESTAMP_MILLIS -> g.writeNumber(c.longValue(event));
                            case DOUBLE -> g.writeNumber(c.doubleValue(event));
                        }
                    }
                }
            }
            if (version >= EventSchema.FIRMWARE_VERSION_SINCE) {
                g.writeStringField(EventSchema.FIRMWARE_VERSION_FIELD, "v" + version + ".0.0");
            }
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        }
    }
}
