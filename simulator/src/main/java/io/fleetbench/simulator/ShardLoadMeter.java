package io.fleetbench.simulator;

import io.fleetbench.telemetry.ShardLoadReport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the records and bytes put to each predicted shard in one-second buckets and keeps, per
 * shard, the peak second and the seconds over the Kinesis write limits. Shards are counted by id:
 * when the stream is resharded, the producer adds the new shards ({@link #addShards}) and the
 * closed ones keep what they took. Writers and readers may be on different threads.
 *
 * <p>Meters: {@code fleetbench_simulator_shard_records_total{shard}} and
 * {@code fleetbench_simulator_shard_bytes_total{shard}}, one series per shard the producer knew.
 */
final class ShardLoadMeter {
    private static final long SECOND = 1_000_000_000L;

    private final boolean aggregation;
    private final long startNanos;
    private final MeterRegistry registry;
    private final String meterPrefix;
    /** Per shard id, in the order the shards became known: the first map's in hash-key order, then newer ones. */
    private final Map<String, Tally> tallies = new LinkedHashMap<>();

    ShardLoadMeter(ShardMap shardMap, boolean aggregation, long startNanos, MeterRegistry registry) {
        this(shardMap, aggregation, startNanos, registry, SimulatorMeters.PREFIX);
    }

    /** A meter whose counters are named under {@code meterPrefix} ({@link SimulatorMeters#named}). */
    ShardLoadMeter(ShardMap shardMap, boolean aggregation, long startNanos, MeterRegistry registry,
                   String meterPrefix) {
        this.meterPrefix = meterPrefix;
        this.aggregation = aggregation;
        this.startNanos = startNanos;
        this.registry = registry;
        addShards(shardMap);
    }

    /** Starts counting the open shards of a newer map that are not counted yet; the others keep their counts. */
    synchronized void addShards(ShardMap shardMap) {
        for (ShardMap.Shard s : shardMap.shards()) {
            tally(s.shardId());
        }
    }

    private Tally tally(String shardId) {
        return tallies.computeIfAbsent(shardId, id -> new Tally(
                Counter.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.SHARD_RECORDS)).tag("shard", id)
                        .description("Kinesis records put to the shard, first attempts").register(registry),
                Counter.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.SHARD_BYTES)).tag("shard", id)
                        .description("Bytes (data and partition keys) put to the shard, first attempts")
                        .register(registry)));
    }

    /**
     * Counts one Kinesis record at its first put attempt.
     *
     * @param shardId     the shard the producer's map routes it to
     * @param userRecords the user records in it (1 without aggregation)
     * @param userBytes   their data and partition keys
     * @param bytes       the Kinesis record's data and partition key
     */
    synchronized void record(String shardId, int userRecords, long userBytes, long bytes, long nowNanos) {
        Tally t = tally(shardId);
        t.roll(second(nowNanos));
        t.records++;
        t.bytes += bytes;
        t.userRecords += userRecords;
        t.userBytes += userBytes;
        t.totalRecords++;
        t.totalBytes += bytes;
        t.totalUserRecords += userRecords;
        t.totalUserBytes += userBytes;
        t.totalPayloadUnits += ceilDiv(bytes, ShardLoadReport.PUT_PAYLOAD_UNIT_BYTES);
        t.recordsCounter.increment();
        t.bytesCounter.increment(bytes);
    }

    /**
     * The report as of now; the current second counts as it stands. Shards come in the order they became known:
     * the first map's in hash-key order, then the shards of each newer map that were new to it.
     */
    synchronized ShardLoadReport report(long nowNanos) {
        List<ShardLoadReport.ShardLoad> loads = new ArrayList<>(tallies.size());
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            t.roll(second(nowNanos));
            loads.add(new ShardLoadReport.ShardLoad(e.getKey(), t.totalRecords, t.totalBytes,
                    t.totalUserRecords, t.totalUserBytes, t.totalPayloadUnits, Math.max(t.peakRecords, t.records),
                    Math.max(t.peakBytes, t.bytes), Math.max(t.peakUserRecords, t.userRecords),
                    Math.max(t.peakUserBytes, t.userBytes),
                    t.secondsOver + (overLimit(t.records, t.bytes) ? 1 : 0)));
        }
        return ShardLoadReport.of(aggregation, loads);
    }

    private long second(long nowNanos) {
        return Math.max(0, nowNanos - startNanos) / SECOND;
    }

    private static boolean overLimit(long records, long bytes) {
        return records > ShardLoadReport.SHARD_RECORDS_PER_SECOND || bytes > ShardLoadReport.SHARD_BYTES_PER_SECOND;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** One shard's counts: the current second, the peaks of the seconds before it, and totals. */
    private static final class Tally {
        final Counter recordsCounter;
        final Counter bytesCounter;
        long second;
        long records;
        long bytes;
        long userRecords;
        long userBytes;
        long peakRecords;
        long peakBytes;
        long peakUserRecords;
        long peakUserBytes;
        long secondsOver;
        long totalRecords;
        long totalBytes;
        long totalUserRecords;
        long totalUserBytes;
        long totalPayloadUnits;

        Tally(Counter recordsCounter, Counter bytesCounter) {
            this.recordsCounter = recordsCounter;
            this.bytesCounter = bytesCounter;
        }

        /** Closes the current second if {@code now} is past it. */
        void roll(long now) {
            if (now <= second) {
                return;
            }
            peakRecords = Math.max(peakRecords, records);
            peakBytes = Math.max(peakBytes, bytes);
            peakUserRecords = Math.max(peakUserRecords, userRecords);
            peakUserBytes = Math.max(peakUserBytes, userBytes);
            if (overLimit(records, bytes)) {
                secondsOver++;
            }
            records = 0;
            bytes = 0;
            userRecords = 0;
            userBytes = 0;
            second = now;
        }
    }
}
