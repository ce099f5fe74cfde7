package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference pipeline from the HTTP request on: the fleet's requests go to the run's own ingestion endpoint, which
 * puts them into kinesalite, then the KCL consumer and the Delta sink; the exact audit judges the lake against what the
 * endpoint acknowledged with 202, as delta-kernel reads it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HttpPipelineIT {

    @Test
    void everyEventTheEndpointAcknowledgedLandsInTheLakeExactlyOnce(@TempDir Path runDir) throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-http
                duration: 8s
                rate: 1500
                fleet: {seed: 7, cars: 300, bikes: 200, startAt: "08:00"}
                target: http
                http:
                  format: batch
                  batching: {cars: {size: 5, interval: 1s}, bikes: {size: 1}}
                producer: {aggregation: true}
                stream: {shards: 2}
                sink: {maxLatency: 1s}
                compaction: {enabled: false}
                drain: {timeout: 60s}
                """, runDir);
        RunReport report = run.report();
        String summary = Files.readString(runDir.resolve("summary.txt"));
        assertTrue(report.audit().passed(), summary + run.console());

        RunReport.Producer p = report.producer();
        assertTrue(p.acknowledged() >= 0.9 * 8 * 1500, "acknowledged " + p.acknowledged() + ": " + summary);
        assertEquals(p.sent(), p.acknowledged() + p.failed() + p.ambiguous());
        assertEquals(0, p.failed() + p.ambiguous(), summary);

        RunReport.Http http = report.http();
        assertNotNull(http, "no http section: " + summary);
        assertTrue(http.url().startsWith("http://127.0.0.1:") && http.url().endsWith("/v1/telemetry"), http.url());
        assertEquals(http.requests(), http.status2xx(), "every request accepted at once: " + http);
        // At 08:00 the cars drive and batch up to five events, bikes send one per request: fewer requests than events.
        assertTrue(http.requests() < p.sent(), http.requests() + " requests for " + p.sent() + " events");
        assertTrue(http.connectionsOpened() >= 1 && http.connectionsOpened() <= 256, http.toString());
        RunReport.Ingest ingest = http.ingest();
        assertNotNull(ingest, "no figures of the run's ingestion endpoint");
        assertEquals(http.requests(), ingest.requestsByStatus().get("202"), ingest.toString());
        assertTrue(summary.contains("http: " + http.url()), summary);
        // The endpoint's producer aggregated: the shard load counts its puts.
        assertTrue(report.shardLoad().aggregation() && !report.shardLoad().shards().isEmpty(),
                report.shardLoad().toString());

        ManifestHeader header = AckManifest.readHeader(runDir.resolve(AckManifest.FILE_NAME));
        assertTrue(header.complete(), header.toString());
        assertEquals(p.acknowledged(), header.counts().get("acknowledged"));

        LakeCounts reader = new LakeCounts();
        long rows = 0;
        for (RunReport.Table t : report.tables()) {
            TableCounts counts = reader.audit(t.path());
            assertEquals(0, counts.duplicateEventIds(), t.path());
            rows += counts.rows();
        }
        assertEquals(p.acknowledged(), rows, "rows in the lake against events acknowledged with 202");
        assertEquals(p.acknowledged(), report.audit().distinctEvents());
    }
}
