package io.fleetbench.telemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * The write load each shard took, per second, against the Kinesis shard write limits, with the
 * seconds in which AWS would have throttled and the shard count the load needs. Records are
 * Kinesis records: with aggregation, aggregates, not user records. Counted at each record's first
 * put attempt (retries are not new load); a second is a second of the producer's clock since its
 * start, the last one possibly partial.
 *
 * @param aggregation                    whether the producer aggregated
 * @param recordsPerSecondLimit          the per-shard write limit in records per second (1,000)
 * @param bytesPerSecondLimit            the per-shard write limit in bytes per second (1 MiB)
 * @param shards                         per shard, in hash-key order; if the stream was resharded, the
 *                                       shards the producer learnt of later follow, each map's new ones in
 *                                       hash-key order, and the closed ones keep their load
 * @param peakRecordsPerSecond           the most records any shard took in one second
 * @param peakBytesPerSecond             the most bytes any shard took in one second
 * @param throttledShards                ids of the shards that went over a limit in at least one second
 * @param shardsNeeded                   shards that would carry this load with this producer setting:
 *                                       each shard's busiest second with {@link ShardSizing}'s headroom
 * @param shardsNeededWithoutAggregation the same, had every user record been its own Kinesis record
 * @param shardsNeededWithAggregation    the same with aggregation; estimated from the user bytes
 *                                       (aggregates filled to one PUT payload unit) when the producer
 *                                       did not aggregate
 */
public record ShardLoadReport(boolean aggregation, long recordsPerSecondLimit, long bytesPerSecondLimit,
                              List<ShardLoad> shards, long peakRecordsPerSecond, long peakBytesPerSecond,
                              List<String> throttledShards, int shardsNeeded, int shardsNeededWithoutAggregation,
                              int shardsNeededWithAggregation) {

    /** Kinesis accepts at most this many records per second per shard. */
    public static final long SHARD_RECORDS_PER_SECOND = 1_000;
    /** Kinesis accepts at most this many bytes (data and partition keys) per second per shard. */
    public static final long SHARD_BYTES_PER_SECOND = 1024 * 1024;
    /** Kinesis bills each record put in PUT payload units of this many bytes (25 KB), rounded up. */
    public static final long PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;

    public ShardLoadReport {
        shards = List.copyOf(shards);
        throttledShards = List.copyOf(throttledShards);
    }

    /** The report of these shards' loads: their peaks, the shards over a limit and the shards needed. */
    public static ShardLoadReport of(boolean aggregation, List<ShardLoad> shards) {
        long peakRecords = 0;
        long peakBytes = 0;
        List<String> throttled = new ArrayList<>();
        List<ShardSizing.Peak> peaks = new ArrayList<>(shards.size());
        for (ShardLoad l : shards) {
            peakRecords = Math.max(peakRecords, l.peakRecordsPerSecond());
            peakBytes = Math.max(peakBytes, l.peakBytesPerSecond());
            if (l.secondsOverLimit() > 0) {
                throttled.add(l.shardId());
            }
            peaks.add(l.peak());
        }
        int without = ShardSizing.withoutAggregation(peaks, 1);
        int with = ShardSizing.withAggregation(aggregation, peaks, 1);
        return new ShardLoadReport(aggregation, SHARD_RECORDS_PER_SECOND, SHARD_BYTES_PER_SECOND, shards, peakRecords,
                peakBytes, throttled, aggregation ? with : without, without, with);
    }

    /** Whether AWS would have throttled some shard at some second. */
    public boolean wouldThrottle() {
        return !throttledShards.isEmpty();
    }

    /**
     * The load of one shard.
     *
     * @param shardId                  the shard
     * @param records                  Kinesis records put to it
     * @param bytes                    their bytes, data and partition keys
     * @param userRecords              user records (events) in them
     * @param userBytes                the user records' data and partition keys
     * @param payloadUnits             PUT payload units of the Kinesis records put: each record's bytes
     *                                 rounded up to {@link #PUT_PAYLOAD_UNIT_BYTES}
     * @param peakRecordsPerSecond     the most Kinesis records in one second
     * @param peakBytesPerSecond       the most bytes in one second
     * @param peakUserRecordsPerSecond the most user records in one second
     * @param peakUserBytesPerSecond   the most user bytes (events and their keys) in one second
     * @param secondsOverLimit         seconds in which the records or the bytes went over a limit
     */
    public record ShardLoad(String shardId, long records, long bytes, long userRecords, long userBytes,
                            long payloadUnits, long peakRecordsPerSecond, long peakBytesPerSecond,
                            long peakUserRecordsPerSecond, long peakUserBytesPerSecond, long secondsOverLimit) {

        /** Its busiest second, what the shards are sized for. */
        public ShardSizing.Peak peak() {
            return new ShardSizing.Peak(peakRecordsPerSecond, peakBytesPerSecond, peakUserRecordsPerSecond,
                    peakUserBytesPerSecond);
        }
    }
}
