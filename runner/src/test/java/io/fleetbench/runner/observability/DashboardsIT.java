package io.fleetbench.runner.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.runner.LoadRun;
import io.fleetbench.runner.RequiredTool;
import io.fleetbench.report.RunReport;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs two short profiles in-process, one after the other, while a real Prometheus (Debian's {@code prometheus}
 * package) scrapes them every second: the fleet straight into the stream, and the fleet over HTTP through the run's
 * own ingestion endpoint. Then it evaluates every query of every panel of every dashboard in {@code dashboards/}
 * through Prometheus's HTTP API as Grafana would for each run ({@code $run} the run's id, {@code $table}
 * {@value #TABLE}, {@code $__rate_interval} as long as the run), at the run's last scrape: each must return at least
 * one finite value for one of the two runs (the HTTP panels have data only for the second, the shard panels of the
 * fleet's own producer only for the first). Also lints the runs' {@code /metrics} text with
 * {@code promtool check metrics}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DashboardsIT {
    /**
     * Two tables, as Grafana writes a multi-value {@code $table}: the fleet's cars follow a daily commute, so
     * a run in the evening (UTC) has no car rows at all, while the bikes ride at every hour.
     */
    private static final String TABLE = "car_telemetry|bike_metrics";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    // Throttles (two shards at 1,100 events/s each against the 1,000 records/s limit), malformed records
    // (dead letters) and compaction of the open partitions, so that every panel has something to show.
    private static final String PROFILE = """
            name: it-dashboards
            duration: 10s
            rate: 2200
            fleet: {seed: 13, cars: 300, bikes: 200}
            stream: {shards: 2}
            producer: {shardLimits: true}
            faults: {malformed: 0.01}
            sink: {maxLatency: 1s}
            compaction: {interval: 2s, includeOpenPartitions: true, binsPerCommit: 1}
            drain: {timeout: 60s}
            """;

    // The same fleet over HTTP: cars batch, bikes send one event per request, through the run's ingestion endpoint.
    private static final String HTTP_PROFILE = """
            name: it-dashboards-http
            duration: 10s
            rate: 1000
            fleet: {seed: 13, cars: 300, bikes: 200}
            target: http
            http: {batching: {cars: {size: 5, interval: 1s}}}
            stream: {shards: 2}
            producer: {aggregation: true}
            sink: {maxLatency: 1s}
            compaction: {enabled: false}
            drain: {timeout: 60s}
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void everyPanelQueryReturnsDataForARunScrapedByPrometheus(@TempDir Path dir) throws Exception {
        Path prometheus = RequiredTool.PROMETHEUS.require();
        Path promtool = RequiredTool.PROMTOOL.require();
        List<Dashboards.Dashboard> dashboards = Dashboards.all();
        assertFalse(dashboards.isEmpty(), "no dashboards in dashboards/");

        int metricsPort = freePort();
        int prometheusPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: fleetbench
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(metricsPort));
        String api = "http://127.0.0.1:" + prometheusPort;
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
        try {
            awaitReady(server, api, dir.resolve("prometheus.log"));
            // The exposition as the run served it, for promtool; the latest answer wins.
            AtomicReference<String> exposition = new AtomicReference<>();
            scraper.scheduleWithFixedDelay(() -> {
                String body = get("http://127.0.0.1:" + metricsPort + "/metrics");
                if (body != null) {
                    exposition.set(body);
                }
            }, 0, 1, TimeUnit.SECONDS);

            String runId = "it-dashboards-" + System.nanoTime();
            double kinesisFrom = System.currentTimeMillis() / 1000.0;
            RunReport report = run(PROFILE, dir.resolve("run"), runId, metricsPort);
            double kinesisTo = System.currentTimeMillis() / 1000.0;
            assertTrue(report.audit().passed(), "the run's audit failed: " + report.audit().problems());
            assertTrue(report.pipeline().compaction().filesRemoved() > 0, "nothing was compacted: "
                    + report.pipeline().compaction());
            String httpRunId = "it-dashboards-http-" + System.nanoTime();
            RunReport overHttp = run(HTTP_PROFILE, dir.resolve("run-http"), httpRunId, metricsPort);
            double httpTo = System.currentTimeMillis() / 1000.0;
            scraper.shutdownNow();
            assertTrue(overHttp.audit().passed(), "the HTTP run's audit failed: " + overHttp.audit().problems());
            assertTrue(overHttp.http().status2xx() > 0, "no request was accepted: " + overHttp.http());

            List<Window> windows = List.of(window(api, runId, kinesisFrom, kinesisTo),
                    window(api, httpRunId, kinesisTo, httpTo));
            List<String> failures = new ArrayList<>();
            int queries = 0;
            for (Dashboards.Dashboard d : dashboards) {
                for (Dashboards.Target t : d.targets()) {
                    queries++;
                    List<String> problems = new ArrayList<>();
                    for (Window w : windows) {
                        String expr = t.expr().replace("$__rate_interval", w.range()).replace("$run", w.runId())
                                .replace("$table", TABLE);
                        String problem = check(api, expr, w.last());
                        if (problem == null) {
                            problems.clear();
                            break;
                        }
                        problems.add(w.runId() + ": " + problem);
                    }
                    if (!problems.isEmpty()) {
                        failures.add(t + " -> " + problems);
                    }
                }
            }
            assertTrue(queries >= 30, "only " + queries + " panel queries in " + dashboards.size() + " dashboards");
            assertEquals(List.of(), failures, "panel queries without data for either run");

            assertTrue(exposition.get() != null, "the runs' /metrics never answered");
            assertTrue(exposition.get().contains("run=\"" + httpRunId + "\""), "no series carries the run label");
            assertTrue(exposition.get().contains("fleetbench_ingest_"), "the ingestion endpoint's meters are missing");
            Path metrics = dir.resolve("metrics.txt");
            Files.writeString(metrics, exposition.get());
            Process lint = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(metrics.toFile())
                    .redirectErrorStream(true).start();
            String lintOutput = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(lint.waitFor(30, TimeUnit.SECONDS), "promtool check metrics did not finish");
            assertEquals("", lintOutput.strip(), "promtool check metrics found problems");
            assertEquals(0, lint.exitValue(), "promtool check metrics exit code");
        } finally {
            scraper.shutdownNow();
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The scrapes of one run: its id, the time of its last successful scrape, and a rate range as long as the run
     * (at the last scrape every series is still there; later instants see staleness markers).
     */
    private record Window(String runId, double last, String range) {
    }

    private Window window(String api, String runId, double from, double to) throws IOException, InterruptedException {
        Scrapes scrapes = scrapes(api, from, to);
        assertTrue(scrapes.count() >= 10, "Prometheus scraped run " + runId + " only " + scrapes.count() + " times");
        return new Window(runId, scrapes.last(), (long) Math.ceil(scrapes.last() - scrapes.first()) + 5 + "s");
    }

    private static RunReport run(String yaml, Path runDir, String runId, int metricsPort) throws Exception {
        var profile = new ProfileLoader().parse("it-dashboards.yaml", yaml);
        var settings = new LoadRun.Settings(ProjectHome.locate(), runDir, runId, System.nanoTime(), "127.0.0.1",
                metricsPort, StackConfig.defaults().withPorts(freePort(), freePort()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        return new LoadRun(profile, Path.of("it-dashboards.yaml"), settings).execute();
    }

    /** Why the query has no finite value at {@code time}, or null when it has one. */
    private String check(String api, String expr, double time) throws IOException, InterruptedException {
        JsonNode answer = query(api, expr, time);
        if (!"success".equals(answer.path("status").asText())) {
            return "status " + answer.path("status").asText() + ": " + answer.path("error").asText();
        }
        JsonNode result = answer.path("data").path("result");
        if (result.isEmpty()) {
            return "no series";
        }
        for (JsonNode series : result) {
            String v = series.path("value").path(1).asText();
            if (!v.equals("NaN") && !v.endsWith("Inf")) {
                return null;
            }
        }
        return "no finite value in " + result;
    }

    private JsonNode query(String api, String expr, double time) throws IOException, InterruptedException {
        String url = api + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&time=" + time;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        return mapper.readTree(r.body());
    }

    /** The successful scrapes of the run: how many, and the times of the first and the last. */
    private record Scrapes(int count, double first, double last) {
    }

    /** The successful scrapes between two times, epoch seconds. */
    private Scrapes scrapes(String api, double from, double to) throws IOException, InterruptedException {
        JsonNode result = query(api, "up{job=\"fleetbench\"}[10m]", System.currentTimeMillis() / 1000.0)
                .path("data").path("result");
        int count = 0;
        double first = 0;
        double last = 0;
        for (JsonNode sample : result.path(0).path("values")) {
            double t = sample.path(0).asDouble();
            if (sample.path(1).asText().equals("1") && t >= from && t <= to) {
                first = count == 0 ? t : first;
                last = t;
                count++;
            }
        }
        return new Scrapes(count, first, last);
    }

    private void awaitReady(Process server, String api, Path log) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("prometheus exited with " + server.exitValue() + ": " + Files.readString(log));
            }
            if (get(api + "/-/ready") != null) {
                return;
            }
            Thread.sleep(200);
        }
        fail("prometheus was not ready within " + READY_TIMEOUT.toSeconds() + " s: " + Files.readString(log));
    }

    /** The body of a 200 answer, or null when there is none. */
    private String get(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
