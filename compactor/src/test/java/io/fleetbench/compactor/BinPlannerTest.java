package io.fleetbench.compactor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BinPlannerTest {
    private static final CompactionOptions OPTIONS = new CompactionOptions(1000, 2);

    private static List<List<Long>> plan(List<Long> sizes, CompactionOptions options) {
        return BinPlanner.plan(sizes, Long::longValue, options);
    }

    @Test
    void packsSmallFilesSmallestFirstUpToTheTarget() {
        assertEquals(List.of(List.of(100L, 200L, 300L, 350L), List.of(400L, 600L)),
                plan(List.of(400L, 100L, 300L, 200L, 600L, 350L), OPTIONS));
    }

    @Test
    void leavesFilesOfThreeQuartersOfTheTargetAlone() {
        assertEquals(List.of(List.of(100L, 749L)), plan(List.of(750L, 100L, 5_000L, 749L), OPTIONS));
    }

    @Test
    void skipsBinsOfOneFile() {
        assertEquals(List.of(), plan(List.of(600L, 100L, 5_000L).subList(0, 1), OPTIONS));
        assertEquals(List.of(List.of(300L, 600L)), plan(List.of(600L, 700L, 300L), OPTIONS));
    }

    @Test
    void honoursTheMinimumFilesPerBin() {
        List<Long> sizes = List.of(500L, 300L, 450L, 300L, 300L);
        assertEquals(List.of(List.of(300L, 300L, 300L), List.of(450L, 500L)), plan(sizes, OPTIONS));
        assertEquals(List.of(List.of(300L, 300L, 300L)), plan(sizes, new CompactionOptions(1000, 3)));
    }

    @Test
    void refusesOptionsThatCannotWork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CompactionOptions(1000, 1));
        assertEquals("minFilesPerBin must be >= 2, found 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CompactionOptions(3, 2));
    }
}
