package io.fleetbench.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a short profile through the real local pipeline and opens its live dashboard in headless
 * Chromium while the simulator sends, then opens the run's report.html: both must draw their charts.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class LiveDashboardIT {

    @Test
    void theLivePageDrawsDuringARunAndTheRunLeavesAReportWhoseChartsAllDraw(@TempDir Path runDir) throws Exception {
        RequiredTool.CHROMIUM.require();
        int port = LocalRuns.freePort();
        CompletableFuture<LocalRuns.Finished> running = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalRuns.run("""
                        name: it-live
                        duration: 25s
                        rate: 800
                        fleet: {seed: 11, cars: 200, bikes: 100}
                        stream: {shards: 2}
                        sink: {maxLatency: 1s}
                        compaction: {interval: 2s, includeOpenPartitions: true}
                        drain: {timeout: 60s}
                        """, runDir, port);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        String page = "http://127.0.0.1:" + port + "/";
        awaitPointsWhileSending(page + "events", 3, running);

        String dom = Chromium.dumpDomLive(page, 8000);
        Map<String, Chromium.Chart> live = Chromium.charts(dom).stream()
                .collect(Collectors.toMap(Chromium.Chart::id, c -> c));
        for (String id : List.of("chart-rate", "chart-latency")) {
            Chromium.Chart c = live.get(id);
            assertTrue(c != null && c.drawn() && c.points() > 0, id + " on the live page: " + c);
        }
        Chromium.screenshotLive(page, Path.of("target", "screenshots", "live-dashboard.png"), 8000);

        LocalRuns.Finished run = running.get(5, TimeUnit.MINUTES);
        assertTrue(run.report().audit().passed(), run.console());
        assertTrue(run.console().contains("dashboard: " + page), run.console());
        Path html = runDir.resolve("report.html");
        Chromium.assertDrawn(Chromium.dumpDom(html.toUri().toString(), 5000), ReportPageIT.KINESIS_CHARTS);
        Chromium.screenshot(html.toUri().toString(), Path.of("target", "screenshots", "run-report.png"), 5000);
        assertTrue(Files.readString(html).contains("<span class=\"passed\">passed</span>"), "the audit is in the report");
    }

    /** Follows the live events until {@code count} of them saw events sent. */
    private static void awaitPointsWhileSending(String events, int count, CompletableFuture<?> running)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        HttpResponse<InputStream> response = null;
        while (response == null) {
            if (running.isDone()) {
                running.join();
                throw new AssertionError("the run ended before its dashboard answered");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the dashboard did not answer at " + events + " within 2 minutes");
            }
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(events)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (ConnectException e) {
                // The run has not bound its port yet: try again shortly, without spinning a shared core.
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        ObjectMapper json = new ObjectMapper();
        int seen = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while (seen < count && (line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    JsonNode sent = json.readTree(line.substring(6)).path("values").path("rate.sent");
                    if (sent.asDouble() > 0) {
                        seen++;
                    }
                }
            }
        }
        assertTrue(seen == count, "the event stream ended after " + seen + " points with events sent");
    }
}
