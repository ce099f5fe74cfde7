package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import io.fleetbench.runner.live.RunRecorder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RunHealthTest {

    @Test
    void theWindowsAreTheSecondAndTheLastTenthOfTheLoad() {
        List<RunRecorder.Point> history = new ArrayList<>();
        // 100 s of load from t = 1,000,000 ms; heap grows 1 MiB/s, threads constant, commit p99 = seconds.
        for (int s = 1; s <= 100; s++) {
            history.add(new RunRecorder.Point(1_000_000 + s * 1000L, Map.of("process.heap_after_gc", 100.0 + s,
                    "process.threads", 40.0, "process.open_files", 300.0, "commit.p99", (double) s)));
        }
        RunReport.Health h = RunHealth.of(history, 1_000_000, 1_100_000);
        // Start: seconds 11-20; end: seconds 91-100.
        assertEquals(10, h.start().fromSeconds());
        assertEquals(20, h.start().toSeconds());
        assertEquals(115.5, h.start().heapAfterGcMiB(), 1e-9);
        assertEquals(195.5, h.end().heapAfterGcMiB(), 1e-9);
        assertEquals(40, h.end().threads());
        assertEquals(95.5, h.end().commitLatencyP99Ms(), 1e-9);
        assertNull(h.end().commitLatencyP50Ms());
    }

    @Test
    void noSamplesNoHealth() {
        assertNull(RunHealth.of(List.of(), 0, 100_000));
        assertNull(RunHealth.of(List.of(new RunRecorder.Point(50_000, Map.of())), 0, 0));
    }
}
