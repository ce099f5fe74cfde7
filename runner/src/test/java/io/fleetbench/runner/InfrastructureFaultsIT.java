package io.fleetbench.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.report.RunReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each infrastructure fault of a profile ({@code infrastructure:}) in a short run through the real pipeline, judged by
 * the exact audit: nothing acknowledged is lost, the pipeline writes nothing twice, and what the fault did is told
 * apart. A call reset before it was forwarded or refused with HTTP 500 or 503 never reached the stream: the producer
 * cannot know that (a reset or a 5xx leaves a call ambiguous), so it counts its events acknowledged after an ambiguous
 * attempt, but none is in the lake twice. A call reset after it was forwarded, or held by a stall past the producer's
 * API call timeout and forwarded afterwards, did land: its events' copies are producer re-sends after an ambiguous
 * attempt, at their own stream positions. The report names the faults and the calls each one hit.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
// Minutes of runs: in the fault pass of .ci/run (-Dgroups=faults), not in the default `mvn verify`.
@Tag("faults")
class InfrastructureFaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void addedLatencyDelaysEveryPutAndChangesNothingElse(@TempDir Path runDir) throws Exception {
        Faulted run = run("latency", "latency: {delay: 30ms, jitter: 20ms}", runDir);
        RunReport.Producer p = run.report.producer();

        assertTrue(run.hits("latency") > 0, run.summary);
        assertEquals(run.hits("latency"), run.hitsOfAll(), "latency alone; " + run.summary);
        assertEquals(0, p.acknowledgedAfterAmbiguous() + p.ambiguous(), "30-50 ms is far below the API call timeout; "
                + run.summary);
        assertEquals(p.sent(), p.acknowledged(), run.summary);
        assertEquals(0, run.audit().producerResends(), run.summary);
        assertTrue(p.putLatencyP50Ms() >= 30, "every put was delayed by at least 30 ms; " + run.summary);
    }

    @Test
    void aResetBeforeForwardingIsRetriedAndNothingLandsTwice(@TempDir Path runDir) throws Exception {
        Faulted run = run("resets-before", "resets: {before: 0.05}", runDir);
        RunReport.Producer p = run.report.producer();

        assertTrue(run.hits("reset_before") > 0, run.summary);
        assertEquals(run.hits("reset_before"), run.hitsOfAll(), run.summary);
        // The producer cannot tell a reset before forwarding from one after: its events are ambiguous until a retry
        // is acknowledged. None of those calls reached the stream, so no event is there twice.
        assertTrue(p.acknowledgedAfterAmbiguous() > 0, run.summary);
        assertEquals(0, p.ambiguous(), "every reset call was retried in time; " + run.summary);
        assertEquals(0, run.audit().producerResends(), run.summary);
        assertEquals(run.audit().acknowledged(), run.audit().rowsInLake(), run.summary);
    }

    @Test
    void aResetAfterForwardingLandsTwiceAsProducerResends(@TempDir Path runDir) throws Exception {
        Faulted run = run("resets-after", "resets: {after: 0.05}", runDir);
        RunReport.Producer p = run.report.producer();
        RunReport.Audit audit = run.audit();

        assertTrue(run.hits("reset_after") > 0, run.summary);
        assertEquals(run.hits("reset_after"), run.hitsOfAll(), run.summary);
        assertTrue(p.acknowledgedAfterAmbiguous() > 0, run.summary);
        assertEquals(0, p.ambiguous(), run.summary);
        // Every call reset after forwarding landed, with at least one event: each of its events is in the lake once
        // more, at another stream position, and explained by its acknowledgement after an ambiguous attempt.
        assertTrue(audit.producerResends() >= run.hits("reset_after"), run.summary);
        assertEquals(Map.of("resent_after_ambiguous", audit.producerResends()), audit.resendsByCause(), run.summary);
        assertEquals(audit.rowsInLake() - audit.distinctEvents(), audit.producerResends(), run.summary);
    }

    @Test
    void http500And503AreAmbiguousButNeverForwarded(@TempDir Path runDir) throws Exception {
        Faulted run = run("errors", "errors: {internalFailure: 0.03, serviceUnavailable: 0.03}", runDir);
        RunReport.Producer p = run.report.producer();

        assertTrue(run.hits("internal_failure") > 0, run.summary);
        assertTrue(run.hits("service_unavailable") > 0, run.summary);
        assertEquals(run.hits("internal_failure") + run.hits("service_unavailable"), run.hitsOfAll(), run.summary);
        // A 5xx of the whole request is ambiguous by the producer's rules; the proxy answered it without forwarding.
        assertTrue(p.acknowledgedAfterAmbiguous() > 0, run.summary);
        assertEquals(0, p.ambiguous(), run.summary);
        assertEquals(0, run.audit().producerResends(), run.summary);
        assertEquals(run.audit().acknowledged(), run.audit().rowsInLake(), run.summary);
    }

    @Test
    void aStallPastTheApiCallTimeoutLandsTheHeldCallsAndTheirRetries(@TempDir Path runDir) throws Exception {
        // The calls held by the stall time out on the client after 2 s and are retried, into the stall again; when it
        // ends, the proxy forwards the held calls and their retries alike.
        Faulted run = run("stall", "stall: {at: 3s, duration: 4s}", "producer: {apiCallTimeout: 2s}", runDir);
        RunReport.Producer p = run.report.producer();
        RunReport.Audit audit = run.audit();

        assertTrue(run.hits("stall") > 0, run.summary);
        assertEquals(run.hits("stall"), run.hitsOfAll(), run.summary);
        assertTrue(p.acknowledgedAfterAmbiguous() > 0, "calls timed out in the stall; " + run.summary);
        assertTrue(audit.resendsByCause().getOrDefault("resent_after_ambiguous", 0L) > 0,
                "held calls landed besides their retries; " + run.summary);
        // On a busy machine the burst after the stall can time out again, until some events are given up on
        // (ambiguous): their copies are re-sends after ambiguous attempts too. Nothing else may be in the lake twice.
        assertTrue(Set.of("resent_after_ambiguous", "ambiguous_attempts").containsAll(audit.resendsByCause().keySet()),
                run.summary);
        assertEquals(audit.rowsInLake() - audit.distinctEvents(), audit.producerResends(), run.summary);
    }

    /** A finished run with faults, its summary, and the calls each fault hit as report.json holds them. */
    private record Faulted(RunReport report, String summary, JsonNode callsHit) {
        RunReport.Audit audit() {
            return report.audit();
        }

        long hits(String fault) {
            return callsHit.path(fault).asLong();
        }

        long hitsOfAll() {
            long n = 0;
            for (JsonNode hit : callsHit) {
                n += hit.asLong();
            }
            return n;
        }
    }

    private static Faulted run(String name, String faults, Path runDir) throws Exception {
        return run(name, faults, "", runDir);
    }

    /**
     * Runs 10 s of load at 1,200 events/s from 300 devices into 2 shards with the faults, then checks what every faulted
     * run must show: the audit passed, nothing lost, unexpected or duplicated by the pipeline, the producer's accounts
     * balanced, and the faults and their counts in report.json and summary.txt.
     */
    private static Faulted run(String name, String faults, String more, Path runDir) throws Exception {
        LocalRuns.Finished run = LocalRuns.run("""
                name: it-%s
                duration: 10s
                rate: 1200
                fleet: {seed: 23, cars: 200, bikes: 100}
                stream: {shards: 2}
                sink: {maxLatency: 1s}
                compaction: {enabled: false}
                drain: {timeout: 60s}
                infrastructure: {%s}
                %s
                """.formatted(name, faults, more), runDir);
        String summary = Files.readString(runDir.resolve("summary.txt"));
        RunReport.Audit audit = run.report().audit();
        RunReport.Producer p = run.report().producer();

        assertTrue(audit.passed(), summary + run.console());
        assertTrue(audit.manifestComplete(), summary);
        assertEquals(0, audit.lost(), summary);
        assertEquals(0, audit.unexpected(), summary);
        assertEquals(0, audit.duplicated(), summary);
        assertTrue(audit.producerAccountsBalance(), summary);
        assertEquals(p.sent(), p.acknowledged() + p.failed() + p.ambiguous(), summary);
        assertTrue(p.acknowledged() >= 10 * 1200 / 3, "acknowledged " + p.acknowledged() + "; " + summary);
        assertEquals(p.acknowledged(), audit.acknowledged(), summary);
        assertEquals(audit.acknowledged() + audit.ambiguousLanded(), audit.distinctEvents(), summary);

        RunReport.Infrastructure infrastructure = run.report().infrastructure();
        assertNotNull(infrastructure, "no infrastructure section in the report; " + summary);
        assertTrue(summary.contains("infrastructure faults: " + infrastructure.faults() + "; calls hit: "), summary);
        JsonNode callsHit = readCallsHit(runDir);
        System.out.printf("InfrastructureFaultsIT %s: sent %,d, acknowledged %,d, acknowledged after ambiguous %,d,"
                        + " ambiguous %,d, failed %,d, shortfall %,d; producer re-sends %,d %s; calls hit %s; audit %s%n",
                name, p.sent(), p.acknowledged(), p.acknowledgedAfterAmbiguous(), p.ambiguous(), p.failed(),
                p.shortfall(), audit.producerResends(), audit.resendsByCause(), callsHit,
                audit.passed() ? "passed" : "FAILED");
        return new Faulted(run.report(), summary, callsHit);
    }

    private static JsonNode readCallsHit(Path runDir) throws IOException {
        JsonNode callsHit = JSON.readTree(runDir.resolve("report.json").toFile()).at("/infrastructure/calls_hit");
        assertTrue(callsHit.isObject(), "report.json has no infrastructure.calls_hit");
        return callsHit;
    }
}
