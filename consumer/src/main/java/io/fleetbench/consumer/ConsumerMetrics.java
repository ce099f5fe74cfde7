package io.fleetbench.consumer;

import io.fleetbench.sink.SourcePosition;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.InvalidEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer's metrics, one method per event. Prometheus names:
 * {@code fleetbench_consumer_records_received_total{shard}},
 * {@code fleetbench_consumer_events_decoded_total{table}},
 * {@code fleetbench_consumer_events_invalid_total{reason}},
 * {@code fleetbench_consumer_flushes_total{shard}}, {@code fleetbench_consumer_checkpoints_total{shard}},
 * {@code fleetbench_consumer_lag_seconds{shard}} (the KCL's millisBehindLatest). Thread-safe.
 */
public final class ConsumerMetrics {
    private static final String STAGE = "consumer";

    private final MeterRegistry registry;
    private final Map<EventFamily, Counter> decoded = new EnumMap<>(EventFamily.class);
    private final Map<InvalidEventException.Reason, Counter> invalid = new EnumMap<>(InvalidEventException.Reason.class);
    private final Map<String, ShardMeters> shards = new ConcurrentHashMap<>();
    private final Map<String, SourcePosition> durable = new ConcurrentHashMap<>();

    public ConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (EventFamily f : EventFamily.values()) {
            decoded.put(f, Counter.builder(ConsumerMeters.EVENTS_DECODED)
                    .description("Records decoded into valid events, per table")
                    .tag("stage", STAGE).tag("table", f.wireName()).register(registry));
        }
        for (InvalidEventException.Reason r : InvalidEventException.Reason.values()) {
            invalid.put(r, Counter.builder(ConsumerMeters.EVENTS_INVALID)
                    .description("Records rejected as invalid events, per reason")
                    .tag("stage", STAGE).tag("reason", r.label()).register(registry));
        }
    }

    /** Records arrived from a shard. */
    public void recordsReceived(String shard, int count) {
        shard(shard).received.increment(count);
    }

    /** A record was decoded into a valid event. */
    public void eventDecoded(EventFamily family) {
        decoded.get(family).increment();
    }

    /** A record was not a valid event. */
    public void eventInvalid(InvalidEventException.Reason reason) {
        invalid.get(reason).increment();
    }

    /** A shard's buffer was committed to the sink. */
    public void flushed(String shard) {
        shard(shard).flushes.increment();
    }

    /** A shard's checkpoint was written. */
    public void checkpointed(String shard) {
        shard(shard).checkpoints.increment();
    }

    /**
     * Everything of a shard up to this position is in the lake: committed as rows or dead letters by this worker (or
     * by an earlier owner, for a position this one reached again). Not a meter: a position has no numeric value that
     * a dashboard could use.
     */
    public void durable(String shard, SourcePosition position) {
        durable.merge(shard, position, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    /** Per shard, the highest position {@linkplain #durable made durable} so far; shards without one are absent. */
    public Map<String, SourcePosition> durablePositions() {
        return Map.copyOf(durable);
    }

    /** How far a shard's reader is behind the tip of the shard, as the KCL reports it. */
    public void lag(String shard, long millisBehindLatest) {
        shard(shard).lagMillis.set(millisBehindLatest);
    }

    /** How old the newest record of a shard's latest batch was when it was read. */
    public void iteratorAge(String shard, long millis) {
        shard(shard).iteratorAgeMillis.set(Math.max(0, millis));
    }

    /** This worker let go of a shard: its lag is no longer this worker's to report. */
    public void shardClosed(String shard) {
        ShardMeters m = shards.get(shard);
        if (m != null) {
            m.lagMillis.set(0);
            m.iteratorAgeMillis.set(0);
        }
    }

    private ShardMeters shard(String shard) {
        return shards.computeIfAbsent(shard, s -> new ShardMeters(registry, s));
    }

    private static final class ShardMeters {
        final Counter received;
        final Counter flushes;
        final Counter checkpoints;
        final AtomicLong lagMillis = new AtomicLong();
        final AtomicLong iteratorAgeMillis = new AtomicLong();

        ShardMeters(MeterRegistry registry, String shard) {
            received = Counter.builder(ConsumerMeters.RECORDS_RECEIVED)
                    .description("Kinesis records received").tag("stage", STAGE).tag("shard", shard).register(registry);
            flushes = Counter.builder(ConsumerMeters.FLUSHES)
                    .description("Sink flushes (Delta commits) of a shard").tag("stage", STAGE).tag("shard", shard).register(registry);
            checkpoints = Counter.builder(ConsumerMeters.CHECKPOINTS)
                    .description("KCL checkpoints written").tag("stage", STAGE).tag("shard", shard).register(registry);
            Gauge.builder(ConsumerMeters.LAG, lagMillis, v -> v.get() / 1000.0).strongReference(true)
                    .description("How far the shard's reader is behind the tip of the shard (millisBehindLatest)")
                    .baseUnit("seconds").tag("stage", STAGE).tag("shard", shard).register(registry);
            Gauge.builder(ConsumerMeters.ITERATOR_AGE, iteratorAgeMillis, v -> v.get() / 1000.0).strongReference(true)
                    .description("How old the newest record of the shard's latest batch was when it was read")
                    .baseUnit("seconds").tag("stage", STAGE).tag("shard", shard).register(registry);
        }
    }
}
