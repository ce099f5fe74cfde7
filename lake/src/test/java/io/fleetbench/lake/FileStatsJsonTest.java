package io.fleetbench.lake;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileStatsJsonTest {

    @Test
    void boundsAndNullCountsKeepTheOrderOfTheirColumns() {
        String json = new FileStatsJson(3)
                .bounds("id", "a", "c").nullCount("id", 0)
                .bounds("seq", 1L, 9L).nullCount("seq", 0)
                .bounds("time", Instant.ofEpochMilli(1_700_000_000_123L), Instant.ofEpochMilli(1_700_000_001_000L))
                .nullCount("time", 1)
                .toJson();
        assertEquals("{\"numRecords\":3,\"minValues\":{\"id\":\"a\",\"seq\":1,\"time\":\"2023-11-14T22:13:20.123Z\"},"
                + "\"maxValues\":{\"id\":\"c\",\"seq\":9,\"time\":\"2023-11-14T22:13:21.000Z\"},"
                + "\"nullCount\":{\"id\":0,\"seq\":0,\"time\":1}}", json);
    }

    @Test
    void boundsThatCannotBeStatedExactlyAreLeftOut() {
        String longer = "x".repeat(FileStatsJson.STRING_PREFIX_LENGTH + 5);
        String json = new FileStatsJson(2)
                .bounds("name", longer, longer)
                .bounds("reading", Double.NaN, Double.NaN)
                .bounds("ratio", 0.5f, Float.NaN)
                .toJson();
        assertEquals("{\"numRecords\":2,\"minValues\":{\"name\":\"" + "x".repeat(FileStatsJson.STRING_PREFIX_LENGTH)
                + "\",\"ratio\":0.5},\"maxValues\":{},\"nullCount\":{}}", json);
    }

    @Test
    void aCutStringDoesNotEndInHalfASurrogatePair() {
        String v = "x".repeat(FileStatsJson.STRING_PREFIX_LENGTH - 1) + "\uD83D\uDE97";
        String json = new FileStatsJson(1).bounds("name", v, v).toJson();
        assertEquals("{\"numRecords\":1,\"minValues\":{\"name\":\"" + "x".repeat(FileStatsJson.STRING_PREFIX_LENGTH - 1)
                + "\"},\"maxValues\":{},\"nullCount\":{}}", json);
    }

    @Test
    void aFileWithoutRowsOrColumnsHasOnlyItsCount() {
        assertEquals("{\"numRecords\":0,\"nullCount\":{\"id\":0}}", new FileStatsJson(0).nullCount("id", 0).toJson());
        assertEquals("\"{\\\"numRecords\\\":4}\"", new FileStatsJson(4).toEscapedJson());
    }
}
