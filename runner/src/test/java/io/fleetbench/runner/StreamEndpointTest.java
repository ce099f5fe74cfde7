package io.fleetbench.runner;

import io.fleetbench.localstack.ProxyFault;
import io.fleetbench.localstack.ProxyFaults;
import io.fleetbench.report.RunReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's Kinesis calls go through the proxy when the profile asks for shard limits or for infrastructure faults, each
 * alone, and straight to the emulator otherwise. No emulator is needed: the faults asked for here answer without
 * forwarding.
 */
class StreamEndpointTest {
    // Nothing listens here: a call that reached it would fail with 502, not with the fault's answer.
    private static final URI EMULATOR = URI.create("http://127.0.0.1:9");

    private final Vertx vertx = Vertx.vertx();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutLimitsOrFaultsTheRunTalksToTheEmulator() {
        try (StreamEndpoint endpoint = StreamEndpoint.open(vertx, EMULATOR, "127.0.0.1", false, ProxyFaults.none(),
                new SimpleMeterRegistry(), print)) {
            assertEquals(EMULATOR, endpoint.uri());
            assertNull(endpoint.infrastructure());
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void faultsAloneStartTheProxyInThePath() throws Exception {
        ProxyFaults faults = ProxyFaults.none().withErrors(1, 0);
        try (StreamEndpoint endpoint = StreamEndpoint.open(vertx, EMULATOR, "127.0.0.1", false, faults,
                new SimpleMeterRegistry(), print)) {
            assertNotEquals(EMULATOR, endpoint.uri());
            assertEquals("127.0.0.1", endpoint.uri().getHost());

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.uri())
                    .header("X-Amz-Target", "Kinesis_20131202.PutRecords")
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"StreamName\":\"s\",\"Records\":[]}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(500, answer.statusCode());
            assertTrue(answer.body().contains("\"__type\":\"InternalFailure\""), answer.body());
            assertEquals(1L, endpoint.faultCounts().get(ProxyFault.INTERNAL_FAILURE));
            // What the run's report gets: the faults asked for and every kind's count, by its label.
            RunReport.Infrastructure report = endpoint.infrastructure();
            assertEquals(faults.describe(), report.faults());
            assertEquals(List.of("stall", "latency", "reset_before", "reset_after", "internal_failure",
                    "service_unavailable"), List.copyOf(report.callsHit().keySet()));
            assertEquals(1, report.hits("internal_failure"));
            assertEquals(1, report.callsHit().values().stream().mapToLong(Long::longValue).sum(), report.toString());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("infrastructure faults: 100 % HTTP 500 on PutRecords, PutRecord (seed 1),"
                    + " injected by a proxy at " + endpoint.uri()), printed);
            assertTrue(!printed.contains("shard limits"), printed);
        }
    }

    @Test
    void shardLimitsAloneStartTheProxyWithoutFaults() {
        try (StreamEndpoint endpoint = StreamEndpoint.open(vertx, EMULATOR, "127.0.0.1", true, ProxyFaults.none(),
                new SimpleMeterRegistry(), print)) {
            assertNotEquals(EMULATOR, endpoint.uri());
            assertTrue(endpoint.faultCounts().values().stream().allMatch(n -> n == 0));
            assertNull(endpoint.infrastructure(), "no faults, no infrastructure section in the report");
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("shard limits: AWS per-shard limits enforced by a"
                    + " proxy at " + endpoint.uri()));
        }
    }
}
