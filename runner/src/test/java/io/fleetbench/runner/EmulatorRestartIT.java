package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import io.fleetbench.runner.restart.EmulatorRestarts;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import io.fleetbench.telemetry.manifest.Outcome;
import io.fleetbench.telemetry.manifest.SeqRuns;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulators killed and restarted while a run's load goes on, through the real pipeline. dynalite's restart takes
 * the KCL's leases away: the pipeline recovers and the exact audit passes, nothing lost and nothing duplicated.
 * kinesalite's restart destroys the stream and the records in it: the audit tells exactly which acknowledged events
 * the fault destroyed (lost with the stream), and finds every other one in the lake once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
// Minutes of runs: in the fault pass of .ci/run (-Dgroups=faults), not in the default `mvn verify`.
@Tag("faults")
class EmulatorRestartIT {

    @Test
    void afterDynalitesRestartTheKclTakesItsLeasesBackAndNothingIsLostOrDuplicated(@TempDir Path runDir)
            throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-restart-dynalite
                duration: 20s
                rate: 800
                fleet: {seed: 21, cars: 300, bikes: 200}
                infrastructure:
                  restarts:
                    - {emulator: dynalite, at: 8s}
                sink: {maxLatency: 1s}
                compaction: {enabled: false}
                """, runDir);
        RunReport report = run.report();
        RunReport.Audit audit = report.audit();
        String summary = Files.readString(runDir.resolve("summary.txt"));
        System.out.println("EmulatorRestartIT (dynalite):\n" + run.console() + summary);
        System.out.println("EmulatorRestartIT (dynalite): records read again and dropped as committed: "
                + report.pipeline().sink().droppedAsCommitted());

        assertTrue(audit.passed(), summary + run.console());
        assertTrue(audit.acknowledged() > 10_000, summary);
        assertEquals(0, audit.lost(), summary);
        assertEquals(0, audit.lostWithStream(), summary);
        assertEquals(0, audit.duplicated(), summary);
        assertEquals(audit.acknowledged(), audit.distinctEvents(), summary);
        assertEquals(List.of(), AckManifest.findStreamLoss(runDir), "dynalite holds no stream");
        RunReport.EmulatorRestart restart = report.restarts().get(0);
        assertEquals(1, report.restarts().size(), summary);
        assertEquals("dynalite", restart.emulator());
        assertTrue(restart.atSeconds() >= 8 && restart.atSeconds() < 10, "at " + restart.atSeconds());
        assertTrue(restart.restartSeconds() > 0 && restart.restartSeconds() <= restart.outageSeconds(), summary);
        assertTrue(restart.recovery().contains("the KCL created the leases again and held every shard's after"),
                restart.recovery());
        assertNull(restart.streamLossEvents());
        assertTrue(run.console().contains("fault: dynalite killed at "), run.console());
        assertTrue(summary.contains("fault: dynalite killed at "), summary);
        assertTrue(Files.readString(runDir.resolve("report.json")).contains("\"restarts\""));
        // The shards were read again from TRIM_HORIZON: what the tables held already was dropped, not written twice.
        assertTrue(report.pipeline().sink().droppedAsCommitted() > 0, summary);
        assertTrue(summary.contains("records read again and dropped, their tables held them already"), summary);
    }

    @Test
    void afterKinesalitesRestartTheAuditTellsExactlyWhichEventsWereLostWithTheStream(@TempDir Path runDir)
            throws Exception {
        // The sink holds records up to 5 s before it commits them: at the restart the stream holds events not yet in
        // the lake, which the fault destroys.
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-restart-kinesalite
                duration: 20s
                rate: 800
                fleet: {seed: 22, cars: 300, bikes: 200}
                infrastructure:
                  restarts:
                    - {emulator: kinesalite, at: 10s}
                sink: {maxLatency: 5s}
                compaction: {enabled: false}
                """, runDir);
        RunReport report = run.report();
        RunReport.Audit audit = report.audit();
        String summary = Files.readString(runDir.resolve("summary.txt"));
        System.out.println("EmulatorRestartIT (kinesalite):\n" + run.console() + summary);

        Path lossFile = runDir.resolve(EmulatorRestarts.STREAM_LOSS_FILE);
        assertEquals(List.of(lossFile), AckManifest.findStreamLoss(runDir));
        ManifestHeader lossHeader = AckManifest.readHeader(lossFile);
        ManifestHeader acksHeader = AckManifest.readHeader(runDir.resolve(AckManifest.FILE_NAME));
        assertEquals(List.of(acksHeader.seed(), acksHeader.cars(), acksHeader.bikes()),
                List.of(lossHeader.seed(), lossHeader.cars(), lossHeader.bikes()), "the run's fleet");
        long inStream = lossHeader.counts().get(Outcome.ACKNOWLEDGED.label());
        assertTrue(inStream > 1_000, "the stream held the first 10 s of events; " + summary);
        assertEveryEventOfTheStreamWasAcknowledged(lossFile, runDir.resolve(AckManifest.FILE_NAME));

        assertTrue(audit.passed(), summary + run.console());
        assertEquals(0, audit.lost(), "every acknowledged event is in the lake or was lost with the stream; " + summary);
        assertEquals(0, audit.duplicated(), summary);
        assertEquals(0, audit.unexpected(), summary);
        // How many of the stream's events had not reached the lake when it was destroyed depends on how far the
        // consumer had come (in most runs some hundreds; in some, none): the accounting must be exact either way.
        assertTrue(audit.lostWithStream() <= inStream, summary);
        assertEquals(audit.acknowledged(), audit.distinctEvents() + audit.lostWithStream(), summary);
        assertEquals(audit.lostWithStream() > 0, summary.contains("lost with the stream"), summary);

        assertEquals(1, report.restarts().size(), summary);
        RunReport.EmulatorRestart restart = report.restarts().get(0);
        assertEquals("kinesalite", restart.emulator());
        assertEquals(inStream, restart.streamLossEvents());
        assertEquals(EmulatorRestarts.STREAM_LOSS_FILE, restart.streamLossManifest());
        assertNotNull(restart.heldCalls());
        assertTrue(restart.heldCalls() > 0, "the producer's and the consumer's calls were held; " + summary);
        assertTrue(restart.restartSeconds() <= restart.outageSeconds(), summary);
        assertTrue(summary.contains("fault: kinesalite killed at "), summary);
        System.out.println("EmulatorRestartIT (kinesalite): records read again and dropped as committed: "
                + report.pipeline().sink().droppedAsCommitted());
    }

    /** Every event the stream-loss manifest records was acknowledged by the stream before it was destroyed. */
    private static void assertEveryEventOfTheStreamWasAcknowledged(Path loss, Path acks) throws Exception {
        Map<String, Map<Outcome, SeqRuns>> acknowledged = AckManifest.load(acks);
        Map<String, Map<Outcome, SeqRuns>> destroyed = AckManifest.load(loss);
        for (Map.Entry<String, Map<Outcome, SeqRuns>> device : destroyed.entrySet()) {
            SeqRuns inStream = device.getValue().get(Outcome.ACKNOWLEDGED);
            SeqRuns acked = acknowledged.getOrDefault(device.getKey(), Map.of()).get(Outcome.ACKNOWLEDGED);
            assertNotNull(acked, device.getKey() + " has events in the stream but none acknowledged");
            SeqRuns both = new SeqRuns();
            both.addAll(acked);
            long before = both.count();
            both.addAll(inStream);
            assertEquals(before, both.count(), device.getKey() + ": events in the stream that were not acknowledged");
        }
    }
}
