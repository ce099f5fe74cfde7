package io.fleetbench.runner.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.runner.metrics.MetricsServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveDashboardTest {
    private static final long SECOND = 1_000_000_000L;

    private final Vertx vertx = Vertx.vertx();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aLateClientGetsTheHistoryThenEachNewPointAsServerSentEvents() throws Exception {
        Counter sent = Counter.builder("fleetbench.simulator.events.sent").register(registry);
        RunRecorder recorder = new RunRecorder(registry, 100);
        recorder.sample(0, 0);
        sent.increment(30);
        recorder.sample(1_000, SECOND);
        try (MetricsServer server = MetricsServer.start(vertx, registry, new LiveDashboard(recorder), "127.0.0.1", 0)) {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/events")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                JsonNode first = nextEvent(events);
                assertEquals(1_000, first.get("t").asLong());
                assertEquals(30, first.get("values").get("rate.sent").asDouble(), 1e-9);

                sent.increment(10);
                recorder.sample(2_000, 2 * SECOND);
                JsonNode second = nextEvent(events);
                assertEquals(2_000, second.get("t").asLong());
                assertEquals(10, second.get("values").get("rate.sent").asDouble(), 1e-9);
            }
        }
    }

    @Test
    void thePageItsScriptAndTheChartLibraryComeFromTheJar() throws Exception {
        RunRecorder recorder = new RunRecorder(registry, 100);
        try (MetricsServer server = MetricsServer.start(vertx, registry, new LiveDashboard(recorder), "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + server.port();
            String page = get(base + "/", "text/html; charset=utf-8");
            assertTrue(page.contains("<script src=\"uPlot.min.js\"></script>"), page);
            assertTrue(get(base + "/uPlot.min.js", "text/javascript; charset=utf-8").contains("var uPlot="));
            assertTrue(get(base + "/dashboard.js", "text/javascript; charset=utf-8").contains("new EventSource('events')"));
            get(base + "/uPlot.min.css", "text/css; charset=utf-8");
            assertEquals("window.FLEETBENCH_HISTORY = [];\n", get(base + "/history.js", "text/javascript; charset=utf-8"));
            get(base + "/dashboard.css", "text/css; charset=utf-8");
            get(base + "/metrics", "text/plain; version=0.0.4; charset=utf-8");
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/nothing")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }

    private String get(String url, String contentType) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url);
        assertEquals(contentType, r.headers().firstValue("Content-Type").orElse(""), url);
        return r.body();
    }

    /** The JSON of the next {@code data:} event, skipping comments and blank lines. */
    private static JsonNode nextEvent(BufferedReader events) throws Exception {
        String line;
        while ((line = events.readLine()) != null) {
            if (line.startsWith("data: ")) {
                return new ObjectMapper().readTree(line.substring("data: ".length()));
            }
        }
        throw new AssertionError("the event stream ended");
    }
}
