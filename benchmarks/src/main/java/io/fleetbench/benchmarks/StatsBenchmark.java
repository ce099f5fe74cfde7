package io.fleetbench.benchmarks;

import io.fleetbench.lakesink.SinkMeters;
import io.fleetbench.simulator.SimulatorMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The statistics recorded per event on the hot paths, in recordings per second on one thread, into a
 * Prometheus registry as a run serves them. Per acknowledged event the producer records its put latency
 * into an HdrHistogram {@link Recorder} ({@link #producerLatencyRecorder}) and a Micrometer timer with a
 * percentile histogram ({@link #producerLatencyTimer}) and counts it ({@link #producerAcknowledgedCounter});
 * per committed row the sink records its freshness into a timer that also computes percentiles
 * ({@link #sinkFreshnessTimer}). The meters are configured as {@code KinesisProducer} and
 * {@code SinkMetrics} configure theirs; the latencies are drawn before the measurement, log-uniform
 * between 1 ms and 10 s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class StatsBenchmark {
    private static final int VALUES = 1 << 16;

    private final long[] nanos = new long[VALUES];
    private final Recorder recorder = new Recorder(3);
    private Timer putLatency;
    private Timer freshness;
    private Counter acknowledged;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < VALUES; i++) {
            nanos[i] = (long) (1e6 * Math.pow(10, 4 * random.nextDouble()));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        putLatency = Timer.builder(SimulatorMeters.PUT_LATENCY).publishPercentileHistogram().register(registry);
        acknowledged = Counter.builder(SimulatorMeters.EVENTS_ACKNOWLEDGED).register(registry);
        freshness = Timer.builder(SinkMeters.FRESHNESS)
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.99, 0.999)
                .distributionStatisticExpiry(Duration.ofDays(1))
                .distributionStatisticBufferLength(1)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .tag("table", "car_telemetry").register(registry);
    }

    @Benchmark
    public void producerLatencyRecorder() {
        recorder.recordValue(TimeUnit.NANOSECONDS.toMicros(nextNanos()));
    }

    @Benchmark
    public void producerLatencyTimer() {
        putLatency.record(nextNanos(), TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void producerAcknowledgedCounter() {
        acknowledged.increment();
    }

    @Benchmark
    public void sinkFreshnessTimer() {
        freshness.record(nextNanos() / 1_000_000, TimeUnit.MILLISECONDS);
    }

    private long nextNanos() {
        int i = next;
        next = (i + 1) & (VALUES - 1);
        return nanos[i];
    }
}
