package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet against a misbehaving front door: the run's own ingestion endpoint answers late, pushes back with 429,
 * and after writing the events answers 500, closes the connection or cuts its answer in the middle. The fleet's
 * accounting must match what the endpoint did request for request, every event must end acknowledged, and the exact
 * audit must pass, with the copies that the retries of broken answers wrote reported as producer re-sends after an
 * ambiguous attempt, not as the pipeline's duplicates.
 */
@Tag("faults")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HttpFaultsIT {

    @Test
    void brokenAnswersAreRetriedAndTheirCopiesAuditedAsResends(@TempDir Path runDir) throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-http-faults
                duration: 8s
                rate: 800
                fleet: {seed: 21, cars: 200, bikes: 200}
                target: http
                http:
                  eventTtl: 60s
                  batching: {cars: {size: 3, interval: 1s}}
                  endpoint:
                    faults:
                      slow: 0.05
                      delay: 300ms
                      tooManyRequests: 0.05
                      errorAfterWrite: 0.03
                      resetAfterWrite: 0.03
                      closeMidResponse: 0.03
                stream: {shards: 2}
                sink: {maxLatency: 1s}
                compaction: {enabled: false}
                drain: {timeout: 90s}
                """, runDir);
        RunReport report = run.report();
        String summary = Files.readString(runDir.resolve("summary.txt"));
        assertTrue(report.audit().passed(), summary + run.console());

        RunReport.Producer p = report.producer();
        assertEquals(p.sent(), p.acknowledged(), "every event acknowledged in the end: " + summary);
        assertTrue(p.acknowledgedAfterAmbiguous() > 0, summary);

        Map<String, Long> fleet = report.http().requestsByOutcome();
        Map<String, Long> endpoint = report.http().ingest().requestsByStatus();
        for (String status : new String[] {"429", "500"}) {
            assertTrue(fleet.getOrDefault(status, 0L) > 0, status + " never met: " + fleet);
            assertEquals(endpoint.get(status), fleet.get(status), "answers " + status + ": " + endpoint + " " + fleet);
        }
        // A closed connection and a cut answer both reach the fleet as a connection lost after the request went out.
        assertTrue(fleet.getOrDefault("connection_lost", 0L) > 0, fleet.toString());
        assertEquals(endpoint.get("none"), fleet.get("connection_lost"), endpoint + " " + fleet);
        assertEquals(endpoint.get("202"), fleet.get("202"), endpoint + " " + fleet);

        // The broken answers' retries wrote their events again, at other stream positions.
        RunReport.Audit a = report.audit();
        assertEquals(0, a.duplicated(), "no pipeline duplicates: " + summary);
        assertTrue(a.producerResends() > 0, summary);
        assertEquals(a.producerResends(), a.resendsByCause().getOrDefault("resent_after_ambiguous", 0L),
                "every copy explained by a retry after an ambiguous attempt: " + a.resendsByCause());
        assertEquals(p.acknowledged() + a.producerResends(), a.rowsInLake(), summary);
    }
}
