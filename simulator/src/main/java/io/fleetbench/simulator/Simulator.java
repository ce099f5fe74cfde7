package io.fleetbench.simulator;

import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Drives a fleet at a target rate into a Kinesis stream. A periodic timer on one Vert.x context
 * generates every event that is due by the rate limiter and hands it to the producer; when the
 * producer is full, due events are counted as shortfall instead of queueing. At the end of the
 * duration, or on {@link #stop()}, generation stops and the run drains: it ends once every event
 * sent has been acknowledged or has failed.
 *
 * <p>Meters (Prometheus names): {@code fleetbench_simulator_events_generated_total},
 * {@code fleetbench_simulator_events_shortfall_total}, and the producer's
 * {@code fleetbench_simulator_events_sent_total}, {@code _acknowledged_total},
 * {@code _failed_total{reason}}, {@code _retried_total{reason}},
 * {@code fleetbench_simulator_put_latency_seconds}, {@code fleetbench_simulator_events_in_flight},
 * {@code fleetbench_simulator_requests_in_flight}. Gauges follow the first simulator registered with
 * a registry, so give each concurrent simulator its own registry.
 */
public final class Simulator {
    private final Vertx vertx;
    private final KinesisAsyncClient client;
    private final SimulatorConfig config;
    private final MeterRegistry registry;
    private final LongSupplier nanoTime = System::nanoTime;
    private final JsonCodec codec = new JsonCodec();
    private final Fleet fleet;
    private final Counter generatedCounter;
    private final Counter shortfallCounter;
    private final Promise<SimulatorResult> result = Promise.promise();
    private final Histogram runLatency = new Histogram(3);

    private volatile Context context;
    private volatile ArrivalRateLimiter limiter;
    private volatile KinesisProducer producer;
    private volatile long generated;
    private volatile long generationEndNanos;
    private long timerId;
    private boolean finishing;
    private long countedShortfall;
    private long lastSnapshotNanos;
    private long lastSnapshotSent;

    /**
     * Builds the fleet (its state is allocated here, off the event loop).
     *
     * @param vertx    the Vert.x instance whose event loop runs the generator
     * @param client   the Kinesis client, for example from {@link KinesisClients}; not closed here
     * @param config   the run
     * @param registry where the simulator's meters go
     */
    public Simulator(Vertx vertx, KinesisAsyncClient client, SimulatorConfig config, MeterRegistry registry) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.fleet = new Fleet(config.fleet());
        generatedCounter = Counter.builder("fleetbench.simulator.events.generated")
                .description("Events the fleet generated").register(registry);
        shortfallCounter = Counter.builder("fleetbench.simulator.events.shortfall")
                .description("Events due that could not be sent at their intended time").register(registry);
    }

    /** The fleet being driven. */
    public Fleet fleet() {
        return fleet;
    }

    /**
     * Starts generating. Call once.
     *
     * @return completes with the result when the run has drained
     * @throws IllegalStateException if already started
     */
    public synchronized Future<SimulatorResult> start() {
        if (context != null) {
            throw new IllegalStateException("a simulator runs once; start() was already called");
        }
        Context ctx = vertx.getOrCreateContext();
        producer = new KinesisProducer(client, config.producerConfig(), ProducerExecutor.onContext(ctx), nanoTime,
                registry);
        limiter = new ArrivalRateLimiter(config.loadShape(), config.maxLag(), config.duration(), nanoTime);
        lastSnapshotNanos = limiter.startNanos();
        context = ctx;
        ctx.runOnContext(v -> timerId = vertx.setPeriodic(Math.max(1, config.tick().toMillis()), id -> tick()));
        return result.future();
    }

    /**
     * Stops generating and drains.
     *
     * @return the same future as {@link #start()}
     * @throws IllegalStateException if not started
     */
    public Future<SimulatorResult> stop() {
        Context ctx = context;
        if (ctx == null) {
            throw new IllegalStateException("the simulator was not started; call start() first");
        }
        ctx.runOnContext(v -> finish());
        return result.future();
    }

    /**
     * A reading for a live progress line: counters so far, and the actual rate and put latency since
     * the previous snapshot. Thread-safe.
     *
     * @throws IllegalStateException if not started
     */
    public synchronized SimulatorStats snapshot() {
        if (producer == null) {
            throw new IllegalStateException("the simulator was not started; call start() first");
        }
        long now = nanoTime.getAsLong();
        ProducerCounters c = producer.counters();
        Histogram interval = producer.intervalLatency();
        runLatency.add(interval);
        double seconds = (now - lastSnapshotNanos) / 1e9;
        double rate = seconds > 0 ? (c.sent() - lastSnapshotSent) / seconds : 0;
        lastSnapshotNanos = now;
        lastSnapshotSent = c.sent();
        return stats(now, rate, c, LatencySummary.ofMicros(interval));
    }

    private void tick() {
        if (finishing) {
            return;
        }
        long tickStart = nanoTime.getAsLong();
        long budget = config.tick().toNanos();
        int n = 0;
        while (true) {
            if (limiter.finished()) {
                finish();
                return;
            }
            if (!producer.canAccept()) {
                limiter.dropDue();
                break;
            }
            long intended = limiter.poll();
            if (intended == ArrivalRateLimiter.NONE_DUE) {
                break;
            }
            TelemetryEvent event = fleet.next(System.currentTimeMillis());
            producer.send(event.deviceId(), codec.encode(event), intended);
            generated++;
            generatedCounter.increment();
            // Leave the event loop to the producer's callbacks now and then; events not reached
            // this tick are sent late (and measured so) or, beyond maxLag, counted as shortfall.
            if ((++n & 255) == 0 && nanoTime.getAsLong() - tickStart > budget) {
                break;
            }
        }
        producer.flushIfLingered();
        countShortfall();
    }

    private void countShortfall() {
        long s = limiter.shortfall();
        shortfallCounter.increment(s - countedShortfall);
        countedShortfall = s;
    }

    private void finish() {
        if (finishing) {
            return;
        }
        finishing = true;
        vertx.cancelTimer(timerId);
        countShortfall();
        generationEndNanos = nanoTime.getAsLong();
        producer.drain().thenRun(() -> result.tryComplete(finalResult()));
    }

    private synchronized SimulatorResult finalResult() {
        runLatency.add(producer.intervalLatency());
        long now = nanoTime.getAsLong();
        Duration generation = Duration.ofNanos(generationEndNanos - limiter.startNanos());
        ProducerCounters c = producer.counters();
        double seconds = generation.toNanos() / 1e9;
        double sentPerSecond = seconds > 0 ? c.sent() / seconds : 0;
        SimulatorStats totals = stats(now, sentPerSecond, c, LatencySummary.ofMicros(runLatency));
        return new SimulatorResult(totals, generation, sentPerSecond, runLatency.copy());
    }

    private SimulatorStats stats(long now, double actualRate, ProducerCounters c, LatencySummary latency) {
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (FailureReason r : FailureReason.values()) {
            byReason.put(r.label(), c.failedByReason().get(r));
        }
        return new SimulatorStats(Duration.ofNanos(now - limiter.startNanos()), limiter.targetRate(), actualRate,
                generated, c.sent(), c.acknowledged(), c.failed(), Collections.unmodifiableMap(byReason), c.retried(), c.inFlight(),
                limiter.shortfall(), latency);
    }
}
