package io.fleetbench.runner;

import io.fleetbench.compactor.TableHealthMeters;
import io.fleetbench.consumer.ConsumerMeters;
import io.fleetbench.lakesink.SinkMeters;
import io.fleetbench.report.RunReport;

import io.fleetbench.runner.live.RunRecorder;
import io.fleetbench.simulator.SimulatorMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds report.html from a recorded series and the report of a small fixed run, then opens it from
 * disk in headless Chromium: every chart must have drawn, with no network.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReportPageIT {
    /** The charts of a run whose fleet sent HTTP requests. */
    static final List<String> CHARTS = List.of("chart-rate", "chart-latency", "chart-lag", "chart-rows",
            "chart-freshness", "chart-http", "chart-failures", "chart-files", "chart-size", "chart-small");
    /** The charts of a run whose fleet put straight into the stream: no HTTP chart. */
    static final List<String> KINESIS_CHARTS = CHARTS.stream().filter(c -> !c.equals("chart-http")).toList();
    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyChartOfTheReportDrawsFromDiskWithoutNetwork(@TempDir Path runDir) throws Exception {
        RequiredTool.CHROMIUM.require();
        Path profile = runDir.resolve("smoke.yaml");
        Files.writeString(profile, "name: smoke\nduration: 30s\nrate: 1000\n");
        List<RunRecorder.Point> points = recordedRun(30);

        Path html = ReportPageWriter.write(runDir, "run-1", "smoke", profile, fixedReport(), null, points);

        String page = Files.readString(html);
        Matcher url = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}").matcher(page);
        assertFalse(url.find(), () -> "the page names a network address: " + url.group());
        assertFalse(Pattern.compile("(?i)<(script|link|img)[^>]+(src|href)=").matcher(page).find(),
                "the page loads a resource");
        assertTrue(page.contains("<pre id=\"profile\">name: smoke\nduration: 30s\nrate: 1000\n</pre>"));
        assertTrue(page.contains("<span class=\"passed\">passed</span>"));
        assertTrue(page.contains("<tr><th>sent / acknowledged / failed / ambiguous</th><td class=\"n\">30,000 / 29,990 / 10 / 0</td></tr>"),
                page.substring(0, Math.min(page.length(), 3000)));

        String dom = Chromium.dumpDom(html.toUri().toString(), 5000);
        Chromium.assertDrawn(dom, CHARTS);
        assertEquals(30 * 3, Chromium.charts(dom).stream().filter(c -> c.id().equals("chart-rate")).findFirst()
                .orElseThrow().points(), "target, sent and acknowledged over 30 seconds");

        Path screenshot = Path.of("target", "screenshots", "report.png");
        Chromium.screenshot(html.toUri().toString(), screenshot, 5000);
    }

    @Test
    void aRunThatFailedBeforeItsAuditStillGetsItsChartsAndTheReason(@TempDir Path runDir) throws Exception {
        RequiredTool.CHROMIUM.require();
        Path html = ReportPageWriter.write(runDir, "run-2", "smoke", runDir.resolve("missing.yaml"), null,
                new IllegalStateException("the consumer stopped: <boom>"), recordedRun(5));

        String page = Files.readString(html);
        assertTrue(page.contains("The run ended before its audit."));
        assertTrue(page.contains("<li>the run failed: the consumer stopped: &lt;boom&gt;</li>"));
        assertFalse(page.contains("id=\"profile\""), "no profile section when the file cannot be read");
        assertFalse(page.contains("id=\"report-json\""), "no report.json without a report");
        Chromium.assertDrawn(Chromium.dumpDom(html.toUri().toString(), 5000), CHARTS);
    }

    /** A recorder's series over a registry that every chart's meters move in, one sample a second. */
    static List<RunRecorder.Point> recordedRun(int seconds) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter sent = Counter.builder(SimulatorMeters.EVENTS_SENT).register(registry);
        Counter acked = Counter.builder(SimulatorMeters.EVENTS_ACKNOWLEDGED).register(registry);
        Counter throttled = Counter.builder(SimulatorMeters.EVENTS_FAILED).tag("reason", "throttled")
                .register(registry);
        Counter dead = Counter.builder(SinkMeters.DEAD_LETTERS).tag("reason", "malformed").register(registry);
        Counter rows = Counter.builder(SinkMeters.WRITTEN_ROWS).tag("table", "car_telemetry").register(registry);
        Counter accepted = Counter.builder(SimulatorMeters.HTTP_REQUESTS).tag("outcome", "202").register(registry);
        Counter pushedBack = Counter.builder(SimulatorMeters.HTTP_REQUESTS).tag("outcome", "503").register(registry);
        Timer put = Timer.builder(SimulatorMeters.PUT_LATENCY).publishPercentileHistogram().register(registry);
        Timer freshness = Timer.builder(SinkMeters.FRESHNESS).tag("table", "car_telemetry")
                .publishPercentileHistogram().register(registry);
        AtomicLong lagSeconds = new AtomicLong();
        Gauge.builder(ConsumerMeters.ITERATOR_AGE, lagSeconds, AtomicLong::get).tag("shard", "shardId-0")
                .register(registry);
        AtomicLong files = new AtomicLong();
        Gauge.builder(TableHealthMeters.FILES, files, AtomicLong::get).tag("table", "car_telemetry").register(registry);
        Gauge.builder(TableHealthMeters.SIZE, files, f -> f.get() * 3.0 * (1 << 20)).tag("table", "car_telemetry")
                .register(registry);
        Gauge.builder(TableHealthMeters.SMALL_FILES_RATIO, () -> 0.5).tag("table", "car_telemetry")
                .register(registry);

        RunRecorder recorder = new RunRecorder(registry, RunRecorder.DEFAULT_CAPACITY);
        recorder.targetRate(() -> 1000);
        long start = 1_764_150_000_000L;
        recorder.sample(start, 0);
        for (int s = 1; s <= seconds; s++) {
            sent.increment(1000);
            acked.increment(s % 10 == 0 ? 990 : 1000);
            throttled.increment(s % 10 == 0 ? 10 : 0);
            dead.increment(s % 7 == 0 ? 1 : 0);
            rows.increment(900 + 10 * (s % 5));
            accepted.increment(100);
            pushedBack.increment(s % 5 == 0 ? 3 : 0);
            for (int i = 0; i < 50; i++) {
                put.record(Duration.ofMillis(5 + i + s % 3));
                freshness.record(Duration.ofMillis(800 + 20 * i));
            }
            lagSeconds.set(s % 4);
            files.set(s);
            recorder.sample(start + s * 1000L, s * SECOND);
        }
        return recorder.history();
    }

    /** The report of a small fixed run. */
    static RunReport fixedReport() {
        RunReport.Producer producer = new RunReport.Producer(1000, 999.7, 30_000, 30_000, 29_990, 10,
                Map.of("throttled", 10L), 12, 0, 0, 12.5, 48.0, 95.0);
        RunReport.Sink sink = new RunReport.Sink(40, 1.5, 2.0, 180_000, 120, 0, 0, 2.5, 21.0);
        RunReport.Pipeline pipeline = new RunReport.Pipeline("reference", "fleetbench-smoke-1", 2, "kinesalite", 18.0, 21.0, 3.5,
                29_986, 4, 890.0, sink, null);
        RunReport.Table cars = new RunReport.Table("car_telemetry", "/lake/car_telemetry", 29_986, 29_986, 0, 30,
                90 << 20, new RunReport.Freshness(1200, 1900, 2100, 2300));
        RunReport.Audit audit = new RunReport.Audit(true, true, 29_990, 29_986, 29_986, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Map.of(), 4, 4, 4, 4L, 0, true, List.of(), List.of(), List.of());
        return new RunReport("run-1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 58.2, producer, null, null,
                pipeline, List.of(cars), null, audit);
    }
}
