package io.fleetbench.runner;

import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;

import io.fleetbench.report.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run through the real local pipeline whose abortOnFail threshold cannot hold stops its load long
 * before the planned duration, names the threshold, and still drains and audits what was sent.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AbortOnFailRunIT {

    @Test
    void anImpossibleAbortOnFailThresholdStopsTheLoadEarlyAndTheAuditStillPasses(@TempDir Path runDir) throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-abort-on-fail
                duration: 120s
                rate: 500
                fleet: {seed: 7, cars: 100, bikes: 50}
                stream: {shards: 1}
                sink: {maxLatency: 1s}
                compaction: {enabled: false}
                drain: {timeout: 60s}
                thresholds:
                  producer.put_latency_p99_ms:
                    - "< 60000"
                    - {threshold: "< 0.001", abortOnFail: true, delayAbortEval: 2s}
                  audit.lost: ["== 0"]
                """, runDir);
        RunReport report = run.report();
        String summary = Files.readString(runDir.resolve("summary.txt"));

        RunReport.Aborted aborted = report.aborted();
        assertNotNull(aborted, summary + run.console());
        assertEquals("producer.put_latency_p99_ms", aborted.threshold());
        assertEquals("< 0.001", aborted.condition());
        assertTrue(aborted.observed() >= 0.001, summary);
        assertTrue(aborted.atSeconds() >= 2 && aborted.atSeconds() < 60, "judged after its delay, stopped long before"
                + " the 120 s planned: " + aborted.atSeconds());
        long planned = 120L * 500;
        long acknowledged = report.producer().acknowledged();
        assertTrue(acknowledged > 0 && acknowledged < planned / 2, "sent " + acknowledged + " of " + planned + " planned");

        // Nothing lost or unaccounted: what was acknowledged is in the lake, audited.
        assertTrue(report.audit().passed(), summary + run.console());
        assertEquals(acknowledged, report.audit().rowsInLake(), summary);
        assertEquals(acknowledged, report.pipeline().rowsCommitted(), summary);
        assertEquals(0, report.audit().lost(), summary);

        // Every threshold is judged at the end as usual, and the run exits 99.
        assertEquals(3, report.thresholds().size(), summary);
        assertTrue(report.thresholds().get(0).passed(), summary);
        assertTrue(report.thresholds().get(2).passed(), summary);
        assertEquals(ExitCode.THRESHOLD_FAILED, ExitCode.ofRun(report.audit().passed(), report.thresholdFailed()));
        assertTrue(summary.contains("aborted: producer.put_latency_p99_ms < 0.001 FAILED while the load ran, observed "),
                summary);
        assertTrue(run.console().contains("abort: threshold producer.put_latency_p99_ms < 0.001 failed at "),
                run.console());
        assertEquals(report, ReportWriter.read(runDir.resolve("report.json")));
    }
}
