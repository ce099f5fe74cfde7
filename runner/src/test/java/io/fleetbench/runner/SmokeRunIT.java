package io.fleetbench.runner;

import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.report.cost.CostReport;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import io.fleetbench.telemetry.manifest.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a small profile end to end against the real emulators, the real KCL and real Delta tables,
 * then checks the report against the lake as delta-kernel reads it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SmokeRunIT {

    @Test
    void everyAcknowledgedEventLandsInTheLakeExactlyOnce(@TempDir Path runDir) throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-smoke
                duration: 8s
                rate: 1500
                fleet: {seed: 7, cars: 300, bikes: 200}
                stream: {shards: 2}
                sink: {maxLatency: 1s}
                compaction: {interval: 2s, includeOpenPartitions: true, binsPerCommit: 1}
                drain: {timeout: 60s}
                """, runDir);
        RunReport report = run.report();

        assertTrue(report.audit().passed(), Files.readString(runDir.resolve("summary.txt")) + run.console());
        long acknowledged = report.producer().acknowledged();
        assertTrue(acknowledged >= 0.9 * 8 * 1500, "acknowledged " + acknowledged);
        assertEquals(report.producer().sent(), acknowledged + report.producer().failed() + report.producer().ambiguous());

        // The producer's acknowledgement manifest: complete, and every acknowledged event in it.
        Path manifest = runDir.resolve(AckManifest.FILE_NAME);
        ManifestHeader header = AckManifest.readHeader(manifest);
        assertTrue(header.complete() && report.producer().manifest().usable(), report.producer().manifest().toString());
        assertEquals(7, header.seed());
        assertEquals(acknowledged, header.counts().get("acknowledged"));
        long inManifest = AckManifest.load(manifest).values().stream()
                .mapToLong(o -> o.containsKey(Outcome.ACKNOWLEDGED) ? o.get(Outcome.ACKNOWLEDGED).count() : 0).sum();
        assertEquals(acknowledged, inManifest, "no faults: each acknowledged event once in the manifest");

        // Read the lake again, independently of what the run reported.
        LakeCounts reader = new LakeCounts();
        long rows = 0;
        long distinct = 0;
        for (RunReport.Table t : report.tables()) {
            TableCounts audit = reader.audit(t.path());
            assertEquals(0, audit.duplicateEventIds(), t.path());
            rows += audit.rows();
            distinct += audit.distinctEventIds();
        }
        assertEquals(acknowledged, rows);
        assertEquals(acknowledged, distinct);
        assertNotNull(report.pipeline().timeToFirstRowSeconds(), "no row was ever committed");

        // The compactor ran behind the sink, and its last pass after the drain compacted what the sink left.
        RunReport.Compaction compaction = report.pipeline().compaction();
        assertNotNull(compaction, "no compaction section in the report");
        assertEquals(0, compaction.failedTables(), compaction.toString());
        assertTrue(compaction.passes() >= 2, "passes: " + compaction.passes());
        assertTrue(compaction.filesRemoved() > compaction.filesAdded() && compaction.filesAdded() > 0,
                compaction.toString());
        assertEquals(compaction.filesAdded(), compaction.bins());

        // The lake's file sizes after the last pass, per table, as a threshold reads them from report.json.
        RunReport.Lake lakeHealth = report.lake();
        assertNotNull(lakeHealth, "no lake section in the report");
        assertEquals(List.of(), lakeHealth.problems());
        assertEquals(60, lakeHealth.closedAfterSeconds(), "compaction.closedAfter's default");
        assertTrue(Instant.parse(lakeHealth.closedAsOf()).isAfter(Instant.parse(report.startedAt())));
        Map<String, RunReport.LakeTable> byName = new HashMap<>();
        lakeHealth.tables().forEach(t -> byName.put(t.name(), t));
        assertTrue(byName.containsKey("dead_letters"), byName.keySet().toString());
        long files = 0;
        for (RunReport.Table t : report.tables()) {
            RunReport.LakeTable h = byName.get(t.name());
            assertNotNull(h, "no lake figures for table " + t.name());
            assertEquals(List.of(t.files(), t.bytes()), List.of(h.all().files(), h.all().bytes()),
                    "the figures of " + t.name() + " against the independent reader's");
            assertEquals(128L << 20, h.targetFileBytes(), "the sink's target file size");
            // Files of a few kilobytes: every one is small.
            assertEquals(List.of(h.all().files(), h.all().bytes()), List.of(h.all().smallFiles(), h.all().smallBytes()));
            assertTrue(h.closed().files() <= h.all().files() && h.closed().partitions() <= h.all().partitions(),
                    h.toString());
            files += t.files();
        }
        assertEquals(files + byName.get("dead_letters").all().files(), lakeHealth.all().files());
        JsonNode json = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        assertEquals(lakeHealth.all().files(), json.at("/lake/all/files").asLong());
        assertTrue(json.at("/lake/closed/small_bytes_share").isNumber(), json.at("/lake").toString());
        assertTrue(json.at("/lake/tables/0/closed/small_bytes_share").isNumber(), json.at("/lake").toString());
        assertTrue(Files.readString(runDir.resolve("summary.txt")).contains("lake: 100.0% of the bytes in small files"));

        // What the load would cost on AWS, from what the run measured, with the project's prices.
        CostReport cost = report.cost();
        assertNotNull(cost, "no cost section in the report");
        assertTrue(cost.inputs().events() >= acknowledged && cost.inputs().events() <= report.producer().sent(),
                cost.inputs().toString());
        assertEquals(cost.inputs().events(), cost.inputs().kinesisRecords(), "the profile does not aggregate");
        assertTrue(cost.inputs().checkpoints() > 0, cost.inputs().toString());
        assertTrue(cost.withoutAggregation().measured() && !cost.withAggregation().measured());
        assertTrue(cost.withoutAggregation().shards() >= cost.withAggregation().shards(), cost.toString());
        assertTrue(cost.withoutAggregation().perDay().putPayloadUnits()
                >= cost.withAggregation().perDay().putPayloadUnits(), cost.toString());
        assertTrue(cost.lake().bytesPerEvent() > 0 && cost.lake().gbPerBillionEvents() > 0, cost.lake().toString());
        assertTrue(cost.withoutAggregation().perDay().dollars().total() > 0, cost.toString());
        assertEquals(cost.inputs().events(), json.at("/cost/inputs/events").asLong());
        assertTrue(Files.readString(runDir.resolve("summary.txt")).contains("cost: at "));

        assertEquals(report, ReportWriter.read(runDir.resolve("report.json")));
        assertTrue(Files.readString(runDir.resolve("summary.txt")).contains("compaction: "));
        assertTrue(Files.readString(runDir.resolve("summary.txt")).contains("audit: PASSED"));
        assertTrue(run.console().contains("| rows "), "no live line was printed");

        // The run started the emulators, so it must have stopped them.
        assertFalse(LocalRuns.answers(run.kinesisPort()), "kinesalite still answers after the run");
        assertFalse(LocalRuns.answers(run.dynamoPort()), "dynalite still answers after the run");
    }
}
