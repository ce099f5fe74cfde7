package io.fleetbench.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.simulator.AggregatedRecordBuilder;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.ShardMap;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The simulator's per-event hot path on one thread, in events per second: the fleet generates an
 * event, it is encoded to JSON, and it joins the KPL aggregate of the shard its device hashes to
 * (an aggregate is built, MD5 and all, whenever it reaches 1 MiB). {@link #fleetbench} uses the
 * project's codec; {@link #jacksonBaseline} serializes the event record with a plain
 * {@link ObjectMapper} and aggregates the same way. {@link #generateOnly},
 * {@link #generateAndEncode} and {@link #generateAndEncodeJackson} split the cost: aggregation is
 * bound by the two MD5s the format needs per event (its partition key's hash, and its bytes in
 * the aggregate's trailer).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class ProducerPathBenchmark {
    private static final int SHARDS = 4;
    private static final int RECORD_LIMIT = 1024 * 1024;

    private final JsonCodec codec = new JsonCodec();
    private final ObjectMapper mapper = new ObjectMapper();
    private final ShardMap shards = ShardMap.even(SHARDS);
    private final AggregatedRecordBuilder[] aggregates = new AggregatedRecordBuilder[SHARDS];
    private Fleet fleet;
    private long clock;

    @Setup
    public void setUp() {
        fleet = new Fleet(FleetConfig.defaults().withSeed(42).withDevices(80_000, 20_000));
        clock = fleet.startEpochMillis();
        for (int i = 0; i < SHARDS; i++) {
            aggregates[i] = new AggregatedRecordBuilder();
        }
    }

    @Benchmark
    public void fleetbench(Blackhole bh) {
        TelemetryEvent event = fleet.next(clock++);
        aggregate(event.deviceId(), codec.encode(event), bh);
    }

    @Benchmark
    public void jacksonBaseline(Blackhole bh) throws JsonProcessingException {
        TelemetryEvent event = fleet.next(clock++);
        aggregate(event.deviceId(), mapper.writeValueAsBytes(event), bh);
    }

    @Benchmark
    public TelemetryEvent generateOnly() {
        return fleet.next(clock++);
    }

    @Benchmark
    public byte[] generateAndEncode() {
        return codec.encode(fleet.next(clock++));
    }

    @Benchmark
    public byte[] generateAndEncodeJackson() throws JsonProcessingException {
        return mapper.writeValueAsBytes(fleet.next(clock++));
    }

    private void aggregate(String key, byte[] data, Blackhole bh) {
        AggregatedRecordBuilder a = aggregates[shards.shardOf(key)];
        if (!a.tryAdd(key, data, RECORD_LIMIT)) {
            bh.consume(a.build());
            a.reset();
            a.tryAdd(key, data, RECORD_LIMIT);
        }
    }
}
