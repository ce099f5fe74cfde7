package io.fleetbench.runner;

import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;
import io.fleetbench.report.Thresholds;

import io.fleetbench.report.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short run through the real local pipeline whose profile holds an impossible threshold fails it, and exits 99. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ThresholdRunIT {

    @Test
    void anImpossibleThresholdFailsTheRunWithNinetyNineAndIsNamed(@TempDir Path runDir) throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-thresholds
                duration: 6s
                rate: 500
                fleet: {seed: 7, cars: 100, bikes: 50}
                stream: {shards: 1}
                sink: {maxLatency: 1s}
                compaction: {enabled: false}
                drain: {timeout: 60s}
                thresholds:
                  producer.sustained_rate: ["> 1e9"]
                  audit.lost: ["== 0"]
                  pipeline.rows_committed: ["> 0"]
                """, runDir);
        RunReport report = run.report();
        String summary = Files.readString(runDir.resolve("summary.txt"));

        assertTrue(report.audit().passed(), summary + run.console());
        assertEquals(3, report.thresholds().size(), summary);
        RunReport.ThresholdResult impossible = report.thresholds().get(0);
        assertEquals("producer.sustained_rate", impossible.metric());
        assertEquals("> 1e9", impossible.condition());
        assertNotNull(impossible.observed());
        assertFalse(impossible.passed(), summary);
        assertTrue(report.thresholds().get(1).passed(), summary);
        assertTrue(report.thresholds().get(2).passed(), summary);
        assertEquals(ExitCode.THRESHOLD_FAILED, ExitCode.ofRun(report.audit().passed(), report.thresholdFailed()));
        assertTrue(summary.contains("thresholds: 1 of 3 FAILED"), summary);
        assertTrue(summary.contains("  - producer.sustained_rate > 1e9: FAILED, observed "), summary);
        assertEquals(report, ReportWriter.read(runDir.resolve("report.json")));
        // The run judged them before it wrote its page, so the page lists them too.
        String page = Files.readString(runDir.resolve("report.html"));
        assertTrue(page.contains("<p>Thresholds: <span class=\"failed\">1 of 3 failed</span></p>"), page);
        assertTrue(page.contains("<tr><td>producer.sustained_rate</td><td>&gt; 1e9</td>"), page);
    }
}
