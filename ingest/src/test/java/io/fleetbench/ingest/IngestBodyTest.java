package io.fleetbench.ingest;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three body formats, read into events byte for byte, and the errors that name where a body went wrong. */
class IngestBodyTest {
    private static final String STREAM = "telemetry";
    private final IngestBody bodies = new IngestBody(STREAM, 4);

    @Test
    void oneEventIsTakenAsSentWithoutTheWhitespaceAroundIt() throws IngestRejection {
        String event = Events.ignition("car-1", 7);
        List<IngestEvent> events = bodies.parse("application/json; charset=utf-8", bytes("\n " + event + " \n"));
        assertEquals(1, events.size());
        assertEquals(event, text(events.get(0).data()));
        assertEquals("car-1", events.get(0).partitionKey());
    }

    @Test
    void aBatchKeepsEachElementsExactBytes() throws IngestRejection {
        List<String> sent = List.of(Events.ignition("car-1", 1), Events.ignition("car-ü", 2),
                Events.ignition("bike-3", 3));
        List<IngestEvent> events = bodies.parse("application/json", bytes(Events.array(sent)));
        assertEquals(3, events.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(sent.get(i), text(events.get(i).data()), "element " + i);
        }
        assertEquals(List.of("car-1", "car-ü", "bike-3"), events.stream().map(IngestEvent::partitionKey).toList());
    }

    @Test
    void aPutRecordsBodyIsReadByItsContentTypeOrItsShape() throws IngestRejection {
        List<String> sent = List.of(Events.ignition("car-1", 1), Events.ignition("car-2", 2));
        byte[] body = bytes(Events.putRecords(STREAM, sent));
        assertEquals(IngestBody.Format.PUT_RECORDS, bodies.format(IngestBody.AMZ_JSON, body));
        assertEquals(IngestBody.Format.PUT_RECORDS, bodies.format(IngestBody.JSON, body));
        for (String type : List.of(IngestBody.AMZ_JSON, IngestBody.JSON)) {
            List<IngestEvent> events = bodies.parse(type, body);
            assertEquals(2, events.size());
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(bytes(sent.get(i)), events.get(i).data(), type + " record " + i);
                // The record's own partition key, not the device id.
                assertEquals("key-" + i, events.get(i).partitionKey());
            }
        }
    }

    @Test
    void theShapeOfAJsonBodyChoosesItsFormat() throws IngestRejection {
        assertEquals(IngestBody.Format.EVENT, bodies.format(IngestBody.JSON, bytes(Events.ignition("car-1", 1))));
        assertEquals(IngestBody.Format.BATCH, bodies.format(IngestBody.JSON, bytes("[]")));
        assertEquals(IngestBody.Format.PUT_RECORDS,
                bodies.format(IngestBody.JSON, bytes("{\"StreamName\":\"telemetry\",\"Records\":[]}")));
        assertEquals(IngestBody.Format.EVENT, bodies.format(IngestBody.JSON, bytes("{\"device_id\":\"car-1\"}")));
    }

    @Test
    void anInvalidEventInABatchIsNamedByIndexAndField() {
        List<String> sent = List.of(Events.ignition("car-1", 1), Events.ignition("car-1", 2),
                Events.withoutBatteryVoltage("car-1", 3));
        IngestRejection r = assertThrows(IngestRejection.class,
                () -> bodies.parse(IngestBody.JSON, bytes(Events.array(sent))));
        assertEquals(400, r.status());
        assertEquals(RejectReason.INVALID, r.reason());
        assertEquals(3, r.events(), "the whole batch is refused");
        JsonObject body = r.body();
        assertEquals("invalid event", body.getString("error"));
        assertEquals(2, body.getInteger("index"));
        assertEquals("missing_field", body.getString("reason"));
        assertEquals("battery_voltage", body.getString("field"));
        assertTrue(body.getString("message").contains("battery_voltage"), body.encode());
    }

    @Test
    void aValueOutOfRangeIsNamedTooAndTheFirstInvalidEventIsTheOneReported() {
        String outOfRange = Events.ignition("car-1", 1).replace("\"energy_level_pct\": 80.0", "\"energy_level_pct\": 180");
        List<String> sent = List.of(Events.ignition("car-1", 1), outOfRange, "42");
        IngestRejection r = assertThrows(IngestRejection.class,
                () -> bodies.parse(IngestBody.JSON, bytes(Events.array(sent))));
        assertEquals(1, r.body().getInteger("index"));
        assertEquals("invalid_value", r.body().getString("reason"));
        assertEquals("energy_level_pct", r.body().getString("field"));
    }

    @Test
    void anElementThatIsNoObjectIsAnInvalidEvent() {
        IngestRejection r = assertThrows(IngestRejection.class, () -> bodies.parse(IngestBody.JSON,
                bytes("[" + Events.ignition("car-1", 1) + ", \"car-1\"]")));
        assertEquals(1, r.body().getInteger("index"));
        assertEquals("malformed_json", r.body().getString("reason"));
    }

    @Test
    void aPutRecordsRecordIsNamedByIndexAndField() {
        String good = "{\"Data\":\"" + Events.base64(Events.ignition("car-1", 1)) + "\",\"PartitionKey\":\"car-1\"}";
        IngestRejection missingKey = assertThrows(IngestRejection.class, () -> bodies.parse(IngestBody.AMZ_JSON,
                bytes("{\"Records\":[" + good + ",{\"Data\":\"" + Events.base64(Events.ignition("car-1", 2)) + "\"}]}")));
        assertEquals(1, missingKey.body().getInteger("index"));
        assertEquals("missing_field", missingKey.body().getString("reason"));
        assertEquals("PartitionKey", missingKey.body().getString("field"));

        IngestRejection badBase64 = assertThrows(IngestRejection.class, () -> bodies.parse(IngestBody.AMZ_JSON,
                bytes("{\"Records\":[{\"Data\":\"not base64!\",\"PartitionKey\":\"car-1\"}," + good + "]}")));
        assertEquals(0, badBase64.body().getInteger("index"));
        assertEquals("Data", badBase64.body().getString("field"));
        assertEquals("invalid_value", badBase64.body().getString("reason"));

        IngestRejection invalidData = assertThrows(IngestRejection.class, () -> bodies.parse(IngestBody.AMZ_JSON,
                bytes(Events.putRecords(STREAM, List.of(Events.ignition("car-1", 1),
                        Events.withoutBatteryVoltage("car-1", 2))))));
        assertEquals(1, invalidData.body().getInteger("index"));
        assertEquals("battery_voltage", invalidData.body().getString("field"));
    }

    @Test
    void aPutRecordsBodyForAnotherStreamOrWithoutRecordsIsRefused() {
        IngestRejection other = assertThrows(IngestRejection.class, () -> bodies.parse(IngestBody.AMZ_JSON,
                bytes(Events.putRecords("another", List.of(Events.ignition("car-1", 1))))));
        assertEquals("invalid body", other.body().getString("error"));
        assertTrue(other.getMessage().contains("StreamName"), other.getMessage());

        IngestRejection none = assertThrows(IngestRejection.class,
                () -> bodies.parse(IngestBody.AMZ_JSON, bytes("{\"StreamName\":\"telemetry\"}")));
        assertTrue(none.getMessage().contains("\"Records\" is missing"), none.getMessage());
    }

    @Test
    void moreEventsThanTheLimitAreRefusedNamingIt() {
        List<String> five = List.of(Events.ignition("car-1", 1), Events.ignition("car-1", 2),
                Events.ignition("car-1", 3), Events.ignition("car-1", 4), Events.ignition("car-1", 5));
        IngestRejection r = assertThrows(IngestRejection.class,
                () -> bodies.parse(IngestBody.JSON, bytes(Events.array(five))));
        assertEquals(413, r.status());
        assertEquals(RejectReason.TOO_LARGE, r.reason());
        assertEquals(4, r.body().getInteger("limit"));
        assertEquals(5, r.events());
    }

    @Test
    void malformedOrEmptyBodiesAreRefused() {
        assertEquals(0, assertThrows(IngestRejection.class,
                () -> bodies.parse(IngestBody.JSON, bytes("{\"type\": \"car_ignition\","))).body().getInteger("index"));
        assertEquals("invalid body", assertThrows(IngestRejection.class,
                () -> bodies.parse(IngestBody.JSON, bytes("[]"))).body().getString("error"));
        assertEquals("invalid body", assertThrows(IngestRejection.class,
                () -> bodies.parse(IngestBody.JSON, bytes(""))).body().getString("error"));
        assertEquals("invalid body", assertThrows(IngestRejection.class,
                () -> bodies.parse(IngestBody.JSON, bytes("[" + Events.ignition("car-1", 1)))).body()
                .getString("error"));
    }

    @Test
    void onlyJsonContentTypesAreTaken() {
        assertTrue(IngestBody.accepts("application/json"));
        assertTrue(IngestBody.accepts("Application/JSON; charset=UTF-8"));
        assertTrue(IngestBody.accepts("application/x-amz-json-1.1"));
        assertFalse(IngestBody.accepts("text/plain"));
        assertFalse(IngestBody.accepts(null));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
