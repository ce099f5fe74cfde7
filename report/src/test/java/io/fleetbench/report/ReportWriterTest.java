package io.fleetbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.report.cost.CostModel;
import io.fleetbench.telemetry.ShardLoadReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's {@code lake} section in report.json, where a threshold reads it, and in summary.txt; the
 * shards of the summary's {@code shards:} line and of its cost; the producer's ambiguous outcomes and its
 * acknowledgement manifest; the infrastructure faults injected.
 */
class ReportWriterTest {
    @TempDir
    Path dir;

    private static RunReport report(RunReport.Lake lake) {
        RunReport.Producer producer = new RunReport.Producer(100, 100, 10, 10, 10, 0, Map.of(), 0, 0, 0, 1, 2, 3);
        RunReport.Audit audit = new RunReport.Audit(true, true, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 0, 0, 0, 0L, 0, true, List.of(), List.of(), List.of());
        RunReport.Pipeline pipeline = new RunReport.Pipeline("reference", "s", 1, "kinesalite", 1.0, 2.0, 3.0, 10, 0, 1.0,
                null, null);
        return new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 12.5, producer, null, null, pipeline,
                List.of(), lake, audit);
    }

    @Test
    void anHttpRunSaysWhatItsRequestsMetInEverySummaryAndReadsBack() throws Exception {
        RunReport.Http http = new RunReport.Http("http://127.0.0.1:8080/v1/telemetry", "batch", "2", 120,
                Map.of("202", 100L, "429", 12L, "connection_lost", 8L), 100, 12, 0, 8, 3,
                new RunReport.Ingest(Map.of("202", 100L, "429", 12L, "none", 8L), Map.of("backpressure", 40L), 40));
        RunReport r = report(null).withHttp(http);

        String summary = ReportWriter.write(r, dir);
        assertTrue(summary.contains("http: http://127.0.0.1:8080/v1/telemetry (batch, HTTP/2): 120 requests, 100 2xx,"
                + " 12 4xx, 0 5xx, 8 connection errors, 3 connections opened; by outcome {202=100, 429=12,"
                + " connection_lost=8}"), summary);
        assertTrue(summary.contains("ingest: answered {202=100, 429=12, none=8}; 40 events pushed back, nothing written"),
                summary);
        assertEquals(r, ReportWriter.read(dir.resolve("report.json")));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(12, json.at("/http/requests_by_outcome/429").asLong());
        assertEquals(40, json.at("/http/ingest/backpressure").asLong());
        RunSummaries.write(r, dir);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("| HTTP requests: 2xx / 4xx / 5xx / connection errors | 100 / 12 / 0 / 8 of 120 to"
                + " `http://127.0.0.1:8080/v1/telemetry` |"), md);
        // A run that sent straight into the stream has no http section at all.
        ReportWriter.write(report(null), dir);
        JsonNode none = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("http");
        assertTrue(none.isMissingNode() || none.isNull(), none.toString());
    }

    @Test
    void anExternalPipelineIsNamedAndHasNoLeaseFigure() throws Exception {
        RunReport reference = report(null);
        RunReport.Pipeline p = reference.pipeline();
        RunReport external = new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 12.5,
                reference.producer(), null, null, new RunReport.Pipeline("external", p.stream(), p.shards(),
                p.streamEmulator(), null, 2.0, 3.0, 10, 0, 1.0, null, null), List.of(), null, reference.audit());

        String summary = ReportWriter.write(external, dir);
        assertEquals("external", new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("pipeline")
                .get("kind").asText());
        assertTrue(summary.contains("pipeline (external, seen through its lake): stream s (1 shards, kinesalite);"
                + " first row after 2.0 s of the run; drain 3.0 s; 10 rows committed, 0 dead letters"), summary);
        assertTrue(ReportWriter.write(reference, dir).contains("pipeline: stream s (1 shards, kinesalite); first lease"
                + " after 1.0 s, first row after 2.0 s"));
    }

    @Test
    void theEmulatorRestartsAreWrittenInSnakeCaseReadBackAndSummarisedOneLineEach() throws Exception {
        RunReport report = report(null).withRestarts(List.of(
                new RunReport.EmulatorRestart("dynalite", 8.0, 1.2, 51.3, null, null, null,
                        "lease table t created again with its index after 1.9 s"),
                new RunReport.EmulatorRestart("kinesalite", 12.0, 0.6, 2.6, 7_997L, "stream-loss.manifest", 18,
                        "stream s created again with 1 shards")));

        String summary = ReportWriter.write(report, dir);
        var json = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("restarts");
        assertEquals(2, json.size());
        assertEquals(7_997, json.get(1).get("stream_loss_events").asLong());
        assertEquals("stream-loss.manifest", json.get(1).get("stream_loss_manifest").asText());
        assertTrue(json.get(0).get("stream_loss_events") == null, "dynalite destroys no stream");
        assertEquals(report.restarts(), ReportWriter.read(dir.resolve("report.json")).restarts());
        assertTrue(summary.contains("fault: dynalite killed at 8.0 s of the load and restarted in 1.2 s; lease table t"
                + " created again with its index after 1.9 s\n"), summary);
        assertTrue(summary.contains("fault: kinesalite killed at 12.0 s of the load and restarted in 0.6 s; stream s"
                + " created again with 1 shards; 7,997 events were in the stream it destroyed (stream-loss.manifest)"),
                summary);
        assertFalse(ReportWriter.write(report(null), dir).contains("fault:"), "a run without restarts has no such line");
    }

    @Test
    void theRecordsASinkDroppedAsCommittedAreSummarisedWhenThereAreAny() throws Exception {
        RunReport base = report(null);
        RunReport.Pipeline p = base.pipeline();
        RunReport.Sink dropped = new RunReport.Sink(4, 1, 1, 1000, 50, 0, 0, 0.5, 10.0, 1_234L);
        RunReport withDrops = new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 12.5, base.producer(),
                null, null, new RunReport.Pipeline(p.kind(), p.stream(), p.shards(), p.streamEmulator(),
                p.timeToFirstLeaseSeconds(), p.timeToFirstRowSeconds(), p.drainSeconds(), p.rowsCommitted(),
                p.invalidRecords(), p.committedRowsPerSecond(), dropped, null), List.of(), null, base.audit());

        assertTrue(ReportWriter.write(withDrops, dir).contains("sink: 1,234 records read again and dropped, their"
                + " tables held them already\n"));
        assertEquals(1_234L, ReportWriter.read(dir.resolve("report.json")).pipeline().sink().droppedAsCommitted());
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

    /** A shard's load of events of 200 B, each Kinesis record one PUT payload unit; no second over a limit. */
    private static ShardLoadReport.ShardLoad shard(int i, long records, long bytes, long events, long peakRecords,
                                                   long peakBytes, long peakEvents, long peakEventBytes) {
        return new ShardLoadReport.ShardLoad("shardId-" + i, records, bytes, events, 200 * events, records,
                peakRecords, peakBytes, peakEvents, peakEventBytes, 0);
    }

    /** A summary with the cost at the run's rate: 150,000 events in 100 s at 1,500 events/s. */
    private static String summaryWithCost(ShardLoadReport load) {
        RunReport.Producer producer = new RunReport.Producer(1_500, 1_500, 150_000, 150_000, 150_000, 0, Map.of(), 0,
                0, 0, 1, 2, 3);
        RunReport r = new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 100, producer, null, load,
                null, List.of(), null, report(null).audit());
        return ReportWriter.summary(r.withCost(CostModel.estimate(r.costInputs(null, null, 10_000, 1_000), null,
                null)));
    }

    /** Asserts that the summary holds each fragment: its shards line, its cost heading and cost lines. */
    private static void assertShards(String summary, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(summary.contains(fragment), summary);
        }
    }

    @Test
    void theShardsLineAndTheCostGiveTheSameShardsWithoutAggregation() {
        // Busiest seconds of 1,200, 700 and 500 events of 200 B over 800 a shard: 1.5 + 0.875 + 0.625 = 3.0.
        // Aggregated (estimated), their 480,000 B over 838,860.8 a shard: 0.57. Before, the shards line said 4
        // without aggregation (2 + 1 + 1 at 100 % of the limits) and 3 with, the cost 2 (1,500 events/s on average
        // over 800) and 1.
        ShardLoadReport load = ShardLoadReport.of(false, List.of(
                shard(0, 90_000, 18_000_000, 90_000, 1_200, 240_000, 1_200, 240_000),
                shard(1, 50_000, 10_000_000, 50_000, 700, 140_000, 700, 140_000),
                shard(2, 10_000, 2_000_000, 10_000, 500, 100_000, 500, 100_000)));
        assertShards(summaryWithCost(load),
                "the load needs 3 shards at each shard's busiest second with 20% headroom (3 without aggregation, 1 with)",
                "shards sized for each shard's busiest second with 20% headroom; no prices",
                "  without aggregation: 3 shards (", "  with aggregation (estimated): 1 shard (");
    }

    @Test
    void theShardsLineAndTheCostGiveTheSameShardsWithAggregation() {
        // Aggregates of 50 events of 200 B in 10,100 B. With aggregation, 120 and 40 aggregates/s of 1,212,000 and
        // 404,000 B over 838,860.8 a shard: 1.445 + 0.482 = 1.93. Without, 6,000 and 2,000 events/s over 800:
        // 7.5 + 2.5 = 10.0. Before, the shards line said 3 with (2 + 1) and 8 without (6 + 2); the cost, from
        // 30 aggregates and 303,000 B a second on average, 1 with and 2 without (1,500 events/s over 800).
        ShardLoadReport load = ShardLoadReport.of(true, List.of(
                shard(0, 2_250, 22_725_000, 112_500, 120, 1_212_000, 6_000, 1_200_000),
                shard(1, 750, 7_575_000, 37_500, 40, 404_000, 2_000, 400_000)));
        assertShards(summaryWithCost(load),
                "the load needs 2 shards at each shard's busiest second with 20% headroom (10 without aggregation, 2 with)",
                "  without aggregation (estimated): 10 shards (", "  with aggregation: 2 shards (");
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

    @Test
    void ambiguousOutcomesAndTheManifestAreWrittenReadBackSummarisedAndJudged() throws Exception {
        RunReport base = report(null);
        RunReport.Producer p = new RunReport.Producer(100, 100, 1_000, 1_000, 980, 5, Map.of("request_rejected", 5L), 40,
                0, 0, 1, 2, 3, 35, 15, new RunReport.Manifest("acks.manifest", true, 7, 2_560, 1.5, 4.0, null));
        RunReport report = new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 12.5, p, null, null,
                base.pipeline(), List.of(), null, base.audit());

        String summary = ReportWriter.write(report, dir);
        assertEquals(report, ReportWriter.read(dir.resolve("report.json")));
        JsonNode producer = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("producer");
        assertEquals(15, producer.get("ambiguous").asLong());
        assertEquals(35, producer.get("acknowledged_after_ambiguous").asLong());
        assertEquals("acks.manifest", producer.at("/manifest/file").asText());
        assertTrue(producer.at("/manifest/complete").asBoolean());
        assertTrue(producer.at("/manifest/problem").isMissingNode(), producer.toString());
        assertTrue(summary.contains("producer ambiguous: 15 given up on after an attempt that timed out or lost its"
                + " connection (each in the stream once or not at all); 35 acknowledged after such an attempt (each"
                + " possibly in the stream twice)"), summary);
        assertTrue(summary.contains("manifest: acks.manifest, complete, 2.5 KiB, written 7 times (the longest write 4 ms)"),
                summary);
        assertTrue(RunSummaries.markdown(report).contains("| events sent / acknowledged / failed / ambiguous"
                + " | 1,000 / 980 / 5 / 15 |"), RunSummaries.markdown(report));

        List<RunReport.ThresholdResult> judged = Thresholds.judge(new ProfileLoader().parse("p.yaml",
                "name: t\nduration: 10s\nrate: 100\nthresholds:\n  producer.ambiguous: [\"== 0\"]\n"
                        + "  producer.acknowledged_after_ambiguous: [\"< 100\"]\n").thresholds(), report);
        assertEquals(new RunReport.ThresholdResult("producer.ambiguous", "== 0", 15.0, false), judged.get(0));
        assertEquals(new RunReport.ThresholdResult("producer.acknowledged_after_ambiguous", "< 100", 35.0, true),
                judged.get(1));
    }

    @Test
    void eventsReaggregatedAfterAReshardAreWrittenReadBackAndSummarised() throws Exception {
        RunReport base = report(null);
        RunReport.Producer p = new RunReport.Producer(100, 100, 1_000, 1_000, 1_000, 0, Map.of(), 0, 0, 0, 1, 2, 3, 0,
                0, null, 120);
        RunReport report = new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 12.5, p, null, null,
                base.pipeline(), List.of(), null, base.audit());

        String summary = ReportWriter.write(report, dir);
        assertEquals(report, ReportWriter.read(dir.resolve("report.json")));
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(120, json.get("producer").get("reaggregated").asLong());
        assertTrue(summary.contains("producer re-aggregated: 120 events sent again, aggregated by the stream's new"
                + " shards"), summary);

        ((ObjectNode) json.get("producer")).remove("reaggregated");
        Path older = dir.resolve("older.json");
        Files.writeString(older, json.toString());
        assertEquals(0, ReportWriter.read(older).producer().reaggregated(), "a report of an older build");
        assertFalse(ReportWriter.summary(ReportWriter.read(older)).contains("re-aggregated"));
    }

    @Test
    void aMissingOrStaleManifestIsSaidSo() throws Exception {
        RunReport base = report(null);
        RunReport.Producer p = base.producer();
        for (RunReport.Manifest m : List.of(new RunReport.Manifest("acks.manifest", false, 0, 0, 0, 0,
                        "java.nio.file.AccessDeniedException: acks.manifest.tmp"),
                new RunReport.Manifest("acks.manifest", false, 3, 100, 1, 1, null))) {
            RunReport.Producer withManifest = new RunReport.Producer(p.targetRate(), p.sustainedRate(), p.generated(),
                    p.sent(), p.acknowledged(), p.failed(), p.failedByReason(), p.retried(), p.shortfall(), p.inFlight(),
                    p.putLatencyP50Ms(), p.putLatencyP99Ms(), p.putLatencyMaxMs(), 0, 0, m);
            RunReport report = new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 12.5, withManifest,
                    null, null, base.pipeline(), List.of(), null, base.audit());
            String summary = ReportWriter.write(report, dir);
            assertTrue(summary.contains(m.writes() == 0
                    ? "manifest: acks.manifest is MISSING (java.nio.file.AccessDeniedException: acks.manifest.tmp)"
                    : "manifest: acks.manifest is STALE: it holds what was decided up to its last write"), summary);
            assertTrue(RunSummaries.markdown(report).contains(m.writes() == 0 ? "**missing**" : "**stale**"));
            assertFalse(summary.contains("producer ambiguous:"), "no line without ambiguous outcomes");
        }
    }

    @Test
    void theInfrastructureFaultsAreWrittenReadBackAndSummarised() throws Exception {
        Map<String, Long> hits = new LinkedHashMap<>();
        hits.put("stall", 0L);
        hits.put("latency", 1_234L);
        hits.put("reset_before", 0L);
        hits.put("reset_after", 12L);
        hits.put("internal_failure", 0L);
        hits.put("service_unavailable", 3L);
        RunReport report = report(null).withInfrastructure(new RunReport.Infrastructure(
                "latency 50 ms, 1 % reset after forwarding on PutRecords, PutRecord (seed 1)", hits));

        String summary = ReportWriter.write(report, dir);
        assertEquals(report, ReportWriter.read(dir.resolve("report.json")));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("infrastructure");
        assertEquals(12, json.at("/calls_hit/reset_after").asLong());
        assertEquals(List.of("stall", "latency", "reset_before", "reset_after", "internal_failure", "service_unavailable"),
                names(json.get("calls_hit").fieldNames()), "every kind, in the report's order");
        assertEquals(12, report.infrastructure().hits("reset_after"));
        assertTrue(summary.contains("infrastructure faults: latency 50 ms, 1 % reset after forwarding on PutRecords,"
                + " PutRecord (seed 1); calls hit: delayed 1,234, reset after forwarding 12, HTTP 503 3"), summary);

        Map<String, Long> none = new LinkedHashMap<>();
        hits.keySet().forEach(k -> none.put(k, 0L));
        assertTrue(ReportWriter.write(report(null).withInfrastructure(new RunReport.Infrastructure("HTTP 500", none)), dir)
                .contains("infrastructure faults: HTTP 500; calls hit: none"));
        assertFalse(ReportWriter.write(report(null), dir).contains("infrastructure"), "no line without faults");
        assertTrue(new ObjectMapper().readTree(ReportWriter.json(report(null))).path("infrastructure").isMissingNode());
    }

    private static List<String> names(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
