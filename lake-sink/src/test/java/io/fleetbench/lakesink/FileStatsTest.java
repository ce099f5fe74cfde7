package io.fleetbench.lakesink;

import io.fleetbench.telemetry.CarDtc;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStatsTest {

    private static CarDtc dtc(int seq, String firmware, String extras) {
        return new CarDtc("e-" + seq, "car-1", seq, TestEvents.BASE_MILLIS + seq, TestEvents.BASE_MILLIS + seq, 2,
                "P0301", CarDtc.RAISED, 100.0 + seq, firmware, extras);
    }

    @Test
    void boundsAreOverTheNonNullValuesAndNullsAreCounted() {
        FileStats stats = new FileStats(EventSchema.of(EventFamily.CAR_DTC));
        stats.add(dtc(1, null, null));
        stats.add(dtc(2, "v2.1.0", null));
        stats.add(dtc(3, "v2.0.0", null));
        stats.add(dtc(4, null, null));
        String json = stats.toJson();
        assertTrue(json.contains("\"minValues\":{\"event_id\":\"e-1\""), json);
        assertTrue(json.contains("\"odometer_km\":101.0,\"firmware_version\":\"v2.0.0\"}"), "min firmware: " + json);
        assertTrue(json.contains("\"odometer_km\":104.0,\"firmware_version\":\"v2.1.0\"}"), "max firmware: " + json);
        assertTrue(json.contains("\"nullCount\":{\"event_id\":0,"), json);
        assertTrue(json.endsWith("\"odometer_km\":0,\"firmware_version\":2,\"extras\":4}}"), json);
        assertTrue(!json.contains("\"extras\":\"") && !json.contains("\"extras\":null"),
                "a column of nulls only has no bounds: " + json);
    }

    @Test
    void aNullFirstDoesNotHideTheFirstValue() {
        FileStats stats = new FileStats(EventSchema.of(EventFamily.CAR_DTC));
        stats.add(dtc(1, null, "{\"a\":1}"));
        stats.add(dtc(2, "v9", "{\"a\":1}"));
        String json = stats.toJson();
        assertTrue(json.contains("\"odometer_km\":101.0,\"firmware_version\":\"v9\",\"extras\":\"{\\\"a\\\":1}\"}"), json);
        assertTrue(json.endsWith("\"firmware_version\":1,\"extras\":0}}"), json);
    }
}
