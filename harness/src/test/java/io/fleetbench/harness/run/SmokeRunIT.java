package io.fleetbench.harness.run;

import io.fleetbench.harness.audit.LakeAudit;
import io.fleetbench.harness.audit.TableAudit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a small profile end to end against the real emulators, the real KCL and real Delta tables,
 * then checks the report against the lake as delta-kernel reads it.
 */
class SmokeRunIT {

    @Test
    void everyAcknowledgedEventLandsInTheLakeExactlyOnce(@TempDir Path runDir) throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-smoke
                duration: 8s
                rate: 1500
                fleet: {seed: 7, cars: 300, bikes: 200}
                stream: {shards: 2}
                sink: {maxLatency: 1s}
                compaction: {interval: 2s, includeOpenPartitions: true, binsPerCommit: 1}
                drain: {timeout: 60s}
                """, runDir);
        RunReport report = run.report();

        assertTrue(report.audit().passed(), Files.readString(runDir.resolve("summary.txt")) + run.console());
        long acknowledged = report.producer().acknowledged();
        assertTrue(acknowledged >= 0.9 * 8 * 1500, "acknowledged " + acknowledged);
        assertEquals(report.producer().sent(), acknowledged + report.producer().failed());

        // Read the lake again, independently of what the run reported.
        LakeAudit reader = new LakeAudit();
        long rows = 0;
        long distinct = 0;
        for (RunReport.Table t : report.tables()) {
            TableAudit audit = reader.audit(t.path());
            assertEquals(0, audit.duplicateEventIds(), t.path());
            rows += audit.rows();
            distinct += audit.distinctEventIds();
        }
        assertEquals(acknowledged, rows);
        assertEquals(acknowledged, distinct);
        assertNotNull(report.pipeline().timeToFirstRowSeconds(), "no row was ever committed");

        // The compactor ran behind the sink, and its last pass after the drain compacted what the sink left.
        RunReport.Compaction compaction = report.pipeline().compaction();
        assertNotNull(compaction, "no compaction section in the report");
        assertEquals(0, compaction.failedTables(), compaction.toString());
        assertTrue(compaction.passes() >= 2, "passes: " + compaction.passes());
        assertTrue(compaction.filesRemoved() > compaction.filesAdded() && compaction.filesAdded() > 0,
                compaction.toString());
        assertEquals(compaction.filesAdded(), compaction.bins());

        assertEquals(report, ReportWriter.read(runDir.resolve("report.json")));
        assertTrue(Files.readString(runDir.resolve("summary.txt")).contains("compaction: "));
        assertTrue(Files.readString(runDir.resolve("summary.txt")).contains("audit: PASSED"));
        assertTrue(run.console().contains("| rows "), "no live line was printed");

        // The run started the emulators, so it must have stopped them.
        assertFalse(LocalRuns.answers(run.kinesisPort()), "kinesalite still answers after the run");
        assertFalse(LocalRuns.answers(run.dynamoPort()), "dynalite still answers after the run");
    }
}
