package io.fleetbench.simulator;

import io.fleetbench.telemetry.manifest.AckManifest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulator run: the fleet, the load, and how events are put into Kinesis.
 *
 * @param fleet                 the fleet. Default {@link FleetConfig#defaults()}.
 * @param targetEventsPerSecond constant arrival rate, events per second, in (0, 1e9]. Default 1,000.
 * @param duration              how long events are generated; {@link Duration#ZERO} runs until
 *                              {@link Simulator#stop()}. Default 60 s.
 * @param streamName            the Kinesis stream; required
 * @param maxInFlightRequests   most PutRecords batches in flight. Default 16.
 * @param recordTtl             how long after its intended send time an event may be retried. Default 30 s.
 * @param linger                longest a partly filled batch waits before it is sent. Default 20 ms.
 * @param tick                  period of the generator loop, 1 ms to 1 s. Default 5 ms.
 * @param maxLag                events more overdue than this are counted as shortfall instead of
 *                              being sent late. Positive. Default 1 s.
 * @param aggregation           KPL-compatible aggregation of records per predicted shard
 *                              ({@link ProducerConfig#aggregation()}). Default false.
 * @param apiCallTimeout        longest one PutRecords call may take ({@link ProducerConfig#apiCallTimeout()}).
 *                              Default 10 s.
 * @param manifest              where the producer's acknowledgement manifest ({@link AckManifest}) is written
 *                              while the run goes and, complete, after its drain; empty for none (the
 *                              simulator then keeps no record per event). Default empty.
 * @param manifestInterval      the least time between two writes of the manifest while the run goes
 *                              (a write that takes long spaces them further). Positive. Default 5 s.
 */
public record SimulatorConfig(FleetConfig fleet, double targetEventsPerSecond, Duration duration, String streamName,
                              int maxInFlightRequests, Duration recordTtl, Duration linger, Duration tick,
                              Duration maxLag, boolean aggregation, Duration apiCallTimeout, Optional<Path> manifest,
                              Duration manifestInterval) {
    /** The default {@link #manifestInterval()}. */
    public static final Duration DEFAULT_MANIFEST_INTERVAL = Duration.ofSeconds(5);

    public SimulatorConfig {
        Objects.requireNonNull(fleet, "fleet");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0 (0 = until stopped), found " + duration);
        }
        if (tick.compareTo(Duration.ofMillis(1)) < 0 || tick.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("tick must be in [1 ms, 1 s], found " + tick);
        }
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("maxLag must be positive, found " + maxLag);
        }
        if (!(targetEventsPerSecond > 0 && targetEventsPerSecond <= 1e9)) {
            throw new IllegalArgumentException("targetEventsPerSecond must be in (0, 1e9], found " + targetEventsPerSecond);
        }
        Objects.requireNonNull(manifest, "manifest");
        if (manifestInterval.isNegative() || manifestInterval.isZero()) {
            throw new IllegalArgumentException("manifestInterval must be positive, found " + manifestInterval);
        }
        // The producer's options follow the producer's rules; building its config checks them.
        producerConfig(streamName, maxInFlightRequests, recordTtl, linger, apiCallTimeout);
    }

    /** The defaults for a stream: default fleet, 1,000 events/s for 60 s, the producer defaults, 5 ms tick, 1 s max lag. */
    public static SimulatorConfig defaults(String streamName) {
        ProducerConfig p = ProducerConfig.defaults(streamName);
        return new SimulatorConfig(FleetConfig.defaults(), 1_000, Duration.ofSeconds(60), streamName,
                p.maxInFlightRequests(), p.recordTtl(), p.linger(), Duration.ofMillis(5), Duration.ofSeconds(1),
                p.aggregation(), p.apiCallTimeout(), Optional.empty(), DEFAULT_MANIFEST_INTERVAL);
    }

    /** This config with another fleet. */
    public SimulatorConfig withFleet(FleetConfig fleet) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with another target rate. */
    public SimulatorConfig withTargetEventsPerSecond(double targetEventsPerSecond) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with another duration. */
    public SimulatorConfig withDuration(Duration duration) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with another bound on requests in flight. */
    public SimulatorConfig withMaxInFlightRequests(int maxInFlightRequests) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with another record time-to-live. */
    public SimulatorConfig withRecordTtl(Duration recordTtl) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with another linger. */
    public SimulatorConfig withLinger(Duration linger) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with another generator tick. */
    public SimulatorConfig withTick(Duration tick) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with another maximum lag. */
    public SimulatorConfig withMaxLag(Duration maxLag) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with aggregation on or off. */
    public SimulatorConfig withAggregation(boolean aggregation) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config with another API call timeout. */
    public SimulatorConfig withApiCallTimeout(Duration apiCallTimeout) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, manifest, manifestInterval);
    }

    /** This config writing the acknowledgement manifest to {@code file} every {@link #DEFAULT_MANIFEST_INTERVAL}. */
    public SimulatorConfig withManifest(Path file) {
        return withManifest(file, DEFAULT_MANIFEST_INTERVAL);
    }

    /** This config writing the acknowledgement manifest to {@code file} at least {@code interval} apart. */
    public SimulatorConfig withManifest(Path file, Duration interval) {
        return new SimulatorConfig(fleet, targetEventsPerSecond, duration, streamName, maxInFlightRequests, recordTtl,
                linger, tick, maxLag, aggregation, apiCallTimeout, Optional.of(file), interval);
    }

    /** The load shape: a constant rate of {@code targetEventsPerSecond}. */
    public LoadShape loadShape() {
        return LoadShape.constant(targetEventsPerSecond);
    }

    /** The producer's config, with the default retry backoff. */
    public ProducerConfig producerConfig() {
        return producerConfig(streamName, maxInFlightRequests, recordTtl, linger, apiCallTimeout)
                .withAggregation(aggregation);
    }

    private static ProducerConfig producerConfig(String streamName, int maxInFlightRequests, Duration recordTtl,
                                                 Duration linger, Duration apiCallTimeout) {
        return ProducerConfig.defaults(streamName).withMaxInFlightRequests(maxInFlightRequests)
                .withRecordTtl(recordTtl).withLinger(linger).withApiCallTimeout(apiCallTimeout);
    }
}
