package io.fleetbench.telemetry;

import java.util.List;

/**
 * How many Kinesis shards a write load needs: fleetbench's one sizing rule, behind both the shard
 * load a run reports and its cost. A load takes, of one shard, the larger of its share of the
 * record limit and of the byte limit, each limit allowed up to {@link #HEADROOM}; the shards it
 * needs are those shares summed and rounded up, at least one. Measured per shard at its busiest
 * second, the shares keep the imbalance between shards, and their sum is what the stream re-cut at
 * other hash keys would carry without throttling (docs/cost-model.md explains the choice).
 */
public final class ShardSizing {
    /** The share of a shard's write limits a load may use in its busiest second, leaving 20 % headroom. */
    public static final double HEADROOM = 0.8;

    // A sum of shares that is a whole number in decimal can come out a hair above it in binary.
    private static final double ROUNDING = 1e-9;

    private ShardSizing() {
    }

    /** Shards for a load of records/s and bytes/s spread evenly over them, at least one. */
    public static int shardsFor(double recordsPerSecond, double bytesPerSecond) {
        return shards(share(recordsPerSecond, bytesPerSecond));
    }

    /**
     * Shards for per-shard peaks scaled by {@code scale}, had every user record been its own Kinesis record.
     *
     * @param scale the rate sized for over the rate the peaks were measured at (1 for the measured rate)
     */
    public static int withoutAggregation(List<Peak> peaks, double scale) {
        double shares = 0;
        for (Peak p : peaks) {
            shares += share(p.peakUserRecordsPerSecond(), p.peakUserBytesPerSecond());
        }
        return shards(scale * shares);
    }

    /**
     * Shards for per-shard peaks scaled by {@code scale}, with aggregation: the aggregates as put when
     * the producer aggregated; else estimated from the user bytes, aggregates filled to one PUT payload unit.
     *
     * @param aggregated whether the producer aggregated when the peaks were measured
     * @param scale      the rate sized for over the rate the peaks were measured at (1 for the measured rate)
     */
    public static int withAggregation(boolean aggregated, List<Peak> peaks, double scale) {
        double shares = 0;
        for (Peak p : peaks) {
            shares += aggregated ? share(p.peakRecordsPerSecond(), p.peakBytesPerSecond())
                    : share((double) p.peakUserBytesPerSecond() / ShardLoadReport.PUT_PAYLOAD_UNIT_BYTES,
                    p.peakUserBytesPerSecond());
        }
        return shards(scale * shares);
    }

    /** The share of one shard at {@link #HEADROOM} a load takes: its larger share of the two limits. */
    private static double share(double recordsPerSecond, double bytesPerSecond) {
        return Math.max(recordsPerSecond / (HEADROOM * ShardLoadReport.SHARD_RECORDS_PER_SECOND),
                bytesPerSecond / (HEADROOM * ShardLoadReport.SHARD_BYTES_PER_SECOND));
    }

    private static int shards(double shares) {
        if (!(shares >= 0) || Double.isInfinite(shares)) {
            throw new IllegalArgumentException("a write load must be a finite number >= 0 of shards' worth, found "
                    + shares);
        }
        return (int) Math.max(1, Math.ceil(shares - ROUNDING));
    }

    /**
     * One shard's busiest second, as {@link ShardLoadReport.ShardLoad} reports it.
     *
     * @param peakRecordsPerSecond     the most Kinesis records in one second
     * @param peakBytesPerSecond       the most bytes (data and partition keys) in one second
     * @param peakUserRecordsPerSecond the most user records (events) in one second
     * @param peakUserBytesPerSecond   the most user bytes in one second
     */
    public record Peak(long peakRecordsPerSecond, long peakBytesPerSecond, long peakUserRecordsPerSecond,
                       long peakUserBytesPerSecond) {
    }
}
