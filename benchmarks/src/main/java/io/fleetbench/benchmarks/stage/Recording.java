package io.fleetbench.benchmarks.stage;

import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.ShardMap;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The records the consumer would hand the sink for the generator stage's Kinesis records, recorded
 * once: each Kinesis record gets the next sequence number of its shard, the KCL's
 * {@link AggregatorUtil} splits aggregates into user records with sub-sequence numbers, and the
 * codec decodes each, as the consumer's record processor does.
 */
final class Recording {
    /** Where each shard's sequence numbers start: of the size Kinesis gives. */
    private static final BigInteger FIRST_SEQUENCE = BigInteger.valueOf(49_000_000_000L).shiftLeft(64);

    private final List<List<SinkRecord>> shards;
    private final long records;

    private Recording(List<List<SinkRecord>> shards, long records) {
        this.shards = shards;
        this.records = records;
    }

    /** Records the events of one generator pass. */
    static Recording of(long seed, int events, int shardCount, BenchProgress progress) {
        List<List<SinkRecord>> shards = new ArrayList<>();
        List<BigInteger> sequences = new ArrayList<>();
        for (int s = 0; s < shardCount; s++) {
            shards.add(new ArrayList<>());
            sequences.add(FIRST_SEQUENCE);
        }
        AggregatorUtil kcl = new AggregatorUtil();
        JsonCodec codec = new JsonCodec();
        Instant arrival = Instant.ofEpochMilli(GeneratorStage.START_EPOCH_MILLIS);
        long[] count = new long[1];
        GeneratorStage.generate(new Fleet(GeneratorStage.fleet(seed)), events, ShardMap.even(shardCount), r -> {
            BigInteger sequence = sequences.get(r.shard()).add(BigInteger.ONE);
            sequences.set(r.shard(), sequence);
            KinesisClientRecord whole = KinesisClientRecord.builder().sequenceNumber(sequence.toString())
                    .partitionKey(r.partitionKey()).data(ByteBuffer.wrap(r.data())).approximateArrivalTimestamp(arrival)
                    .build();
            for (KinesisClientRecord user : kcl.deaggregate(List.of(whole))) {
                ByteBuffer data = user.data();
                byte[] raw = new byte[data.remaining()];
                data.get(raw);
                try {
                    shards.get(r.shard()).add(new SinkRecord(
                            SourcePosition.of(user.sequenceNumber(), user.subSequenceNumber()), codec.decode(raw)));
                } catch (InvalidEventException e) {
                    throw new IllegalStateException("the codec refused an event it encoded itself (" + e.reason().label()
                            + ") at " + user.sequenceNumber() + "/" + user.subSequenceNumber() + ": " + e.getMessage(), e);
                }
                count[0]++;
            }
        }, progress);
        return new Recording(shards, count[0]);
    }

    /** Per shard, its records in position order. */
    List<List<SinkRecord>> shards() {
        return shards;
    }

    /** Records over all shards. */
    long records() {
        return records;
    }

    /** The first {@code fraction} of each shard's records (at least one of a shard that has any), e.g. for a warm-up. */
    Recording prefix(double fraction) {
        List<List<SinkRecord>> head = new ArrayList<>();
        long n = 0;
        for (List<SinkRecord> shard : shards) {
            int size = shard.isEmpty() ? 0 : Math.max(1, (int) Math.ceil(shard.size() * fraction));
            head.add(shard.subList(0, size));
            n += size;
        }
        return new Recording(head, n);
    }
}
