package io.fleetbench.lakesink;

import io.delta.kernel.expressions.Literal;
import io.fleetbench.lakesink.dlq.DeadLetterReplay;
import io.fleetbench.sink.DeadLetter;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every event row keeps the shard and the position it came from, as delta-kernel reads them back. */
class ProvenanceTest {
    private static final String SHARD_1 = "shardId-000000000001";
    private static final String SHARD_3 = "shardId-000000000003";
    private static final String STREAM = "telemetry";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));

    private DeltaLakeSink sink() {
        return new DeltaLakeSink(LakeSinkConfig.defaults(dir.toString()).withApplicationId(STREAM)
                .withBufferLimits(Duration.ofSeconds(5), 1 << 20), new SimpleMeterRegistry(), clock);
    }

    /** A sequence number as Kinesis hands them out: 56 decimal digits, far beyond a long. */
    private static BigInteger sequence(long n) {
        return new BigInteger("49650290000000000000000000000000000000000000000000000000").add(BigInteger.valueOf(n));
    }

    /** What a row should hold in the provenance columns. */
    private record Expected(String shard, String sequenceNumber, long subSequenceNumber) {
    }

    private static void append(ShardWriter w, String shard, SourcePosition at, TelemetryEvent event,
                               Map<String, Expected> expected) {
        w.append(new SinkRecord(at, event));
        expected.put(event.eventId(), new Expected(shard, at.sequence().toString(), at.subSequence()));
    }

    private Map<String, Map<String, Object>> rowsById(EventFamily... families) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (EventFamily f : families) {
            for (Map<String, Object> row : new KernelReader().rows(dir.resolve(f.wireName()).toString())) {
                rows.put((String) row.get("event_id"), row);
            }
        }
        return rows;
    }

    @Test
    void everyRowKeepsItsShardSequenceNumberAndSubSequenceNumber() {
        Map<String, Expected> expected = new HashMap<>();
        try (DeltaLakeSink sink = sink(); ShardWriter one = sink.open(SHARD_1);
             ShardWriter three = sink.open(SHARD_3)) {
            // Plain records (sub-sequence 0) of cars and bikes over three hours, then records de-aggregated
            // from one KPL aggregate: one sequence number, sub-sequence numbers from 0.
            for (int i = 0; i < 12; i++) {
                append(one, SHARD_1, new SourcePosition(sequence(10L * i), 0), TestEvents.event(i, 3), expected);
                append(three, SHARD_3, new SourcePosition(sequence(10L * i + 5), 0), TestEvents.event(100 + i, 3),
                        expected);
            }
            for (int sub = 0; sub < 4; sub++) {
                append(one, SHARD_1, new SourcePosition(sequence(500), sub), TestEvents.event(20 + sub, 3), expected);
                append(three, SHARD_3, new SourcePosition(sequence(505), sub), TestEvents.event(120 + sub, 3),
                        expected);
            }
            one.flush();
            three.flush();
        }

        Map<String, Map<String, Object>> rows = rowsById(EventFamily.CAR_TELEMETRY, EventFamily.BIKE_METRICS);
        assertEquals(expected.keySet(), rows.keySet());
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            Map<String, Object> row = rows.get(e.getKey());
            assertEquals(e.getValue(), new Expected((String) row.get(Provenance.SHARD),
                    (String) row.get(Provenance.SEQUENCE_NUMBER), (Long) row.get(Provenance.SUB_SEQUENCE_NUMBER)),
                    e.getKey());
        }

        // The files' statistics state the shard, so a reader skips the other shard's files.
        String cars = dir.resolve(EventFamily.CAR_TELEMETRY.wireName()).toString();
        KernelReader reader = new KernelReader();
        int all = reader.filesMatching(cars, KernelReader.compare(">=", "seq", Literal.ofLong(0)));
        int ofShard1 = reader.filesMatching(cars,
                KernelReader.compare("=", Provenance.SHARD, Literal.ofString(SHARD_1)));
        assertEquals(6, all, "two shards' files in each of three hours");
        assertEquals(3, ofShard1, "shard 1's files only");
    }

    @Test
    void aReplayedDeadLetterKeepsTheShardAndPositionItArrivedAt() {
        TelemetryEvent car = TestEvents.event(4, 1);
        SourcePosition arrivedAt = new SourcePosition(sequence(42), 2);
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open(SHARD_3)) {
            w.appendDeadLetter(new DeadLetter(new JsonCodec().encode(car), "unsupported_schema_version",
                    "rejected by an older build", STREAM, SHARD_3, arrivedAt, clock.instant()));
            w.flush();
        }

        DeadLetterReplay.Result result = new DeadLetterReplay(new Configuration(), clock)
                .replay(dir.resolve("dead_letters").toString(), dir.toString(), false);

        assertEquals(Map.of(EventFamily.CAR_TELEMETRY.wireName(), 1L), result.replayedByTable());
        List<Map<String, Object>> rows =
                new KernelReader().rows(dir.resolve(EventFamily.CAR_TELEMETRY.wireName()).toString());
        assertEquals(1, rows.size());
        Map<String, Object> row = rows.get(0);
        assertEquals(car.eventId(), row.get("event_id"));
        assertEquals(SHARD_3, row.get(Provenance.SHARD), "the dead letter's shard, not the replay's source id");
        assertEquals(arrivedAt.sequence().toString(), row.get(Provenance.SEQUENCE_NUMBER));
        assertEquals(2L, row.get(Provenance.SUB_SEQUENCE_NUMBER));
    }
}
