package io.fleetbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's {@code lake} section in report.json, where a threshold reads it, and in summary.txt. */
class ReportWriterTest {
    @TempDir
    Path dir;

    private static RunReport report(RunReport.Lake lake) {
        RunReport.Producer producer = new RunReport.Producer(100, 100, 10, 10, 10, 0, Map.of(), 0, 0, 0, 1, 2, 3);
        RunReport.Audit audit = new RunReport.Audit(true, 10, 10, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, true, List.of());
        RunReport.Pipeline pipeline = new RunReport.Pipeline("s", 1, "kinesalite", 1.0, 2.0, 3.0, 10, 0, 1.0, null, null);
        return new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 12.5, producer, null, null, pipeline,
                List.of(), lake, audit);
    }

    @Test
    void theLakeSectionIsWrittenInSnakeCaseReadBackAndSummarised() throws Exception {
        RunReport.Partitions carsAll = new RunReport.Partitions(2, 5, 1000, 4, 400, 0.4);
        RunReport.Partitions carsClosed = new RunReport.Partitions(1, 1, 600, 0, 0, 0);
        RunReport.LakeTable cars = new RunReport.LakeTable("car_telemetry", "/lake/car_telemetry", 12, 4096, 1024,
                carsAll, carsClosed);
        RunReport.Lake lake = new RunReport.Lake(60, "2026-11-26T10:00:10Z", carsAll, carsClosed, List.of(cars),
                List.of("table /lake/broken: its health could not be read: boom"));
        RunReport report = report(lake);

        String summary = ReportWriter.write(report, dir);
        assertEquals(report, ReportWriter.read(dir.resolve("report.json")));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(0.4, json.at("/lake/all/small_bytes_share").asDouble());
        assertEquals(0.0, json.at("/lake/closed/small_bytes_share").asDouble());
        assertEquals(60.0, json.at("/lake/closed_after_seconds").asDouble());
        assertEquals("car_telemetry", json.at("/lake/tables/0/name").asText());
        assertEquals(4096, json.at("/lake/tables/0/target_file_bytes").asLong());
        assertEquals(400, json.at("/lake/tables/0/all/small_bytes").asLong());
        assertEquals(1, json.at("/lake/tables/0/closed/partitions").asLong());

        assertTrue(summary.contains("lake: 40.0% of the bytes in small files (below a quarter of the table's target file"
                + " size), 0.0% in closed partitions (no file added for 60 s at 2026-11-26T10:00:10Z)"), summary);
        assertTrue(summary.contains("  car_telemetry (target 4 KiB): all 2 partitions, 5 files, 1,000 bytes, 4 small files"
                + " of 400 bytes (40.0%); closed 1 partition, 1 file, 600 bytes, 0 small files of 0 bytes (0.0%)"), summary);
        assertTrue(summary.contains("  - table /lake/broken: its health could not be read: boom"), summary);
    }

    @Test
    void aReportWithoutALakeSectionHasNoLakeLine() throws Exception {
        String summary = ReportWriter.write(report(null), dir);
        assertTrue(!summary.contains("lake:"), summary);
        assertTrue(new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("lake").isMissingNode());
    }

    @Test
    void anAbortedRunNamesItsThresholdInReportJsonAndSummary() throws Exception {
        RunReport report = report(null).withThresholds(List.of(new RunReport.ThresholdResult(
                "producer.put_latency_p99_ms", "< 10", 12.5, false))).withAborted(
                new RunReport.Aborted("producer.put_latency_p99_ms", "< 10", 12.5, 3.04));
        String summary = ReportWriter.write(report, dir);
        assertEquals(report, ReportWriter.read(dir.resolve("report.json")));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals("producer.put_latency_p99_ms", json.at("/aborted/threshold").asText());
        assertEquals("< 10", json.at("/aborted/condition").asText());
        assertEquals(12.5, json.at("/aborted/observed").asDouble());
        assertEquals(3.04, json.at("/aborted/at_seconds").asDouble());
        assertTrue(summary.contains("aborted: producer.put_latency_p99_ms < 10 FAILED while the load ran, observed 12.5"
                + " at 3.0 s: the load was stopped there; what was sent was drained and audited"), summary);
        assertTrue(new ObjectMapper().readTree(ReportWriter.json(report(null))).path("aborted").isMissingNode(),
                "a run that was not stopped has no aborted");
    }
}
