package io.fleetbench.runner.audit;

import io.fleetbench.report.RunReport;

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

    private static final int V1 = 1;

    private static FaultCounts faults(long duplicates, long malformed, long schemaChanged) {
        return new FaultCounts(0, 0, 0, duplicates, 0, malformed, schemaChanged);
    }

    @Test
    void everyAcknowledgedEventOnceIsAPass() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, FaultCounts.NONE), new AuditRules.Lake(1_000, 1_000, 0, 0, 0),
                V1, Optional.empty());
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(1_000, a.expectedDistinctMin());
    }

    @Test
    void faultsShiftWhatIsExpected() {
        // 1,000 acknowledged: 10 were duplicate copies, 5 malformed, 3 of schema version 3, which this build rejects.
        SimulatorStats s = stats(1_000, 0, faults(10, 5, 3));
        RunReport.Audit a = AuditRules.judge(s, new AuditRules.Lake(992, 982, 8, 8, 0), 3, Optional.empty());
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(982, a.expectedDistinctMax());
        assertEquals(10, a.producerDuplicates());
        assertEquals(8, a.expectedInvalidRecords());
    }

    @Test
    void recordsOfASchemaVersionThePipelineDecodesAreExpectedAsRows() {
        // 1,000 acknowledged: 10 duplicate copies, 5 malformed, 30 of schema version 2, which lands.
        SimulatorStats s = stats(1_000, 0, faults(10, 5, 30));
        RunReport.Audit a = AuditRules.judge(s, new AuditRules.Lake(995, 985, 5, 5, 30), 2, Optional.empty());
        assertTrue(a.passed(), a.problems().toString());
        assertEquals(985, a.expectedDistinctMax());
        assertEquals(5, a.expectedInvalidRecords());
        assertEquals(30, a.expectedNewerSchemaRows());

        RunReport.Audit asDeadLetters = AuditRules.judge(s, new AuditRules.Lake(965, 955, 35, 35, 0), 2, Optional.empty());
        assertFalse(asDeadLetters.passed());
        assertEquals(List.of(
                "30 acknowledged events are not in the lake (expected 985 distinct event ids, found 955)",
                "the consumer counted 35 invalid records, expected 5 (5 malformed, 0 of an unsupported schema version)",
                "the lake holds 0 rows of a schema version above 1, expected 30 (the records the schema change sent as version 2)",
                "the dead-letter table holds 35 rows, expected one for each of the 5 invalid records"), asDeadLetters.problems());
    }

    @Test
    void aMissingEventFailsAndSaysHowMany() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, FaultCounts.NONE), new AuditRules.Lake(999, 999, 0, 0, 0),
                V1, Optional.empty());
        assertFalse(a.passed());
        assertEquals(1, a.lost());
        assertTrue(a.problems().get(0).startsWith("1 acknowledged events are not in the lake"), a.problems().toString());
    }

    @Test
    void aDuplicateThePipelineMadeFailsEvenBesideProducerDuplicates() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, faults(10, 0, 0)), new AuditRules.Lake(1_001, 990, 0, 0, 0),
                V1, Optional.empty());
        assertFalse(a.passed());
        assertEquals(1, a.duplicated());
    }

    @Test
    void invalidRecordsMustMatchTheFaults() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, faults(0, 5, 0)), new AuditRules.Lake(995, 995, 4, 5, 0),
                V1, Optional.empty());
        assertFalse(a.passed());
        assertTrue(a.problems().get(0).contains("counted 4 invalid records, expected 5"), a.problems().toString());
    }

    @Test
    void deadLetterRowsMustMatchTheInvalidRecords() {
        RunReport.Audit a = AuditRules.judge(stats(1_000, 0, faults(0, 5, 0)), new AuditRules.Lake(995, 995, 5, 3, 0),
                V1, Optional.empty());
        assertFalse(a.passed());
        assertEquals(3, a.deadLetters());
        assertEquals(List.of("the dead-letter table holds 3 rows, expected one for each of the 5 invalid records"),
                a.problems());
    }

    @Test
    void failedEventsWidenTheExpectedRangeAndUnbalancedAccountsFail() {
        SimulatorStats s = stats(1_000, 20, FaultCounts.NONE);
        assertTrue(AuditRules.judge(s, new AuditRules.Lake(1_007, 1_007, 0, 0, 0), V1, Optional.empty()).passed());
        assertFalse(AuditRules.judge(s, new AuditRules.Lake(979, 979, 0, 0, 0), V1, Optional.empty()).passed());
        assertFalse(AuditRules.judge(s, new AuditRules.Lake(1_007, 1_007, 0, 0, 0), V1, Optional.of("unbalanced")).passed());
    }
}
