package io.fleetbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileException;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.profile.Threshold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thresholds judged against a report: passed, failed, and failed for want of a value. */
class ThresholdsTest {
    @TempDir
    Path dir;

    private static List<Threshold> thresholds(String yaml) throws ProfileException {
        LoadProfile p = new ProfileLoader().parse("p.yaml", "name: t\nduration: 10s\nrate: 100\nthresholds:\n" + yaml);
        return p.thresholds();
    }

    private static RunReport report(boolean withPipeline) {
        RunReport.Producer producer = new RunReport.Producer(4000, 3950.5, 10, 10, 10, 2, Map.of(), 0, 7, 0, 12, 250, 900);
        if (!withPipeline) {
            return new RunReport("r1", "t", "t.yaml", "2026-11-26T10:00:00Z", 10, producer, null, null, null, null, null,
                    null);
        }
        RunReport.Audit audit = new RunReport.Audit(true, true, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 3, 3, 3, 3L, 0, true, List.of(), List.of(), List.of());
        RunReport.Sink sink = new RunReport.Sink(4, 1, 1, 1000, 50, 0, 0, 0.002, 200.0);
        RunReport.Pipeline pipeline = new RunReport.Pipeline("reference", "s", 1, "kinesalite", 1.0, 2.0, 3.0, 10, 0, 1.0, sink, null);
        List<RunReport.Table> tables = List.of(
                new RunReport.Table("car_telemetry", "/l/c", 6, 6, 0, 1, 100, new RunReport.Freshness(800, 4000, 4100, 4200)),
                new RunReport.Table("bike_metrics", "/l/b", 4, 4, 0, 1, 100, new RunReport.Freshness(900, 6000, 6100, 6200)));
        RunReport.Partitions all = new RunReport.Partitions(2, 4, 1000, 1, 100, 0.1);
        RunReport.Partitions closed = new RunReport.Partitions(1, 1, 500, 0, 0, 0);
        RunReport.Lake lake = new RunReport.Lake(60, "2026-11-26T10:00:10Z", all, closed,
                List.of(new RunReport.LakeTable("car_telemetry", "/l/c", 3, 4096, 1024, all, closed)), List.of());
        RunReport.Load load = new RunReport.Load("arrivalRate", false, 100, 7, 0.07, List.of(), null);
        RunReport.Http http = new RunReport.Http("http://127.0.0.1:8080/v1/telemetry", "batch", "1.1", 12,
                Map.of("202", 10L, "503", 1L, "timeout", 1L), 10, 0, 1, 1, 4,
                new RunReport.Ingest(Map.of("202", 10L, "503", 1L), Map.of("backpressure", 2L), 1));
        return new RunReport("r1", "t", "t.yaml", "2026-11-26T10:00:00Z", 10, producer, load, null, pipeline, tables,
                lake, audit).withHttp(http);
    }

    @Test
    void passesAndFailsOnTheObservedValue() throws Exception {
        List<RunReport.ThresholdResult> r = Thresholds.judge(thresholds("""
                  producer.sustained_rate: ["> 3900", "> 1e9"]
                  producer.put_latency_p99_ms: ["< 2000"]
                  producer.failed: ["== 0"]
                  sink.freshness_p99_ms{table=car_telemetry}: ["< 5000"]
                  sink.freshness_p99_ms: ["< 5000"]
                  audit.lost: ["== 0"]
                  audit.dead_letters: ["== 3"]
                  lake.small_bytes_share: ["< 0.05"]
                  lake.closed.small_bytes_share{table=car_telemetry}: ["<= 0"]
                """), report(true));
        assertEquals(new RunReport.ThresholdResult("producer.sustained_rate", "> 3900", 3950.5, true), r.get(0));
        assertEquals(new RunReport.ThresholdResult("producer.sustained_rate", "> 1e9", 3950.5, false), r.get(1));
        assertEquals(new RunReport.ThresholdResult("producer.put_latency_p99_ms", "< 2000", 250.0, true), r.get(2));
        assertEquals(new RunReport.ThresholdResult("producer.failed", "== 0", 2.0, false), r.get(3));
        assertEquals(new RunReport.ThresholdResult("sink.freshness_p99_ms{table=car_telemetry}", "< 5000", 4000.0, true),
                r.get(4));
        assertEquals(new RunReport.ThresholdResult("sink.freshness_p99_ms", "< 5000", 6000.0, false), r.get(5),
                "without a table, the worst table's freshness");
        assertTrue(r.get(6).passed());
        assertTrue(r.get(7).passed());
        assertEquals(new RunReport.ThresholdResult("lake.small_bytes_share", "< 0.05", 0.1, false), r.get(8));
        assertTrue(r.get(9).passed());
        assertEquals(10, r.size());
    }

    @Test
    void aMetricWithoutAValueFails() throws Exception {
        List<RunReport.ThresholdResult> r = Thresholds.judge(thresholds("""
                  producer.sustained_rate: ["> 1"]
                  audit.lost: ["== 0"]
                  sink.freshness_p99_ms{table=bike_metrics}: ["< 1e9"]
                  lake.small_bytes_share: ["< 1"]
                """), report(false));
        assertTrue(r.get(0).passed());
        for (RunReport.ThresholdResult t : r.subList(1, 4)) {
            assertFalse(t.passed(), t.metric());
            assertNull(t.observed(), t.metric());
        }
        RunReport judged = report(false).withThresholds(r);
        assertTrue(judged.thresholdFailed());
        String summary = ReportWriter.write(judged, dir);
        assertTrue(summary.contains("thresholds: 3 of 4 FAILED"), summary);
        assertTrue(summary.contains("  - audit.lost == 0: FAILED, observed no value"), summary);
        assertTrue(summary.contains("  - producer.sustained_rate > 1: passed, observed 3950.5"), summary);
    }

    @Test
    void everyMetricOfTheCatalogueReadsAValueFromAFullReport() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (Threshold.Metric m : Threshold.Metric.values()) {
            yaml.append("  ").append(m.key()).append(": [\">= -1\"]\n");
        }
        for (RunReport.ThresholdResult t : Thresholds.judge(thresholds(yaml.toString()), report(true))) {
            assertNotNull(t.observed(), t.metric());
            assertTrue(t.passed(), t.metric());
        }
    }

    @Test
    void theResultsAreWrittenToReportJsonAndReadBack() throws Exception {
        RunReport judged = report(true).withThresholds(Thresholds.judge(thresholds("  audit.lost: [\"== 0\"]\n"
                + "  producer.sustained_rate: [\"> 1e9\"]\n"), report(true)));
        String summary = ReportWriter.write(judged, dir);
        assertEquals(judged, ReportWriter.read(dir.resolve("report.json")));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals("producer.sustained_rate", json.at("/thresholds/1/metric").asText());
        assertEquals("> 1e9", json.at("/thresholds/1/condition").asText());
        assertEquals(3950.5, json.at("/thresholds/1/observed").asDouble());
        assertFalse(json.at("/thresholds/1/passed").asBoolean());
        assertTrue(json.at("/thresholds/0/passed").asBoolean());
        assertTrue(summary.contains("thresholds: 1 of 2 FAILED"), summary);
        assertTrue(summary.contains("  - producer.sustained_rate > 1e9: FAILED, observed 3950.5"), summary);
    }
}
