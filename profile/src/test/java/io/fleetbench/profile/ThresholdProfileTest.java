package io.fleetbench.profile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A profile's {@code thresholds}: read in order, and refused with the file, line and key when malformed. */
class ThresholdProfileTest {
    private static final String HEAD = "name: t\nduration: 10s\nrate: 100\nthresholds:\n";
    private final ProfileLoader loader = new ProfileLoader();

    private String error(String thresholds) {
        return assertThrows(ProfileException.class, () -> loader.parse("p.yaml", HEAD + thresholds)).getMessage();
    }

    @Test
    void readsEveryConditionInTheProfilesOrder() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", HEAD + """
                  producer.sustained_rate: ["> 3900", "<= 1e4"]
                  sink.freshness_p99_ms{table=car_telemetry}: ["< 15000"]
                  audit.lost: ["==0"]
                  lake.closed.small_bytes_share{table=dead_letters}: ["< .05"]
                """);
        List<Threshold> t = p.thresholds();
        assertEquals(5, t.size());
        assertEquals(Threshold.Metric.PRODUCER_SUSTAINED_RATE, t.get(0).metric());
        assertEquals(Threshold.Operator.GT, t.get(0).operator());
        assertEquals(3900, t.get(0).value());
        assertNull(t.get(0).table());
        assertEquals(Threshold.Operator.LE, t.get(1).operator());
        assertEquals(10_000, t.get(1).value());
        assertEquals("sink.freshness_p99_ms{table=car_telemetry}", t.get(2).key());
        assertEquals("car_telemetry", t.get(2).table());
        assertEquals("< 15000", t.get(2).condition());
        assertEquals(Threshold.Operator.EQ, t.get(3).operator());
        assertEquals("dead_letters", t.get(4).table());
        assertEquals(0.05, t.get(4).value());
        assertTrue(ProfileSummary.describe(p).endsWith("; thresholds: producer.sustained_rate > 3900, producer.sustained_rate"
                + " <= 1e4, sink.freshness_p99_ms{table=car_telemetry} < 15000, audit.lost ==0,"
                + " lake.closed.small_bytes_share{table=dead_letters} < .05"), ProfileSummary.describe(p));
    }

    @Test
    void aProfileWithoutThresholdsHasNone() throws ProfileException {
        assertTrue(loader.parse("p.yaml", "name: t\nduration: 10s\nrate: 100\n").thresholds().isEmpty());
    }

    @Test
    void operatorsCompareAsWritten() {
        assertTrue(Threshold.Operator.LT.holds(1, 2));
        assertFalse(Threshold.Operator.LT.holds(2, 2));
        assertTrue(Threshold.Operator.LE.holds(2, 2));
        assertTrue(Threshold.Operator.GT.holds(3, 2));
        assertFalse(Threshold.Operator.GE.holds(1, 2));
        assertTrue(Threshold.Operator.EQ.holds(0, 0));
        assertTrue(Threshold.Operator.NE.holds(1, 0));
    }

    @Test
    void refusesAnUnknownMetricNamingLineAndKey() {
        String m = error("  audit.lost: [\"== 0\"]\n  producer.rate: [\"> 1\"]\n");
        assertTrue(m.startsWith("p.yaml:6: thresholds.producer.rate names no metric; the metrics are producer.target_rate,"),
                m);
    }

    @Test
    void refusesAnUnknownLabelOrTable() {
        assertTrue(error("  sink.freshness_p99_ms{shard=a}: [\"< 1\"]\n").startsWith(
                "p.yaml:5: thresholds.sink.freshness_p99_ms{shard=a} has an unknown label \"shard\""), "label");
        assertTrue(error("  audit.lost{table=car_telemetry}: [\"== 0\"]\n").startsWith(
                "p.yaml:5: thresholds.audit.lost{table=car_telemetry} has an unknown label \"table\": audit.lost takes no label"),
                "no label");
        String m = error("  sink.freshness_p99_ms{table=dead_letters}: [\"< 1\"]\n");
        assertTrue(m.startsWith("p.yaml:5: thresholds.sink.freshness_p99_ms{table=dead_letters} names no table of"
                + " sink.freshness_p99_ms in its label, found \"dead_letters\""), m);
    }

    @Test
    void refusesAMalformedConditionNamingLineAndKey() {
        for (String bad : List.of("\"=< 5\"", "\"< five\"", "\"5\"", "\"<\"", "\"< 5 ms\"", "\"~ 5\"")) {
            String m = error("  audit.lost: [\"== 0\"]\n  producer.put_latency_p99_ms: [" + bad + "]\n");
            assertTrue(m.startsWith("p.yaml:6: thresholds.producer.put_latency_p99_ms has a malformed condition \""),
                    bad + " -> " + m);
            assertTrue(m.contains("expected an operator (<, <=, >, >=, ==, !=) and a number"), m);
        }
    }

    @Test
    void refusesAMetricWithoutConditionsOrWithAScalar() {
        assertTrue(error("  audit.lost: []\n").startsWith("p.yaml:5: thresholds.audit.lost must list at least one condition"));
        assertTrue(error("  audit.lost:\n").startsWith("p.yaml:5: thresholds.audit.lost must list at least one condition"));
        assertTrue(error("  audit.lost: \"== 0\"\n").startsWith("p.yaml:5: thresholds.audit.lost: "),
                error("  audit.lost: \"== 0\"\n"));
    }

    @Test
    void readsAConditionWrittenAsAMapWithItsAbortOptions() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", HEAD + """
                  producer.put_latency_p99_ms:
                    - "< 5000"
                    - {threshold: "< 2000", abortOnFail: true, delayAbortEval: 10s}
                  sink.freshness_p99_ms{table=car_telemetry}:
                    - threshold: "< 15000"
                      abortOnFail: true
                  audit.lost:
                    - {threshold: "== 0", abortOnFail: false}
                """);
        List<Threshold> t = p.thresholds();
        assertEquals(4, t.size());
        assertFalse(t.get(0).abortOnFail(), "a string is judged at the end only");
        assertEquals(java.time.Duration.ZERO, t.get(0).delayAbortEval());
        assertEquals("< 2000", t.get(1).condition());
        assertEquals(Threshold.Operator.LT, t.get(1).operator());
        assertEquals(2000, t.get(1).value());
        assertTrue(t.get(1).abortOnFail());
        assertEquals(java.time.Duration.ofSeconds(10), t.get(1).delayAbortEval());
        assertEquals("car_telemetry", t.get(2).table());
        assertTrue(t.get(2).abortOnFail());
        assertEquals(java.time.Duration.ZERO, t.get(2).delayAbortEval());
        assertFalse(t.get(3).abortOnFail(), "abortOnFail: false is allowed on a metric of the end");
        assertTrue(ProfileSummary.describe(p).endsWith("thresholds: producer.put_latency_p99_ms < 5000,"
                + " producer.put_latency_p99_ms < 2000 (abortOnFail after 10s), sink.freshness_p99_ms{table=car_telemetry}"
                + " < 15000 (abortOnFail), audit.lost == 0"), ProfileSummary.describe(p));
    }

    @Test
    void refusesAnUnknownKeyInAConditionMapNamingLineAndKey() {
        String m = error("  audit.lost: [\"== 0\"]\n  producer.failed:\n    - threshold: \"== 0\"\n      abortOnFial: true\n");
        assertTrue(m.startsWith("p.yaml:8: thresholds.producer.failed[0].abortOnFial is an unknown key of a condition"
                + " (known keys here: abortOnFail, delayAbortEval, threshold)"), m);
    }

    @Test
    void refusesAConditionMapWithoutAThresholdOrWithBadValues() {
        String m = error("  audit.lost: [\"== 0\"]\n  producer.failed: [{abortOnFail: true}]\n");
        assertTrue(m.startsWith("p.yaml:6: thresholds.producer.failed[0] has no threshold: a condition written as a map"
                + " needs one"), m);
        m = error("  producer.failed:\n    - {threshold: \"=< 0\", abortOnFail: true}\n");
        assertTrue(m.startsWith("p.yaml:6: thresholds.producer.failed[0].threshold has a malformed condition \"=< 0\""), m);
        m = error("  producer.failed:\n    - {threshold: \"== 0\", abortOnFail: yes please}\n");
        assertTrue(m.startsWith("p.yaml:6: thresholds.producer.failed[0].abortOnFail must be true or false, found"
                + " \"yes please\""), m);
        m = error("  producer.failed:\n    - {threshold: \"== 0\", abortOnFail: true, delayAbortEval: 10}\n");
        assertTrue(m.startsWith("p.yaml:6: thresholds.producer.failed[0].delayAbortEval expected a duration such as 10s"), m);
        m = error("  producer.failed:\n    - {threshold: \"== 0\", abortOnFail: true, delayAbortEval: 10 seconds}\n");
        assertTrue(m.startsWith("p.yaml:6: thresholds.producer.failed[0].delayAbortEval expected a duration such as 500ms"), m);
        m = error("  producer.failed:\n    - {threshold: \"== 0\", delayAbortEval: 10s}\n");
        assertTrue(m.startsWith("p.yaml:6: thresholds.producer.failed[0].delayAbortEval has no effect without"
                + " abortOnFail: true"), m);
    }

    @Test
    void refusesAbortOnFailOnAMetricThatExistsOnlyAtTheEnd() {
        for (String key : List.of("audit.lost", "audit.duplicated", "audit.dead_letters", "lake.small_bytes_share",
                "lake.closed.small_bytes_share{table=car_telemetry}")) {
            String m = error("  producer.failed: [\"== 0\"]\n  " + key + ":\n    - threshold: \"< 1\"\n"
                    + "      abortOnFail: true\n");
            String metric = key.replaceAll("\\{.*", "");
            assertTrue(m.startsWith("p.yaml:8: thresholds." + key + "[0].abortOnFail cannot be true for " + metric
                    + ": it has a value only once the run has ended"), m);
            assertTrue(m.contains("The metrics judged while the load runs are producer.target_rate,"), m);
            assertFalse(m.substring(m.indexOf("The metrics judged")).contains("audit."), m);
        }
    }

    @Test
    void acceptsAbortOnFailOnEveryMetricThatHasAValueWhileTheLoadRuns() throws ProfileException {
        StringBuilder yaml = new StringBuilder(HEAD);
        for (Threshold.Metric metric : Threshold.Metric.values()) {
            if (metric.live()) {
                yaml.append("  ").append(metric.key()).append(": [{threshold: \">= 0\", abortOnFail: true}]\n");
            }
        }
        List<Threshold> t = loader.parse("p.yaml", yaml.toString()).thresholds();
        assertEquals(16, t.size());
        assertTrue(t.stream().allMatch(Threshold::abortOnFail));
    }
}
