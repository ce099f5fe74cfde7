package io.fleetbench.benchmarks;

import io.fleetbench.simulator.AggregatedRecordBuilder;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.KinesisProducer;
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
 * KPL aggregation alone, in events per second on one thread, from events generated and JSON-encoded
 * before the measurement: {@link #aggregate} picks the shard of the event's partition key and adds the
 * event to that shard's aggregate, building it (protobuf and MD5 trailer) whenever the next event would
 * take it over the Kinesis record limit, as the producer does. {@link #shardOf} is the shard lookup
 * alone (an MD5 of the partition key), the part of aggregation that every producer pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class AggregationBenchmark {
    private static final int SHARDS = 4;
    private static final int RECORDED = 100_000;

    private final ShardMap shards = ShardMap.even(SHARDS);
    private final AggregatedRecordBuilder[] aggregates = new AggregatedRecordBuilder[SHARDS];
    private final String[] keys = new String[RECORDED];
    private final byte[][] data = new byte[RECORDED][];
    private int next;

    @Setup
    public void setUp() {
        Fleet fleet = new Fleet(FleetConfig.defaults().withSeed(42).withDevices(80_000, 20_000));
        JsonCodec codec = new JsonCodec();
        long clock = fleet.startEpochMillis();
        for (int i = 0; i < RECORDED; i++) {
            TelemetryEvent e = fleet.next(clock++);
            keys[i] = e.deviceId();
            data[i] = codec.encode(e);
        }
        for (int i = 0; i < SHARDS; i++) {
            aggregates[i] = new AggregatedRecordBuilder();
        }
    }

    @Benchmark
    public void aggregate(Blackhole bh) {
        int i = advance();
        String key = keys[i];
        AggregatedRecordBuilder a = aggregates[shards.shardOf(key)];
        if (!a.tryAdd(key, data[i], KinesisProducer.MAX_RECORD_BYTES)) {
            bh.consume(a.build());
            a.reset();
            a.tryAdd(key, data[i], KinesisProducer.MAX_RECORD_BYTES);
        }
    }

    @Benchmark
    public int shardOf() {
        return shards.shardOf(keys[advance()]);
    }

    private int advance() {
        int i = next;
        next = i + 1 == RECORDED ? 0 : i + 1;
        return i;
    }
}
