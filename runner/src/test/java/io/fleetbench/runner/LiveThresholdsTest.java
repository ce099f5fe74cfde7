package io.fleetbench.runner;

import io.fleetbench.report.RunReport;

import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileException;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.profile.Threshold;
import io.fleetbench.simulator.LatencySummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The abortOnFail thresholds judged on synthetic samples of a run so far. */
class LiveThresholdsTest {
    private static final LatencySummary NO_LATENCY = LatencySummary.EMPTY;

    private static List<Threshold> thresholds(String yaml) throws ProfileException {
        LoadProfile p = new ProfileLoader().parse("p.yaml", "name: t\nduration: 60s\nrate: 1000\nthresholds:\n" + yaml);
        return p.thresholds();
    }

    /** A sample at {@code seconds} of a 1,000 events/s load that has kept up so far. */
    private static LiveThresholds.Sample healthy(double seconds) {
        long n = (long) (seconds * 1000);
        return new LiveThresholds.Sample(seconds, 1000, n, n, 0, 0, 0, 0, n, new LatencySummary(n, 20, 40, 80, 120, 150),
                n / 2, 0L, Map.of("car_telemetry", new RunReport.Freshness(900, 2500, 3000, 3100),
                "bike_metrics", new RunReport.Freshness(1100, 4000, 4500, 4600)));
    }

    private static LiveThresholds.Sample withLatencyP99(LiveThresholds.Sample s, double p99) {
        LatencySummary l = s.putLatency();
        return new LiveThresholds.Sample(s.atSeconds(), s.targetRate(), s.sent(), s.acknowledged(), s.failed(),
                s.ambiguous(), s.acknowledgedAfterAmbiguous(), s.shortfall(), s.generated(), new LatencySummary(l.count(), l.p50Millis(), l.p90Millis(), p99,
                l.p999Millis(), Math.max(p99, l.maxMillis())), s.rowsCommitted(), s.invalidRecords(),
                s.freshnessByEventTable());
    }

    @Test
    void onlyTheAbortOnFailThresholdsAreJudged() throws ProfileException {
        LiveThresholds live = new LiveThresholds(thresholds("""
                  producer.put_latency_p99_ms: ["< 1"]
                  audit.lost: ["== 0"]
                """));
        assertTrue(live.isEmpty());
        assertEquals(Optional.empty(), live.firstFailure(healthy(5)));
    }

    @Test
    void aFailedConditionStopsTheLoadAndIsNamedWithItsValueAndTime() throws ProfileException {
        LiveThresholds live = new LiveThresholds(thresholds("""
                  producer.failed: [{threshold: "== 0", abortOnFail: true}]
                  producer.put_latency_p99_ms: ["< 50", {threshold: "< 2000", abortOnFail: true}]
                """));
        assertFalse(live.isEmpty());
        assertEquals(Optional.empty(), live.firstFailure(healthy(3)), "both hold");
        RunReport.Aborted a = live.firstFailure(withLatencyP99(healthy(4), 2500)).orElseThrow();
        assertEquals(new RunReport.Aborted("producer.put_latency_p99_ms", "< 2000", 2500, 4), a);
    }

    @Test
    void theFirstFailingThresholdInTheProfilesOrderIsNamed() throws ProfileException {
        LiveThresholds live = new LiveThresholds(thresholds("""
                  sink.freshness_p99_ms: [{threshold: "< 3000", abortOnFail: true}]
                  producer.put_latency_p99_ms: [{threshold: "< 10", abortOnFail: true}]
                """));
        RunReport.Aborted a = live.firstFailure(healthy(6)).orElseThrow();
        assertEquals("sink.freshness_p99_ms", a.threshold());
        assertEquals(4000, a.observed(), "without a label, the worst table so far");
    }

    @Test
    void aConditionIsNotJudgedBeforeItsDelay() throws ProfileException {
        LiveThresholds live = new LiveThresholds(thresholds("""
                  producer.put_latency_p99_ms: [{threshold: "< 100", abortOnFail: true, delayAbortEval: 10s}]
                """));
        assertEquals(Optional.empty(), live.firstFailure(withLatencyP99(healthy(9.9), 5000)), "warm-up within the delay");
        assertEquals(10, live.firstFailure(withLatencyP99(healthy(10), 5000)).orElseThrow().atSeconds());
    }

    @Test
    void aMetricWithoutAValueYetIsNotJudged() throws ProfileException {
        List<Threshold> t = thresholds("""
                  producer.put_latency_p50_ms: [{threshold: "> 1", abortOnFail: true}]
                  sink.freshness_p50_ms{table=car_dtc}: [{threshold: "> 1", abortOnFail: true}]
                  pipeline.rows_committed: [{threshold: "> 1", abortOnFail: true}]
                  load.shortfall_share: [{threshold: "> 0.5", abortOnFail: true}]
                """);
        LiveThresholds live = new LiveThresholds(t);
        LiveThresholds.Sample start = new LiveThresholds.Sample(0.5, 1000, 0, 0, 0, 0, 0, 0, 0, NO_LATENCY, null, null,
                Map.of());
        assertEquals(Optional.empty(), live.firstFailure(start), "nothing acknowledged, committed or due yet");
        for (Threshold threshold : t) {
            assertNull(LiveThresholds.observed(threshold, start), threshold.key());
        }
        // With a pipeline that has not committed its first row yet, as a run samples it in its first seconds.
        LiveThresholds.Sample starting = start.withPipeline(0, 0, Map.of());
        assertEquals(Optional.empty(), live.firstFailure(starting), "no row committed yet");
        assertNull(LiveThresholds.observed(t.get(2), starting));
    }

    @Test
    void figuresSoFarAreDefinedAsAtTheEndOfTheRun() throws ProfileException {
        List<Threshold> t = thresholds("""
                  producer.target_rate: [{threshold: "> 0", abortOnFail: true}]
                  producer.sustained_rate: [{threshold: "> 0", abortOnFail: true}]
                  producer.acknowledged: [{threshold: "> 0", abortOnFail: true}]
                  producer.shortfall: [{threshold: "> 0", abortOnFail: true}]
                  producer.put_latency_max_ms: [{threshold: "> 0", abortOnFail: true}]
                  load.shortfall_share: [{threshold: "> 0", abortOnFail: true}]
                  pipeline.committed_rows_per_second: [{threshold: "> 0", abortOnFail: true}]
                  pipeline.invalid_records: [{threshold: "> 0", abortOnFail: true}]
                  sink.freshness_p50_ms{table=car_telemetry}: [{threshold: "> 0", abortOnFail: true}]
                """);
        LiveThresholds.Sample s = new LiveThresholds.Sample(10, 1000, 9000, 8800, 0, 0, 0, 1000, 9000,
                new LatencySummary(8800, 20, 40, 80, 120, 150), 8000L, 3L,
                Map.of("car_telemetry", new RunReport.Freshness(900, 2500, 3000, 3100)));
        assertEquals(1000, LiveThresholds.observed(t.get(0), s));
        assertEquals(900, LiveThresholds.observed(t.get(1), s), "sent per second of load so far");
        assertEquals(8800, LiveThresholds.observed(t.get(2), s));
        assertEquals(1000, LiveThresholds.observed(t.get(3), s));
        assertEquals(150, LiveThresholds.observed(t.get(4), s));
        assertEquals(0.1, LiveThresholds.observed(t.get(5), s), 1e-12, "shortfall over generated + shortfall");
        assertEquals(800, LiveThresholds.observed(t.get(6), s));
        assertEquals(3, LiveThresholds.observed(t.get(7), s));
        assertEquals(900, LiveThresholds.observed(t.get(8), s));
    }

    @Test
    void ambiguousOutcomesSoFarCanStopTheLoad() throws ProfileException {
        List<Threshold> t = thresholds("""
                  producer.acknowledged_after_ambiguous: [{threshold: "< 1000", abortOnFail: true}]
                  producer.ambiguous: [{threshold: "== 0", abortOnFail: true}]
                """);
        LiveThresholds.Sample s = new LiveThresholds.Sample(10, 1000, 9000, 8800, 3, 7, 40, 0, 9000,
                new LatencySummary(8800, 20, 40, 80, 120, 150), null, null, Map.of());
        assertEquals(40, LiveThresholds.observed(t.get(0), s));
        assertEquals(7, LiveThresholds.observed(t.get(1), s));
        assertEquals(Optional.of(new RunReport.Aborted("producer.ambiguous", "== 0", 7, 10)),
                new LiveThresholds(t).firstFailure(s));
    }
}
