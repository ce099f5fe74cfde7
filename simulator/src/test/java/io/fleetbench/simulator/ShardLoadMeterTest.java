package io.fleetbench.simulator;

import io.fleetbench.telemetry.ShardLoadReport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardLoadMeterTest {
    private static final long SECOND = 1_000_000_000L;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void namesTheShardThatWentOverAndHowManySeconds() {
        ShardLoadMeter meter = new ShardLoadMeter(ShardMap.even(2), false, 0, registry);
        // Shard 0: 1,500 records/s for three seconds; shard 1: 200 records/s.
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 1_500; i++) {
                meter.record("shardId-000000000000", 1, 100, 100, s * SECOND + i * 100_000L);
            }
            for (int i = 0; i < 200; i++) {
                meter.record("shardId-000000000001", 1, 100, 100, s * SECOND + i * 1_000_000L);
            }
        }
        ShardLoadReport r = meter.report(5 * SECOND);
        assertEquals(List.of("shardId-000000000000"), r.throttledShards());
        assertTrue(r.wouldThrottle());
        assertEquals(3, r.shards().get(0).secondsOverLimit());
        assertEquals(0, r.shards().get(1).secondsOverLimit());
        assertEquals(1_500, r.peakRecordsPerSecond());
        assertEquals(4_500, r.shards().get(0).records());
        // At 800 records/s a shard, shard 0's 1,500 are 1.875 shards' worth and shard 1's 200 are 0.25: 2.125.
        assertEquals(3, r.shardsNeeded());
        assertEquals(3, r.shardsNeededWithoutAggregation());
        // Aggregated, 150,000 and 20,000 B/s over 838,860.8 a shard are 0.179 + 0.024: one shard for both.
        assertEquals(1, r.shardsNeededWithAggregation());
        assertEquals(4_500.0, registry.get("fleetbench.simulator.shard.records").tag("shard", "shardId-000000000000")
                .counter().count());
    }

    @Test
    void countsAggregatesAgainstTheRecordLimitAndUserRecordsSeparately() {
        ShardLoadMeter meter = new ShardLoadMeter(ShardMap.even(1), true, 0, registry);
        // 100 aggregates of 500 user records, 600 KB in one second: 50,000 events/s on one shard.
        for (int i = 0; i < 100; i++) {
            meter.record("shardId-000000000000", 500, 6_000, 6_100, i * 1_000_000L);
        }
        ShardLoadReport r = meter.report(SECOND / 2);
        assertFalse(r.wouldThrottle());
        assertEquals(100, r.peakRecordsPerSecond());
        assertEquals(50_000, r.shards().get(0).peakUserRecordsPerSecond());
        // 610,000 B/s over 838,860.8 a shard is 0.73 of one; 100 aggregates/s are 0.125.
        assertEquals(1, r.shardsNeeded());
        // As 50,000 records/s over 800 a shard: 62.5.
        assertEquals(63, r.shardsNeededWithoutAggregation());
        assertEquals(1, r.shardsNeededWithAggregation());
        assertEquals(50_000, r.shards().get(0).userRecords());
        assertEquals(600_000, r.shards().get(0).userBytes());
        // Each aggregate of 6,100 bytes is one 25 KB PUT payload unit.
        assertEquals(100, r.shards().get(0).payloadUnits());
    }

    @Test
    void theByteLimitThrottlesToo() {
        ShardLoadMeter meter = new ShardLoadMeter(ShardMap.even(1), true, 0, registry);
        meter.record("shardId-000000000000", 2_000, 900_000, 900_000, 0);
        meter.record("shardId-000000000000", 2_000, 900_000, 900_000, SECOND / 2);
        meter.record("shardId-000000000000", 1, 10, 10, 2 * SECOND);
        ShardLoadReport r = meter.report(3 * SECOND);
        assertEquals(1, r.shards().get(0).secondsOverLimit());
        assertEquals(1_800_000, r.peakBytesPerSecond());
        // 900,000 bytes are 35.2 units of 25,600 bytes, rounded up to 36; 10 bytes are one.
        assertEquals(36 + 36 + 1, r.shards().get(0).payloadUnits());
        // 1,800,000 B/s over 838,860.8 a shard is 2.15; without aggregation 4,000 user records/s over 800 are 5.
        assertEquals(3, r.shardsNeeded());
        assertEquals(5, r.shardsNeededWithoutAggregation());
    }

    @Test
    void shardsAReshardAddsAreCountedByIdAndClosedOnesKeepTheirLoad() {
        ShardLoadMeter meter = new ShardLoadMeter(ShardMap.even(1), true, 0, registry);
        meter.record("shardId-000000000000", 10, 1_000, 900, 0);
        BigInteger middle = ShardMap.MAX_HASH_KEY.shiftRight(1);
        meter.addShards(ShardMap.of(List.of(
                new ShardMap.Shard("shardId-000000000001", BigInteger.ZERO, middle),
                new ShardMap.Shard("shardId-000000000002", middle.add(BigInteger.ONE), ShardMap.MAX_HASH_KEY))));
        meter.record("shardId-000000000002", 20, 2_000, 1_800, SECOND);
        meter.addShards(ShardMap.even(1));
        ShardLoadReport r = meter.report(2 * SECOND);
        assertEquals(List.of("shardId-000000000000", "shardId-000000000001", "shardId-000000000002"),
                r.shards().stream().map(ShardLoadReport.ShardLoad::shardId).toList());
        assertEquals(List.of(10L, 0L, 20L), r.shards().stream().map(ShardLoadReport.ShardLoad::userRecords).toList());
        assertEquals(1.0, registry.get("fleetbench.simulator.shard.records").tag("shard", "shardId-000000000002")
                .counter().count());
    }
}
