package io.fleetbench.harness.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a profile with every data fault through the real pipeline: the audit must account for each
 * one (malformed and newer-schema records counted as invalid, duplicate sends as producer
 * duplicates) and still find every other acknowledged event exactly once.
 */
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
        assertTrue(audit.producerDuplicates() > 0, summary);
        assertTrue(audit.expectedInvalidRecords() > 0, summary);
        assertEquals(audit.expectedInvalidRecords(), audit.invalidRecords(), summary);
        assertEquals(audit.expectedInvalidRecords(), audit.deadLetters(), "dead-letter rows; " + summary);
        assertEquals(audit.rowsInLake() - audit.distinctEventIds(), audit.producerDuplicates(), summary);
    }
}
