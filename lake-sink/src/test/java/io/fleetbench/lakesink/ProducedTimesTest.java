package io.fleetbench.lakesink;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProducedTimesTest {

    @Test
    void reportsEachRowOnceFromTheMiddleOfItsBucketAndForgetsThemAfterwards() {
        ProducedTimes times = new ProducedTimes();
        times.add(1_000);
        times.add(1_004);
        times.add(1_012);
        times.add(1_001);
        List<String> seen = new ArrayList<>();
        times.committed(2_000, (millis, rows) -> seen.add(millis + "x" + rows));
        assertEquals(List.of("995x2", "985x1", "995x1"), seen, "runs in arrival order, 10 ms buckets");

        seen.clear();
        times.committed(3_000, (millis, rows) -> seen.add(millis + "x" + rows));
        assertEquals(List.of(), seen);
    }
}
