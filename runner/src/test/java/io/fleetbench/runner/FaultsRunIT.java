package io.fleetbench.runner;

import io.fleetbench.report.RunReport;

import io.fleetbench.runner.audit.LakeCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a profile with every data fault through the real pipeline: the audit must account for each
 * one (malformed records counted as invalid, duplicate sends as producer duplicates) and find every
 * other acknowledged event exactly once, including the records of schema version 2 that the schema
 * change sends, which the pipeline decodes and lands as rows with their firmware version.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FaultsRunIT {

    @Test
    void everyFaultIsAccountedForAndEveryOtherEventLandsOnce(@TempDir Path runDir) throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-faults
                duration: 10s
                rate: 1500
                fleet: {seed: 11, cars: 300, bikes: 200}
                faults:
                  duplicates: 0.02
                  malformed: 0.01
                  clockDrift: {share: 0.05, max: 2m}
                  offline: {share: 0.05, duration: 3s}
                  schemaChange: {at: 70%, version: 2}
                sink: {maxLatency: 1s}
                """, runDir);
        RunReport.Audit audit = run.report().audit();
        String summary = Files.readString(runDir.resolve("summary.txt"));

        assertTrue(audit.passed(), summary + run.console());
        assertTrue(audit.manifestComplete(), summary);
        assertEquals(0, audit.lost(), summary);
        assertEquals(0, audit.duplicated(), summary);
        // The duplicate fault's copies are at their own stream positions: producer re-sends, with that cause.
        assertTrue(audit.producerResends() > 0, summary);
        assertEquals(audit.producerResends(), audit.resendsByCause().get("duplicate_fault"), summary);
        assertEquals(audit.rowsInLake() - audit.distinctEvents(), audit.producerResends(), summary);
        assertTrue(audit.expectedDeadLettersMin() > 0, summary);
        assertEquals(audit.expectedDeadLettersMin(), audit.invalidRecords(), summary);
        assertEquals(audit.expectedDeadLettersMin(), audit.deadLetters(), "dead-letter rows; " + summary);
        assertTrue(audit.newerSchemaRows() > 0, "the schema change sent version-2 records; " + summary);
        Map<String, Long> deadLetters = new LakeCounts().deadLettersByReason(runDir.resolve("lake/dead_letters").toString());
        assertEquals(Map.of("malformed_json", audit.deadLetters()), deadLetters,
                "only malformed records are dead letters; " + summary);
    }
}
