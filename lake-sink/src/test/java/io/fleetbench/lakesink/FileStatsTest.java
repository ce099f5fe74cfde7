package io.fleetbench.lakesink;

import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.telemetry.CarDtc;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStatsTest {

    private static FileStats stats() {
        return new FileStats(EventSchema.of(EventFamily.CAR_DTC), "shardId-000000000007");
    }

    private static CarDtc dtc(int seq, String firmware, String extras) {
        return new CarDtc("e-" + seq, "car-1", seq, TestEvents.BASE_MILLIS + seq, TestEvents.BASE_MILLIS + seq, 2,
                "P0301", CarDtc.RAISED, 100.0 + seq, firmware, extras);
    }

    private static SinkRecord at(int seq, String firmware, String extras) {
        return new SinkRecord(SourcePosition.of(Integer.toString(seq), 0), dtc(seq, firmware, extras));
    }

    @Test
    void boundsAreOverTheNonNullValuesAndNullsAreCounted() {
        FileStats stats = stats();
        stats.add(at(1, null, null));
        stats.add(at(2, "v2.1.0", null));
        stats.add(at(3, "v2.0.0", null));
        stats.add(at(4, null, null));
        String json = stats.toJson();
        assertTrue(json.contains("\"minValues\":{\"event_id\":\"e-1\""), json);
        assertTrue(json.contains("\"odometer_km\":101.0,\"firmware_version\":\"v2.0.0\","), "min firmware: " + json);
        assertTrue(json.contains("\"odometer_km\":104.0,\"firmware_version\":\"v2.1.0\","), "max firmware: " + json);
        assertTrue(json.contains("\"nullCount\":{\"event_id\":0,"), json);
        assertTrue(json.contains("\"odometer_km\":0,\"firmware_version\":2,\"extras\":4,"), json);
        assertTrue(!json.contains("\"extras\":\"") && !json.contains("\"extras\":null"),
                "a column of nulls only has no bounds: " + json);
    }

    @Test
    void aNullFirstDoesNotHideTheFirstValue() {
        FileStats stats = stats();
        stats.add(at(1, null, "{\"a\":1}"));
        stats.add(at(2, "v9", "{\"a\":1}"));
        String json = stats.toJson();
        assertTrue(json.contains("\"odometer_km\":101.0,\"firmware_version\":\"v9\",\"extras\":\"{\\\"a\\\":1}\","), json);
        assertTrue(json.contains("\"firmware_version\":1,\"extras\":0,"), json);
    }

    @Test
    void theProvenanceColumnsComeLastWithTheirBoundsAsDeltaComparesThem() {
        FileStats stats = stats();
        // Sequence numbers compare as strings in Delta's statistics: "10" sorts below "9".
        stats.add(new SinkRecord(SourcePosition.of("9", 0), dtc(1, null, null)));
        stats.add(new SinkRecord(SourcePosition.of("10", 2), dtc(2, null, null)));
        stats.add(new SinkRecord(SourcePosition.of("10", 5), dtc(3, null, null)));
        String json = stats.toJson();
        assertTrue(json.contains(
                "\"shard\":\"shardId-000000000007\",\"sequence_number\":\"10\",\"sub_sequence_number\":0}"),
                "min values: " + json);
        assertTrue(json.contains(
                "\"shard\":\"shardId-000000000007\",\"sequence_number\":\"9\",\"sub_sequence_number\":5}"),
                "max values: " + json);
        assertTrue(json.endsWith("\"extras\":3,\"shard\":0,\"sequence_number\":0,\"sub_sequence_number\":0}}"), json);
    }
}
