package io.fleetbench.telemetry;

import io.fleetbench.telemetry.InvalidEventException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonCodecTest {
    private final JsonCodec codec = new JsonCodec();

    static final CarTelemetry CAR = new CarTelemetry("e-1", "car-000001", 7, 1_700_000_000_000L, 1_700_000_000_050L, 1,
            87.5, 48.137154, 11.576124, 2450, 4, 12_345.6, 63.2, 88.0, 14.1, 236.5, 237.0, 231.2, 230.8,
            CarTelemetry.COMBUSTION);
    static final BikeMetrics BIKE = new BikeMetrics("e-2", "bike-000001", 3, 1_700_000_000_000L, 1_700_000_000_020L, 1,
            92, 35, 210, 141, 31.2, 5_400.0, 180.5);

    static final CarTrip TRIP = new CarTrip("e-3", "car-000001", 8, 1_700_000_000_000L, 1_700_000_000_050L, 1,
            CarTrip.END, 12, 48.1, 11.5, 12_350.1, 61.0, 23.4, 1_520, 2, 1);
    static final CarDtc DTC = new CarDtc("e-4", "car-000001", 9, 1_700_000_000_000L, 1_700_000_000_050L, 1,
            "P0301", CarDtc.RAISED, 12_350.2);
    static final CarIgnition IGNITION = new CarIgnition("e-5", "car-000001", 10, 1_700_000_000_000L,
            1_700_000_000_050L, 1, CarIgnition.OFF, 12.6, 12_350.2, 61.0);
    static final BikeSession SESSION = new BikeSession("e-6", "bike-000001", 4, 1_700_000_000_000L,
            1_700_000_000_020L, 1, BikeSession.END, 1_699_999_000_000L, 2_640, 21_000.5, 480.2, 185, 171);

    @Test
    void roundTripsEveryFamily() throws InvalidEventException {
        for (TelemetryEvent e : java.util.List.of(CAR, BIKE, TRIP, DTC, IGNITION, SESSION)) {
            assertEquals(e, codec.decode(codec.encode(e)), e.family().wireName());
        }
        assertEquals(6, EventFamily.values().length, "every family has a round-tripped example here");
    }

    @Test
    void encodesADriftedClockAndALaterSchemaVersionWithItsOptionalField() throws InvalidEventException {
        TelemetryEvent drifted = codec.decode(codec.encode(CAR, CAR.eventTimeMillis() - 90_000, 1));
        assertEquals(CAR.eventTimeMillis() - 90_000, drifted.eventTimeMillis());

        String v2 = new String(codec.encode(DTC, DTC.eventTimeMillis(), 2), StandardCharsets.UTF_8);
        assertTrue(v2.contains("\"schema_version\":2") && v2.endsWith(",\"firmware_version\":\"v2.0.0\"}"), v2);
        assertEquals(new CarDtc("e-4", "car-000001", 9, 1_700_000_000_000L, 1_700_000_000_050L, 2, "P0301",
                CarDtc.RAISED, 12_350.2, "v2.0.0", null), codec.decode(v2.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void decodesEveryFamilyOfTheNewestVersionWithAndWithoutTheOptionalField() throws InvalidEventException {
        for (TelemetryEvent e : java.util.List.of(CAR, BIKE, TRIP, DTC, IGNITION, SESSION)) {
            TelemetryEvent v2 = codec.decode(codec.encode(e, e.eventTimeMillis(), EventSchema.NEWEST_VERSION));
            assertEquals(EventSchema.NEWEST_VERSION, v2.schemaVersion(), e.family().wireName());
            assertEquals("v2.0.0", v2.firmwareVersion(), e.family().wireName());
            assertEquals(e.eventId(), v2.eventId());
            assertEquals(v2, codec.decode(codec.encode(v2)), "a v2 event round-trips: " + e.family().wireName());
        }
        String withoutFirmware = json(CAR).replace("\"schema_version\":1", "\"schema_version\":2");
        TelemetryEvent v2 = codec.decode(bytes(withoutFirmware));
        assertEquals(2, v2.schemaVersion());
        assertNull(v2.firmwareVersion(), "the field is optional in version 2");
        assertEquals(withoutFirmware, json(v2), "re-encoding adds no stand-in to an event of its own version");

        String explicitNull = withoutFirmware.replace("}", ",\"firmware_version\":null}");
        assertNull(codec.decode(bytes(explicitNull)).firmwareVersion(), "null is the same as absent");
    }

    @Test
    void rejectsTheOptionalFieldInARecordOfAnEarlierVersion() {
        String v1 = json(CAR).replace("}", ",\"firmware_version\":\"1.2.3\"}");
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> codec.decode(bytes(v1)));
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals("car_telemetry: field \"firmware_version\" belongs to schema version 2 and later,"
                + " found in a record of version 1", e.getMessage());
    }

    @Test
    void keepsUnknownFieldsOfASupportedVersionAsAJsonObjectAndWritesThemBack() throws InvalidEventException {
        String json = json(BIKE).replace("}", ",\"colour\":\"red\",\"extras\":[1,{\"a\":null}],\"n\":2.5}");
        TelemetryEvent e = codec.decode(bytes(json));
        assertEquals("{\"colour\":\"red\",\"extras\":[1,{\"a\":null}],\"n\":2.5}", e.extras());
        assertEquals(BIKE.heartRateBpm(), ((BikeMetrics) e).heartRateBpm());
        assertEquals(json, json(e), "the unknown fields are written back after the schema's");
        assertEquals(e, codec.decode(codec.encode(e)));
        assertNull(codec.decode(codec.encode(BIKE)).extras(), "no unknown fields, no extras");

        String twice = json(BIKE).replace("}", ",\"colour\":\"red\",\"colour\":\"blue\"}");
        InvalidEventException dup = assertThrows(InvalidEventException.class, () -> codec.decode(bytes(twice)));
        assertEquals("bike_metrics: field \"colour\" appears twice", dup.getMessage());
    }

    @Test
    void anUnknownFieldDoesNotHideAMissingOne() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> codec.decode(bytes(json(CAR).replace("\"speed_kmh\"", "\"speed_kph\""))));
        assertEquals(Reason.MISSING_FIELD, e.reason());
        assertEquals("car_telemetry: field \"speed_kmh\" is missing", e.getMessage());
    }

    private String json(TelemetryEvent e) {
        return new String(codec.encode(e), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheTypeFirstAndSnakeCaseColumns() {
        String json = new String(codec.encode(BIKE), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"type\":\"bike_metrics\",\"event_id\":\"e-2\""), json);
        assertTrue(json.contains("\"heart_rate_bpm\":141"), json);
    }

    @Test
    void acceptsFieldsInAnyOrderAfterTheType() throws InvalidEventException {
        String json = "{\"type\":\"bike_metrics\",\"energy_kcal\":180.5,\"distance_m\":5400,\"speed_kmh\":31.2,"
                + "\"heart_rate_bpm\":141,\"power_w\":210,\"resistance_level\":35,\"cadence_rpm\":92,"
                + "\"schema_version\":1,\"produced_at\":1700000000020,\"event_time\":1700000000000,\"seq\":3,"
                + "\"device_id\":\"bike-000001\",\"event_id\":\"e-2\"}";
        assertEquals(BIKE, codec.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated          | {"type":"car_telemetry","event_id":"x"                        | MALFORMED_JSON   | unexpected end of input
            garbage            | {"type":"car_telemetry","event_id":secret}                    | MALFORMED_JSON   | line 1, column 36: not valid JSON
            not an object      | [1,2]                                                         | MALFORMED_JSON   | JSON object
            type not first     | {"event_id":"x","type":"car_telemetry"}                       | MISSING_FIELD    | "type"
            unknown type       | {"type":"boat_telemetry"}                                     | UNKNOWN_EVENT_TYPE | boat_telemetry
            type twice         | {"type":"car_telemetry","type":"car_dtc"}                     | INVALID_VALUE    | "type" appears twice
            wrong type         | {"type":"car_telemetry","seq":"seven"}                        | INVALID_VALUE    | "seq" must be an integer, found a string
            duplicate field    | {"type":"car_telemetry","seq":1,"seq":2}                      | INVALID_VALUE    | appears twice
            missing field      | {"type":"bike_metrics","event_id":"x"}                        | MISSING_FIELD    | "device_id" is missing
            """)
    void rejectsWithAReasonThatNamesTheField(String name, String json, Reason reason, String inMessage) {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(inMessage), e.getMessage());
    }

    @Test
    void rejectsOutOfRangeValuesNamingFieldRangeAndValue() {
        String json = new String(codec.encode(CAR), StandardCharsets.UTF_8).replace("\"latitude\":48.137154", "\"latitude\":123.0");
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals("car_telemetry: field \"latitude\" must be in [-90.0, 90.0], found 123.0", e.getMessage());
    }

    @Test
    void rejectsAVersionNewerThanTheNewestItKnowsAndAMissingVersion() {
        String v3 = new String(codec.encode(CAR, CAR.eventTimeMillis(), 3), StandardCharsets.UTF_8);
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> codec.decode(bytes(v3)));
        assertEquals(Reason.UNSUPPORTED_SCHEMA_VERSION, e.reason());
        assertEquals("car_telemetry: schema version 3 is not supported; this build decodes versions 1 to 2", e.getMessage());

        String none = json(CAR).replace("\"schema_version\":1,", "");
        InvalidEventException missing = assertThrows(InvalidEventException.class, () -> codec.decode(bytes(none)));
        assertEquals(Reason.UNSUPPORTED_SCHEMA_VERSION, missing.reason());
        assertTrue(missing.getMessage().endsWith("expected 1 to 2"), missing.getMessage());
    }

    @Test
    void rejectsEmptyIdsAndOversizedRecords() {
        String json = new String(codec.encode(CAR), StandardCharsets.UTF_8).replace("\"event_id\":\"e-1\"", "\"event_id\":\"\"");
        InvalidEventException empty = assertThrows(InvalidEventException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(empty.getMessage().contains("\"event_id\" must have 1 to 64 characters, found 0"), empty.getMessage());

        InvalidEventException big = assertThrows(InvalidEventException.class,
                () -> codec.decode(new byte[JsonCodec.MAX_RECORD_BYTES + 1]));
        assertEquals(Reason.OVERSIZED, big.reason());
    }

    @Test
    void aConfiguredLimitDecidesWhatIsOversized() throws InvalidEventException {
        byte[] car = codec.encode(CAR);
        JsonCodec exact = new JsonCodec(car.length);
        assertEquals(CAR, exact.decode(car));

        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> new JsonCodec(car.length - 1).decode(car));
        assertEquals(Reason.OVERSIZED, e.reason());
        assertEquals("record is " + car.length + " bytes, the limit is " + (car.length - 1), e.getMessage());

        byte[] twoMiB = new byte[2 << 20];
        InvalidEventException notJson = assertThrows(InvalidEventException.class,
                () -> new JsonCodec(4 << 20).decode(twoMiB));
        assertEquals(Reason.MALFORMED_JSON, notJson.reason(), "a raised limit lets a record past 1 MiB be parsed");
        assertThrows(IllegalArgumentException.class, () -> new JsonCodec(0));
    }

    @Test
    void neverQuotesThePayloadOfMalformedJson() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> codec.decode("{\"type\":\"car_telemetry\",\"event_id\":zz-private}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(!e.getMessage().contains("z"), e.getMessage());
    }

    @Test
    void neverQuotesALongHostileName() {
        String longName = "x".repeat(10_000);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> codec.decode(("{\"type\":\"" + longName + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().length() < 200, "message length " + e.getMessage().length());
    }
}
