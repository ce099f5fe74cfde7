package io.fleetbench.runner.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunRecorderTest {
    private static final long SECOND = 1_000_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter sent = Counter.builder("fleetbench.simulator.events.sent").register(registry);
    private final Counter rowsCars = Counter.builder("fleetbench.sink.written.rows").tag("table", "car_telemetry")
            .register(registry);
    private final Counter rowsBikes = Counter.builder("fleetbench.sink.written.rows").tag("table", "bike_telemetry")
            .register(registry);
    private final Timer putLatency = Timer.builder("fleetbench.simulator.put.latency").publishPercentileHistogram()
            .register(registry);

    @Test
    void ratesAreCounterIncreasesOverTheIntervalBetweenSamples() {
        RunRecorder recorder = new RunRecorder(registry, 100);
        recorder.targetRate(() -> 500);
        sent.increment(1_000);
        RunRecorder.Point baseline = recorder.sample(0, 0);
        assertFalse(baseline.values().containsKey("rate.sent"), "the first sample only sets the baseline");
        assertEquals(List.of(), recorder.history());

        sent.increment(400);
        rowsCars.increment(300);
        rowsBikes.increment(100);
        RunRecorder.Point p = recorder.sample(2_000, 2 * SECOND);

        assertEquals(200, p.values().get("rate.sent"), 1e-9);
        assertEquals(150, p.values().get("rows.car_telemetry"), 1e-9);
        assertEquals(50, p.values().get("rows.bike_telemetry"), 1e-9);
        assertEquals(500, p.values().get("rate.target"), 1e-9);
        assertEquals(List.of(p), recorder.history());
    }

    @Test
    void percentilesDescribeOnlyTheEventsOfTheirInterval() {
        RunRecorder recorder = new RunRecorder(registry, 100);
        for (int i = 0; i < 1_000; i++) {
            putLatency.record(Duration.ofSeconds(2));
        }
        recorder.sample(0, 0);
        for (int i = 0; i < 100; i++) {
            putLatency.record(Duration.ofMillis(10));
        }
        RunRecorder.Point p = recorder.sample(1_000, SECOND);

        double p50 = p.values().get("latency.p50");
        double p99 = p.values().get("latency.p99");
        // The histogram's buckets around 10 ms are a few ms wide; the two-second events are not in this interval.
        assertTrue(p50 > 5 && p50 <= 12, "p50 " + p50);
        assertTrue(p99 > 5 && p99 <= 12, "p99 " + p99);

        RunRecorder.Point idle = recorder.sample(2_000, 2 * SECOND);
        assertFalse(idle.values().containsKey("latency.p50"), "an interval without events has no percentile");
    }

    @Test
    void quantileInterpolatesInsideTheBucketThatHoldsIt() {
        TreeMap<Double, Double> cumulative = new TreeMap<>(Map.of(10.0, 50.0, 20.0, 100.0));
        assertEquals(10, RunRecorder.quantile(cumulative, 100, 0.5), 1e-9);
        assertEquals(15, RunRecorder.quantile(cumulative, 100, 0.75), 1e-9);
        assertEquals(5, RunRecorder.quantile(cumulative, 100, 0.25), 1e-9);
    }

    @Test
    void fileSizesComeFromTheTableHealthGauges() {
        AtomicLong files = new AtomicLong(4);
        Gauge.builder("fleetbench.table.files", files, AtomicLong::get).tag("table", "car_telemetry").register(registry);
        Gauge.builder("fleetbench.table.size", () -> 8 << 20).tag("table", "car_telemetry").register(registry);
        Gauge.builder("fleetbench.table.small.files.ratio", () -> 0.25).tag("table", "car_telemetry").register(registry);
        RunRecorder recorder = new RunRecorder(registry, 100);
        recorder.sample(0, 0);
        RunRecorder.Point p = recorder.sample(1_000, SECOND);

        assertEquals(4, p.values().get("files.car_telemetry"), 1e-9);
        assertEquals(2, p.values().get("size.car_telemetry"), 1e-9, "MiB per file");
        assertEquals(0.25, p.values().get("small.car_telemetry"), 1e-9);
    }

    @Test
    void aLongRunKeepsAtMostCapacityPointsSpanningTheWholeRunWhileListenersGetEverySample() {
        RunRecorder recorder = new RunRecorder(registry, 8);
        List<RunRecorder.Point> heard = new ArrayList<>();
        recorder.subscribe(heard::add);
        recorder.sample(0, 0);
        for (int s = 1; s <= 1_000; s++) {
            sent.increment(10);
            recorder.sample(s * 1_000L, s * SECOND);
            assertTrue(recorder.history().size() < 8, "held " + recorder.history().size() + " points at second " + s);
        }
        List<RunRecorder.Point> history = recorder.history();
        assertEquals(1_000, heard.size());
        assertTrue(history.size() >= 4, "held " + history.size());
        assertTrue(history.get(0).t() <= 256_000, "the oldest point is from the run's start: " + history.get(0).t());
        assertTrue(history.get(history.size() - 1).t() >= 1_000_000 - 256_000, "newest " + history.get(history.size() - 1).t());
        // Averaging keeps the rate right.
        history.forEach(p -> assertEquals(10, p.values().get("rate.sent"), 1e-9));
    }

    @Test
    void aCapacityBelowTwoIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunRecorder(registry, 1));
        assertEquals("capacity must be >= 2, found 1", e.getMessage());
    }
}
