package io.fleetbench.compactor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BinPlannerTest {
    private static List<List<Long>> plan(List<Long> sizes, int minFilesPerBin) {
        return BinPlanner.plan(sizes, Long::longValue, 1000, minFilesPerBin);
    }

    @Test
    void packsSmallFilesSmallestFirstUpToTheTarget() {
        assertEquals(List.of(List.of(100L, 200L, 300L, 350L), List.of(400L, 600L)),
                plan(List.of(400L, 100L, 300L, 200L, 600L, 350L), 2));
    }

    @Test
    void leavesFilesOfThreeQuartersOfTheTargetAlone() {
        assertEquals(List.of(List.of(100L, 749L)), plan(List.of(750L, 100L, 5_000L, 749L), 2));
    }

    @Test
    void skipsBinsOfOneFile() {
        assertEquals(List.of(), plan(List.of(600L, 100L, 5_000L).subList(0, 1), 2));
        assertEquals(List.of(List.of(300L, 600L)), plan(List.of(600L, 700L, 300L), 2));
    }

    @Test
    void honoursTheMinimumFilesPerBin() {
        List<Long> sizes = List.of(500L, 300L, 450L, 300L, 300L);
        assertEquals(List.of(List.of(300L, 300L, 300L), List.of(450L, 500L)), plan(sizes, 2));
        assertEquals(List.of(List.of(300L, 300L, 300L)), plan(sizes, 3));
    }

    @Test
    void refusesOptionsThatCannotWork() {
        CompactionOptions d = CompactionOptions.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withMinFilesPerBin(1));
        assertEquals("minFilesPerBin must be >= 2, found 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withTargetFileBytes(3));
        assertEquals("targetFileBytes must be >= 4 bytes, found 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withTargetFileBytesByTable(Map.of("car_telemetry", 0L)));
        assertEquals("targetFileBytesByTable[car_telemetry] must be >= 4 bytes, found 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.withBinsPerCommit(0));
        assertEquals("binsPerCommit must be >= 1, found 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> d.withClosedPartitions(Duration.ofSeconds(-1), false));
        assertEquals("closedAfter must not be negative, found PT-1S", e.getMessage());
    }

    @Test
    void aTableOfItsOwnHasItsOwnTargetSize() {
        CompactionOptions o = CompactionOptions.defaults().withTargetFileBytesByTable(Map.of("bike_metrics", 1L << 20));
        assertEquals(1L << 20, o.targetFileBytes("bike_metrics"));
        assertEquals(CompactionOptions.DEFAULT_TARGET_FILE_BYTES, o.targetFileBytes("car_telemetry"));
    }
}
