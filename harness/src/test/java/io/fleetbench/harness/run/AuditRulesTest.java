package io.fleetbench.harness.run;

import io.fleetbench.simulator.FaultCounts;
import io.fleetbench.simulator.LatencySummary;
import io.fleetbench.simulator.SimulatorStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditRulesTest {

    private static SimulatorStats stats(long acknowledged, long failed, FaultCounts faults) {
        LatencySummary none = new LatencySummary(0, 0, 0, 0, 0, 0);
        return new SimulatorStats(Duration.ofSeconds(10), 100, 100, acknowledged + failed, acknowledged + failed,
                acknowledged, failed, Map.of(), 0, 0, 0, none, faults);
    }

    private static FaultCounts faults(long duplicates, long malformed, long schemaChanged) {
        return new FaultCounts(0, 0, 0, duplicates, 0, malformed, schemaChanged);
    }

    @Test
    void everyAcknowledgedEventOnceIsAPass() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, FaultCounts.NONE), new AuditRules.Lake(1_000, 1_000, 0, 0),
                Optional.empty());
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(1_000, a.expectedDistinctMin());
    }

    @Test
    void faultsShiftWhatIsExpected() {
        // 1,000 acknowledged: 10 were duplicate copies, 5 malformed, 3 of schema version 2.
        SimulatorStats s = stats(1_000, 0, faults(10, 5, 3));
        RunReport.Audit a = AuditRules.judge(s, new AuditRules.Lake(992, 982, 8, 8), Optional.empty());
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(982, a.expectedDistinctMax());
        assertEquals(10, a.producerDuplicates());
    }

    @Test
    void aMissingEventFailsAndSaysHowMany() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, FaultCounts.NONE), new AuditRules.Lake(999, 999, 0, 0),
                Optional.empty());
        assertFalse(a.passed());
        assertEquals(1, a.lost());
        assertTrue(a.problems().get(0).startsWith("1 acknowledged events are not in the lake"), a.problems().toString());
    }

    @Test
    void aDuplicateThePipelineMadeFailsEvenBesideProducerDuplicates() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, faults(10, 0, 0)), new AuditRules.Lake(1_001, 990, 0, 0),
                Optional.empty());
        assertFalse(a.passed());
        assertEquals(1, a.duplicated());
    }

    @Test
    void invalidRecordsMustMatchTheFaults() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, faults(0, 5, 0)), new AuditRules.Lake(995, 995, 4, 5),
                Optional.empty());
        assertFalse(a.passed());
        assertTrue(a.problems().get(0).contains("counted 4 invalid records, expected 5"), a.problems().toString());
    }

    @Test
    void deadLetterRowsMustMatchTheInvalidRecords() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, faults(0, 5, 0)), new AuditRules.Lake(995, 995, 5, 3),
                Optional.empty());
        assertFalse(a.passed());
        assertEquals(3, a.deadLetters());
        assertEquals(List.of("the dead-letter table holds 3 rows, expected one for each of the 5 invalid records"),
                a.problems());
    }

    @Test
    void failedEventsWidenTheExpectedRangeAndUnbalancedAccountsFail() {
        SimulatorStats s = stats(1_000, 20, FaultCounts.NONE);
        assertTrue(AuditRules.judge(s, new AuditRules.Lake(1_007, 1_007, 0, 0), Optional.empty()).passed());
        assertFalse(AuditRules.judge(s, new AuditRules.Lake(979, 979, 0, 0), Optional.empty()).passed());
        assertFalse(AuditRules.judge(s, new AuditRules.Lake(1_007, 1_007, 0, 0), Optional.of("unbalanced")).passed());
    }
}
