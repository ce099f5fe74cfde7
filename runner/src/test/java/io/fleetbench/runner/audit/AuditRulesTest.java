package io.fleetbench.runner.audit;

import io.fleetbench.report.RunReport;
import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.manifest.AckLedger;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import io.fleetbench.telemetry.manifest.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact audit's rules on a manifest written by a ledger and rows handed to the tally directly. */
class AuditRulesTest {
    private static final long SEED = 42;
    private static final EventIds IDS = new EventIds(SEED);
    private static final int CURRENT = EventSchema.CURRENT_VERSION;

    @TempDir
    Path dir;
    private AckLedger ledger;

    @BeforeEach
    void fleet() {
        ledger = new AckLedger(2, 1);
    }

    private static long car(int device, long seq) {
        return EventIds.key(true, device, seq);
    }

    private static String id(long key) {
        return IDS.eventId(EventIds.isCar(key), EventIds.device(key), EventIds.seq(key));
    }

    private void ack(long... keys) {
        for (long k : keys) {
            ledger.record(k, Outcome.ACKNOWLEDGED);
        }
    }

    private ExpectedEvents manifest(boolean complete) throws IOException {
        Path file = dir.resolve(AckManifest.FILE_NAME);
        AckManifest.write(file, new ManifestHeader(SEED, 2, 1, "1/1", "s", complete, 0, Map.of()), ledger);
        return ExpectedEvents.read(List.of(file));
    }

    /** A lake of rows, each an event key at a stream position. */
    private static final class Lake {
        final LakeTally tally;
        final LakeTally.Table table;
        final List<long[]> rows = new java.util.ArrayList<>();

        Lake(ExpectedEvents expected) {
            tally = new LakeTally(expected);
            table = tally.table("car_telemetry", "lake/car_telemetry", true);
        }

        Lake row(long key, long sequence) {
            rows.add(new long[] {key, sequence});
            return this;
        }

        Lake foreign(String id) {
            tally.row(table, id, CURRENT);
            return this;
        }

        RunReport.Audit judge(AuditRules.DeadLetters deadLetters, ExpectedEvents expected) {
            for (long[] r : rows) {
                tally.row(table, id(r[0]), CURRENT);
            }
            if (tally.anyRepeated()) {
                for (long[] r : rows) {
                    tally.position(id(r[0]), "shardId-000000000000/" + r[1] + "/0");
                }
            }
            return AuditRules.judge(expected, tally, deadLetters, CURRENT, null, Optional.empty());
        }
    }

    private static final AuditRules.DeadLetters NO_DEAD_LETTERS = new AuditRules.DeadLetters(0, 0);

    @Test
    void everyAcknowledgedEventOnceIsAPass() throws IOException {
        ack(car(0, 1), car(0, 2), car(1, 1));
        ExpectedEvents expected = manifest(true);
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).row(car(0, 2), 2).row(car(1, 1), 3)
                .judge(NO_DEAD_LETTERS, expected);
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(3, a.acknowledged());
        assertEquals(3, a.distinctEvents());
        assertEquals(0, a.lost());
    }

    @Test
    void aLostEventAndAnUnacknowledgedOneDoNotCancelOut() throws IOException {
        // Counts alone would pass: 2 acknowledged, 2 distinct in the lake.
        ack(car(0, 1), car(0, 2));
        ledger.record(car(0, 3), Outcome.FAILED);
        ExpectedEvents expected = manifest(true);
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).row(car(0, 3), 2).judge(NO_DEAD_LETTERS, expected);
        assertFalse(a.passed());
        assertEquals(1, a.lost());
        assertEquals(1, a.unexpected());
        assertEquals(List.of("car-000000 #2"), a.lostExamples());
        assertEquals(List.of("car-000000 #3"), a.unexpectedExamples());
        assertTrue(a.problems().get(0).contains("car-000000 #2"), a.problems().toString());
    }

    @Test
    void examplesNameTheRightDeviceWhenDevicesBeforeItSentNothing() throws IOException {
        ledger = new AckLedger(4, 1);
        ack(car(2, 1), car(2, 2), car(2, 3));
        Path file = dir.resolve(AckManifest.FILE_NAME);
        AckManifest.write(file, new ManifestHeader(SEED, 4, 1, "1/1", "s", true, 0, Map.of()), ledger);
        ExpectedEvents expected = ExpectedEvents.read(List.of(file));
        for (long seq = 1; seq <= 3; seq++) {
            assertEquals(car(2, seq), expected.key(expected.index(car(2, seq))));
        }
        RunReport.Audit a = new Lake(expected).row(car(2, 1), 1).row(car(2, 3), 3).judge(NO_DEAD_LETTERS, expected);
        assertEquals(List.of("car-000002 #2"), a.lostExamples());
    }

    @Test
    void aReSendAfterAnAmbiguousAttemptIsTheProducersNotThePipelines() throws IOException {
        ack(car(0, 1), car(0, 2));
        ledger.record(car(0, 2), Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS);
        ExpectedEvents expected = manifest(true);
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).row(car(0, 2), 2).row(car(0, 2), 7)
                .judge(NO_DEAD_LETTERS, expected);
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(0, a.duplicated());
        assertEquals(1, a.producerResends());
        assertEquals(Map.of(AuditRules.RESENT_AFTER_AMBIGUOUS, 1L), a.resendsByCause());
    }

    @Test
    void theSameEventAtTheSamePositionTwiceIsAPipelineDuplicate() throws IOException {
        ack(car(0, 1), car(0, 2));
        ledger.record(car(0, 2), Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS);
        ExpectedEvents expected = manifest(true);
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).row(car(0, 2), 2).row(car(0, 2), 2)
                .judge(NO_DEAD_LETTERS, expected);
        assertFalse(a.passed());
        assertEquals(1, a.duplicated());
        assertEquals(0, a.producerResends());
        assertTrue(a.problems().get(0).contains("car-000000 #2 at shardId-000000000000/2/0"), a.problems().toString());
    }

    @Test
    void anAmbiguousEventMayOrMayNotHaveLanded() throws IOException {
        ack(car(0, 1));
        ledger.record(car(0, 2), Outcome.AMBIGUOUS);
        ledger.record(car(1, 1), Outcome.AMBIGUOUS);
        ExpectedEvents expected = manifest(true);
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).row(car(0, 2), 2).judge(NO_DEAD_LETTERS, expected);
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(2, a.ambiguous());
        assertEquals(1, a.ambiguousLanded());
    }

    @Test
    void anIncompleteManifestJudgesUpToItsLastFlush() throws IOException {
        ack(car(0, 1));
        ExpectedEvents expected = manifest(false);
        // car 0 #2 and car 1 #1 were sent after the flush; they are not held against the run.
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).row(car(0, 2), 2).row(car(1, 1), 3)
                .judge(NO_DEAD_LETTERS, expected);
        assertTrue(a.passed(), a.problems().toString());
        assertFalse(a.manifestComplete());
        assertEquals(2, a.notInManifest());
        ExpectedEvents completed = manifest(true);
        RunReport.Audit judged = new Lake(completed).row(car(0, 1), 1).row(car(0, 2), 2).judge(NO_DEAD_LETTERS,
                completed);
        assertFalse(judged.passed());
        assertEquals(1, judged.unexpected());
    }

    @Test
    void anotherFleetsRowsFailTheAudit() throws IOException {
        ack(car(0, 1));
        ExpectedEvents expected = manifest(true);
        String other = new EventIds(SEED + 1).eventId(true, 0, 1);
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).foreign(other).judge(NO_DEAD_LETTERS, expected);
        assertFalse(a.passed());
        assertEquals(1, a.foreignRows());
        assertTrue(a.problems().get(0).contains(other), a.problems().toString());
    }

    @Test
    void malformedEventsBelongInTheDeadLetterTable() throws IOException {
        ack(car(0, 1), car(0, 2));
        ledger.record(car(0, 2), Outcome.MALFORMED_SENT);
        ExpectedEvents expected = manifest(true);
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).judge(new AuditRules.DeadLetters(1, 1), expected);
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(1, a.expectedDeadLettersMin());
        RunReport.Audit missing = new Lake(manifest(true)).row(car(0, 1), 1).judge(NO_DEAD_LETTERS, manifest(true));
        assertFalse(missing.passed());
        assertTrue(missing.problems().get(0).contains("dead-letter table holds 0 records, expected 1"),
                missing.problems().toString());
        RunReport.Audit twice = new Lake(manifest(true)).row(car(0, 1), 1).judge(new AuditRules.DeadLetters(2, 1),
                manifest(true));
        assertFalse(twice.passed());
        assertEquals(1, twice.duplicated());
    }

    @Test
    void eventsTheStreamLostAreTheFaultsNotThePipelines() throws IOException {
        ack(car(0, 1), car(0, 2), car(0, 3));
        ExpectedEvents expected = manifest(true);
        AckLedger inStream = new AckLedger(2, 1);
        inStream.record(car(0, 2), Outcome.ACKNOWLEDGED);
        Path loss = dir.resolve("stream-loss.manifest");
        AckManifest.write(loss, new ManifestHeader(SEED, 2, 1, "stream-loss", "s", true, 0, Map.of()), inStream);
        expected.readStreamLoss(AckManifest.findStreamLoss(dir));
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).judge(NO_DEAD_LETTERS, expected);
        assertFalse(a.passed(), "car 0 #3 was not in the stream when it was lost: the pipeline lost it");
        assertEquals(1, a.lostWithStream());
        assertEquals(1, a.lost());
        assertEquals(List.of("car-000000 #3"), a.lostExamples());
    }

    @Test
    void theDuplicateFaultsCopiesAreReSendsWithTheirCause() throws IOException {
        ack(car(1, 1));
        ledger.record(car(1, 1), Outcome.DUPLICATE_SENT);
        ExpectedEvents expected = manifest(true);
        RunReport.Audit a = new Lake(expected).row(car(1, 1), 4).row(car(1, 1), 9).judge(NO_DEAD_LETTERS, expected);
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(Map.of(AuditRules.DUPLICATE_FAULT, 1L), a.resendsByCause());
    }

    @Test
    void eventsSentAgainAfterAReshardAreReSendsWithTheirCause() throws IOException {
        ack(car(0, 1), car(0, 2));
        ledger.record(car(0, 2), Outcome.REAGGREGATED);
        ExpectedEvents expected = manifest(true);
        RunReport.Audit a = new Lake(expected).row(car(0, 1), 1).row(car(0, 2), 2).row(car(0, 2), 7)
                .judge(NO_DEAD_LETTERS, expected);
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(0, a.duplicated());
        assertEquals(1, a.producerResends());
        assertEquals(Map.of(AuditRules.REAGGREGATED_AFTER_RESHARD, 1L), a.resendsByCause());
    }
}
