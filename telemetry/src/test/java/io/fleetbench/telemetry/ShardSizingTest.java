package io.fleetbench.telemetry;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one shard sizing rule, against figures worked out by hand. */
class ShardSizingTest {
    private static final double MIB = 1_048_576;

    @Test
    void eachLimitIsUsedUpToEightyPercent() {
        assertEquals(0.8, ShardSizing.HEADROOM);
        assertEquals(1, ShardSizing.shardsFor(0, 0));
        assertEquals(1, ShardSizing.shardsFor(800, 0));
        assertEquals(2, ShardSizing.shardsFor(801, 0));
        assertEquals(1, ShardSizing.shardsFor(0, 0.8 * MIB));
        assertEquals(2, ShardSizing.shardsFor(0, 0.8 * MIB + 1));
        // 1,000 records/s fit one shard at 100 % of the limit, not at 80 %.
        assertEquals(2, ShardSizing.shardsFor(1_000, 0));
    }

    @Test
    void thePerShardPeaksAreSummedAsSharesOfAShardThenRoundedUp() {
        // 1,200 + 700 + 500 records/s of 100 B: 1.5 + 0.875 + 0.625 = 3.0 shards' worth, exactly 3 (a shard
        // apiece, each rounded up, would be 2 + 1 + 1 = 4).
        List<ShardSizing.Peak> peaks = List.of(plain(1_200, 100), plain(700, 100), plain(500, 100));
        assertEquals(3, ShardSizing.withoutAggregation(peaks, 1));
        // At twice the rate 6.0, at a tenth 0.3, still one shard.
        assertEquals(6, ShardSizing.withoutAggregation(peaks, 2));
        assertEquals(1, ShardSizing.withoutAggregation(peaks, 0.1));
    }

    @Test
    void withAggregationUsesTheAggregatesAsPutOrEstimatesThemFromTheUserBytes() {
        // Aggregated: 30 aggregates and 700,000 B/s (700,000 / 838,860.8 = 0.83) on each of two shards: 1.67.
        ShardSizing.Peak aggregated = new ShardSizing.Peak(30, 700_000, 3_000, 690_000);
        assertEquals(2, ShardSizing.withAggregation(true, List.of(aggregated, aggregated), 1));
        // Without aggregation the same shards take 3,000 user records/s each: 3.75 + 3.75 = 7.5.
        assertEquals(8, ShardSizing.withoutAggregation(List.of(aggregated, aggregated), 1));
        // Not aggregated: ten shards of 100,000 user B/s, 0.119 of a shard each by bytes (as aggregates of
        // 25,600 B they are 3.9 records/s, 0.005 of a shard): 1.19.
        List<ShardSizing.Peak> ten = Collections.nCopies(10, plain(1_000, 100));
        assertEquals(2, ShardSizing.withAggregation(false, ten, 1));
        assertEquals(13, ShardSizing.withoutAggregation(ten, 1), "10 * 1,000 / 800 = 12.5");
    }

    @Test
    void refusesALoadThatIsNotANumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardSizing.withoutAggregation(List.of(plain(100, 100)), Double.NaN));
        assertEquals("a write load must be a finite number >= 0 of shards' worth, found NaN", e.getMessage());
    }

    /** A shard's busiest second without aggregation: every user record a Kinesis record. */
    private static ShardSizing.Peak plain(long recordsPerSecond, long bytesPerRecord) {
        return new ShardSizing.Peak(recordsPerSecond, recordsPerSecond * bytesPerRecord, recordsPerSecond,
                recordsPerSecond * bytesPerRecord);
    }
}
