package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.manifest.AckLedger;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * {@code _acknowledged_after_ambiguous_total}, {@code _failed_total{reason}}, {@code _ambiguous_total},
 * {@code _retried_total{reason}},
 * {@code fleetbench_simulator_put_latency_seconds}, {@code fleetbench_simulator_events_in_flight},
 * {@code fleetbench_simulator_requests_in_flight}, and per shard of the stream (listed with ListShards
 * at start) {@code fleetbench_simulator_shard_records_total{shard}} and
 * {@code fleetbench_simulator_shard_bytes_total{shard}}, and {@code fleetbench_simulator_faults_total{fault}}
 * from the {@link FaultInjector} between the fleet and the producer. The fleet's config decides
 * whether the load shape or the fleet's own activity ({@link FleetDriven}) paces the run. Gauges follow the first simulator registered with
 * a registry, so give each concurrent simulator its own registry.
 *
 * <p>With {@link SimulatorConfig#manifest()}, the simulator keeps an {@link AckLedger} of the fleet (memory
 * in proportion to its devices, not its events): the producer records each event's outcome in it and the
 * simulator the data faults' marks as it sends, all on the simulator's one Vert.x context, which also
 * writes it as an {@link AckManifest} every {@link SimulatorConfig#manifestInterval()} (further apart when
 * a write takes long) and, complete, once the run has drained.
 */
public final class Simulator {
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
    /** Longest time between two checks whether the manifest is due. */
    private static final long MANIFEST_CHECK_MILLIS = 1_000;
    private static final long OBSERVATION_INTERVAL_NANOS = 1_000_000_000L;
    private final Vertx vertx;
    private final EventTarget target;
    private final SimulatorConfig config;
    private final MeterRegistry registry;
    private final SimulatorClock clock;
    private final LongSupplier nanoTime;
    private final Fleet fleet;
    private final Map<EventFamily, Counter> generatedCounters = new EnumMap<>(EventFamily.class);
    private final Counter shortfallCounter;
    private final Promise<SimulatorResult> result = Promise.promise();
    private final Histogram runLatency = new Histogram(3);
    private final LoadShape shape;
    private final Histogram snapshotLatency = new Histogram(3);
    private final Histogram observationLatency = new Histogram(3);
    private long lastObservationNanos;

    private volatile Context context;
    private volatile ArrivalRateLimiter limiter;
    private volatile EventSource source;
    private final TargetRate targetRate = new TargetRate();
    private volatile FaultInjector faults;
    private volatile EventSender producer;
    /** Present with a manifest; recorded into and written on the context only. */
    private AckLedger ledger;
    private ManifestFlusher manifest;
    private long manifestTimerId = -1;
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
        this(vertx, client, config, config.loadShape(), registry);
    }

    /**
     * Builds the fleet for a run with its own load shape instead of the config's constant rate;
     * the config's duration still ends the run ({@link Duration#ZERO}: when the shape ends). An
     * {@link AdaptiveLoadShape} is told what the run achieved about once a second.
     */
    public Simulator(Vertx vertx, KinesisAsyncClient client, SimulatorConfig config, LoadShape shape,
                     MeterRegistry registry) {
        this(vertx, EventTarget.kinesis(client, config.producerConfig()), config, shape, registry);
    }

    /**
     * Builds the fleet for a run into any target, such as an HTTP API
     * ({@link io.fleetbench.simulator.http.HttpTarget}); the config's producer settings apply to a Kinesis target only.
     */
    public Simulator(Vertx vertx, EventTarget target, SimulatorConfig config, LoadShape shape,
                     MeterRegistry registry) {
        this(vertx, target, config, shape, registry, SimulatorClock.SYSTEM);
    }

    /** A run on the given clocks and timer instead of the system's. */
    Simulator(Vertx vertx, KinesisAsyncClient client, SimulatorConfig config, LoadShape shape, MeterRegistry registry,
              SimulatorClock clock) {
        this(vertx, EventTarget.kinesis(client, config.producerConfig()), config, shape, registry, clock);
    }

    /** A run into any target on the given clocks and timer instead of the system's. */
    Simulator(Vertx vertx, EventTarget target, SimulatorConfig config, LoadShape shape, MeterRegistry registry,
              SimulatorClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = clock::nanoTime;
        this.shape = Objects.requireNonNull(shape, "shape");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.target = Objects.requireNonNull(target, "target");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.fleet = new Fleet(config.fleet());
        for (EventFamily f : EventFamily.values()) {
            generatedCounters.put(f, Counter.builder(SimulatorMeters.EVENTS_GENERATED)
                    .description("Events the fleet generated, per event family").tag("family", f.wireName())
                    .register(registry));
        }
        // Held strongly, on a small holder rather than the simulator and its fleet: a gauge on a collected
        // object reads NaN, and Prometheus scrapes the run's meters after the load has ended.
        Gauge.builder(SimulatorMeters.TARGET_RATE, targetRate, TargetRate::value).strongReference(true)
                .baseUnit("events.per.second")
                .description("The load shape's target rate now (0 before the start and after the end)")
                .register(registry);
        shortfallCounter = Counter.builder(SimulatorMeters.EVENTS_SHORTFALL)
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
     * @throws ShardMapException     if the stream's shards cannot be listed
     */
    public synchronized Future<SimulatorResult> start() {
        if (context != null) {
            throw new IllegalStateException("a simulator runs once; start() was already called");
        }
        Context ctx = vertx.getOrCreateContext();
        if (config.manifest().isPresent()) {
            FleetConfig f = config.fleet();
            ledger = new AckLedger(f.cars(), f.bikes());
            manifest = new ManifestFlusher(config.manifest().get(), ledger, f.seed(), config.streamName(),
                    config.manifestInterval(), System::nanoTime);
        }
        producer = target.open(ctx, nanoTime, registry, ledger);
        limiter = new ArrivalRateLimiter(shape, config.maxLag(), config.duration(), nanoTime);
        source = config.fleet().fleetDriven()
                .<EventSource>map(m -> new FleetDrivenSource(fleet, m, config.duration(), config.maxLag(), nanoTime))
                .orElseGet(() -> EventSource.arrivalRate(limiter, fleet));
        targetRate.source = source;
        faults = new FaultInjector(config.fleet().faults(), config.fleet().seed(), source.startNanos(), registry);
        lastSnapshotNanos = limiter.startNanos();
        lastObservationNanos = limiter.startNanos();
        context = ctx;
        ctx.runOnContext(v -> {
            timerId = clock.setPeriodic(vertx, Math.max(1, config.tick().toMillis()), id -> tick());
            if (manifest != null) {
                long check = Math.max(1, Math.min(MANIFEST_CHECK_MILLIS, config.manifestInterval().toMillis()));
                manifestTimerId = vertx.setPeriodic(check, id -> manifest.writeIfDue(producer.counters().inFlight()));
            }
        });
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
        collectLatency();
        Histogram interval = snapshotLatency.copy();
        snapshotLatency.reset();
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
            if (source.finished() && !faults.hasReady()) {
                finish();
                return;
            }
            if (!producer.canAccept()) {
                source.dropDue();
                break;
            }
            OutgoingRecord record = faults.poll(nanoTime.getAsLong());
            if (record == null) {
                ScheduledEvent event = source.poll(clock.currentTimeMillis());
                if (event == null) {
                    break;
                }
                // Faults may hold the event back (offline) or turn it into two records (duplicate).
                faults.accept(event, nanoTime.getAsLong());
                generated++;
                generatedCounters.get(event.event().family()).increment();
                continue;
            }
            producer.send(record.partitionKey(), record.data(), record.intendedNanos(), record.key());
            if (ledger != null && record.mark() != null) {
                ledger.record(record.key(), record.mark());
            }
            // Leave the event loop to the producer's callbacks now and then; events not reached
            // this tick are sent late (and measured so) or, beyond maxLag, counted as shortfall.
            if ((++n & 255) == 0 && nanoTime.getAsLong() - tickStart > budget) {
                break;
            }
        }
        producer.flushIfLingered();
        countShortfall();
        if (nanoTime.getAsLong() - lastObservationNanos >= OBSERVATION_INTERVAL_NANOS) {
            observe(false);
        }
    }

    /** Tells an adaptive shape what the run achieved; a plain shape needs no feedback. */
    private void observe(boolean last) {
        if (!(shape instanceof AdaptiveLoadShape adaptive)) {
            return;
        }
        long now = last ? generationEndNanos : nanoTime.getAsLong();
        lastObservationNanos = now;
        Histogram latency;
        synchronized (this) {
            collectLatency();
            latency = observationLatency.copy();
            observationLatency.reset();
        }
        adaptive.observe(new LoadObservation(now - limiter.startNanos(), limiter.issued(), limiter.shortfall(),
                latency, last));
    }

    /** Moves the producer's latest latencies into each reader's own histogram, so no reader takes another's. */
    private synchronized void collectLatency() {
        Histogram h = producer.intervalLatency();
        runLatency.add(h);
        snapshotLatency.add(h);
        if (shape instanceof AdaptiveLoadShape) {
            observationLatency.add(h);
        }
    }

    /**
     * Put latency from the start until now, the same figures the result gives at the end: what a
     * threshold judged while the load runs reads. Thread-safe.
     *
     * @throws IllegalStateException if not started
     */
    public synchronized LatencySummary putLatencySoFar() {
        if (producer == null) {
            throw new IllegalStateException("the simulator was not started; call start() first");
        }
        collectLatency();
        return LatencySummary.ofMicros(runLatency);
    }

    /** Shortfall per stage of the load shape ({@link LoadShape#stageStartNanos}); empty before the start. */
    public long[] shortfallByStage() {
        ArrivalRateLimiter l = limiter;
        return l == null ? new long[0] : l.shortfallByStage();
    }

    /** The source whose target rate the gauge reads while the load runs; none before and after. */
    private static final class TargetRate {
        private volatile EventSource source;

        double value() {
            EventSource s = source;
            return s == null ? 0 : s.targetRate();
        }
    }

    private void countShortfall() {
        long s = source.shortfall();
        shortfallCounter.increment(s - countedShortfall);
        countedShortfall = s;
    }

    private void finish() {
        if (finishing) {
            return;
        }
        finishing = true;
        targetRate.source = null;
        vertx.cancelTimer(timerId);
        countShortfall();
        generationEndNanos = nanoTime.getAsLong();
        producer.drain().thenRun(() -> {
            observe(true);
            writeCompleteManifest();
            result.tryComplete(finalResult());
        });
    }

    /** Writes the manifest once more, complete: every event sent is decided. On the context, after the drain. */
    private void writeCompleteManifest() {
        if (manifest == null) {
            return;
        }
        vertx.cancelTimer(manifestTimerId);
        if (manifest.write(true, producer.counters().inFlight())) {
            ManifestWrites w = manifest.writes();
            LOG.info("Wrote the acknowledgement manifest {}: {} bytes in {} ms, complete ({} writes, the longest {} ms)",
                    w.file(), w.bytes(), w.lastWrite().toMillis(), w.writes(), w.longestWrite().toMillis());
        }
    }

    private synchronized SimulatorResult finalResult() {
        collectLatency();
        long now = nanoTime.getAsLong();
        Duration generation = Duration.ofNanos(generationEndNanos - limiter.startNanos());
        ProducerCounters c = producer.counters();
        double seconds = generation.toNanos() / 1e9;
        double sentPerSecond = seconds > 0 ? c.sent() / seconds : 0;
        SimulatorStats totals = stats(now, sentPerSecond, c, LatencySummary.ofMicros(runLatency));
        return new SimulatorResult(totals, generation, sentPerSecond, runLatency.copy(), producer.shardLoad(),
                Optional.ofNullable(manifest).map(ManifestFlusher::writes), producer.lastAcknowledged());
    }

    private SimulatorStats stats(long now, double actualRate, ProducerCounters c, LatencySummary latency) {
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (FailureReason r : FailureReason.values()) {
            byReason.put(r.label(), c.failedByReason().get(r));
        }
        return new SimulatorStats(Duration.ofNanos(now - limiter.startNanos()), source.targetRate(), actualRate,
                generated, c.sent(), c.acknowledged(), c.failed(), Collections.unmodifiableMap(byReason), c.retried(), c.inFlight(),
                source.shortfall(), latency, faults.counts(), c.acknowledgedAfterAmbiguous(), c.ambiguous(),
                c.reaggregated());
    }
}
