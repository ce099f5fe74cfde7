package io.fleetbench.consumer;

import com.google.protobuf.ByteString;
import io.fleetbench.sink.DeadLetter;
import io.fleetbench.sink.LakeSink;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.sink.SourceTakenOverException;
import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.Messages;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelemetryRecordProcessorTest {
    private static final String SHARD = "shardId-000000000001";
    private static final JsonCodec CODEC = new JsonCodec();
    private static final String STREAM = "telemetry";
    private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final List<String> calls = new ArrayList<>();
    private final InMemoryShardWriter writer = new InMemoryShardWriter(calls);
    private final FakeCheckpointer checkpointer = new FakeCheckpointer(calls);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerMetrics metrics = new ConsumerMetrics(registry);
    private final List<String> failures = new ArrayList<>();
    private TelemetryRecordProcessor processor;

    private RuntimeException openFailure;

    @BeforeEach
    void initialize() {
        initialize(CODEC);
    }

    private void initialize(JsonCodec codec) {
        LakeSink sink = new LakeSink() {
            @Override
            public ShardWriter open(String sourceId, String shard) {
                assertEquals(SHARD, sourceId);
                assertEquals(SHARD, shard, "the rows record the shard the records were read from");
                if (openFailure != null) {
                    throw openFailure;
                }
                return writer;
            }

            @Override
            public void close() {
            }
        };
        processor = new TelemetryRecordProcessor(sink, codec, metrics, STREAM, CLOCK,
                new TelemetryRecordProcessor.Listener() {
                    @Override
                    public void failed(String shardId, RuntimeException error) {
                        failures.add(shardId + ": " + error.getMessage());
                    }
                });
        processor.initialize(InitializationInput.builder().shardId(SHARD)
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON).build());
    }

    @Test
    void aSinkThatCannotBeOpenedFailsTheShardAndTellsTheListener() {
        openFailure = new IllegalStateException("table car_telemetry: no commit holds the position");
        initialize();

        assertEquals(List.of(SHARD + ": table car_telemetry: no commit holds the position"), failures);
        process(valid(1));
        processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer).build());
        processor.leaseLost(LeaseLostInput.builder().build());
        assertEquals(List.of(), calls, "nothing is processed or checkpointed");
    }

    @Test
    void aStaleOwnerWhoseLeaseIsGoneStopsTheShardWithoutFailingTheWorker() {
        writer.flushDue = true;
        checkpointer.failNext = new ShutdownException("Can't update checkpoint - instance doesn't hold the lease");
        processor.processRecords(ProcessRecordsInput.builder().records(List.of(valid(1)))
                .checkpointer(checkpointer).millisBehindLatest(3_000L).build());

        assertEquals(List.of("flush 1", "checkpoint failed", "close"), calls);
        assertEquals(List.of(), failures, "a lost lease is no failure of the worker");
        assertEquals(0.0, lag(), "the lag is the new owner's to report");

        process(valid(2));
        processor.leaseLost(LeaseLostInput.builder().build());
        assertEquals(List.of("flush 1", "checkpoint failed", "close"), calls, "nothing more is processed");
        assertEquals(List.of(), writer.buffered);
    }

    @Test
    void aStaleOwnerWhoseFlushIsRefusedByANewerClaimStopsTheShardWithoutFailingTheWorker() {
        writer.flushDue = true;
        writer.flushFailure = new SourceTakenOverException("car_telemetry", "fleetbench-" + SHARD, 1, 2);
        process(valid(1));

        assertEquals(List.of("flush failed", "close"), calls, "no checkpoint past the refused records");
        assertEquals(List.of(), failures, "a newer owner is no failure of the worker");

        process(valid(2));
        assertEquals(List.of("flush failed", "close"), calls, "nothing more is processed");
        assertThrows(ConsumerException.class,
                () -> processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer).build()),
                "the shard end is the new owner's to checkpoint");
    }

    @Test
    void aFlushIsCheckedWithinALargeBatchSoTheSinkCanPushBack() {
        List<KinesisClientRecord> batch = new java.util.ArrayList<>();
        for (int i = 1; i <= TelemetryRecordProcessor.FLUSH_CHECK_INTERVAL + 10; i++) {
            batch.add(valid(i));
        }
        writer.flushDue = true;
        processor.processRecords(ProcessRecordsInput.builder().records(batch).checkpointer(checkpointer)
                .millisBehindLatest(0L).build());
        int n = TelemetryRecordProcessor.FLUSH_CHECK_INTERVAL;
        assertEquals(List.of("flush " + n, "checkpoint " + n + "/0"), calls,
                "flushed within the batch; the rest waits for its own flush");
    }

    @Test
    void aShardEndWhoseCheckpointIsThrottledOrFailsInTheLeaseTableNamesTheShard() {
        for (Exception e : List.<Exception>of(new ThrottlingException("throttled"),
                new KinesisClientLibDependencyException("lease table unavailable"))) {
            checkpointer.failNext = e;
            ConsumerException thrown = assertThrows(ConsumerException.class,
                    () -> processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer).build()));
            assertTrue(thrown.getMessage().contains("end of shard " + SHARD), thrown.getMessage());
            assertEquals(e, thrown.getCause());
        }
        assertTrue(writer.closed);
        assertEquals(List.of(), failures);
    }

    @Test
    void theLagIsResetWhenTheLeaseIsLost() {
        processor.processRecords(ProcessRecordsInput.builder().records(List.of()).checkpointer(checkpointer)
                .millisBehindLatest(2_500L).build());
        processor.leaseLost(LeaseLostInput.builder().build());
        assertEquals(0.0, lag());
    }

    @Test
    void theLagIsResetWhenTheShardEnds() {
        processor.processRecords(ProcessRecordsInput.builder().records(List.of()).checkpointer(checkpointer)
                .millisBehindLatest(4_000L).build());
        processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer).build());
        assertEquals(0.0, lag());
    }

    @Test
    void checkpointsOnlyAfterTheFlushThatMadeTheRecordsDurable() {
        process(valid(1), valid(2), valid(3));

        assertEquals(List.of(), calls, "nothing is due, so nothing is flushed or checkpointed");
        assertEquals(3, writer.buffered.size());
        assertEquals(Map.of(), metrics.durablePositions(), "nothing is in the lake yet");

        writer.flushDue = true;
        process();

        assertEquals(List.of("flush 3", "checkpoint 3/0"), calls);
        assertEquals(3, writer.committed.size());
        assertEquals(Map.of(SHARD, SourcePosition.of("3", 0)), metrics.durablePositions());
    }

    @Test
    void neverCheckpointsPastBufferedRecords() {
        writer.flushDue = true;
        process(valid(1), valid(2));
        process(valid(3), malformed(4));
        process(malformed(5), malformed(6));

        assertEquals(List.of("flush 2", "checkpoint 2/0"), calls,
                "record 3 is buffered, so neither it nor the invalid records after it may be checkpointed");

        writer.flushDue = true;
        process();

        assertEquals(List.of("flush 2", "checkpoint 2/0", "flush 4", "checkpoint 6/0"), calls,
                "the invalid records are committed as dead letters with record 3");
        assertEquals(Map.of(SHARD, SourcePosition.of("6", 0)), metrics.durablePositions(),
                "the dead letters are in the lake too");
    }

    @Test
    void aBatchWithNothingBufferedIsDurableWithoutAFlush() {
        writer.committedUpTo = lakePosition(5);

        process(valid(4), valid(5));

        assertEquals(List.of("checkpoint 5/0"), calls, "records at or below the committed position are dropped");
        assertEquals(List.of(), writer.committed);
    }

    @Test
    void anUnchangedDurablePositionIsNotCheckpointedAgain() {
        writer.flushDue = true;
        process(malformed(1));
        process();
        process();

        assertEquals(List.of("flush 1", "checkpoint 1/0"), calls);
    }

    @Test
    void aThrottledCheckpointIsRetriedWithTheNextBatch() {
        writer.flushDue = true;
        checkpointer.failNext = new ThrottlingException("throttled by the test");
        process(valid(1));
        process();

        assertEquals(List.of("flush 1", "checkpoint failed", "checkpoint 1/0"), calls);
    }

    @Test
    void aCheckpointThatFindsNoLeaseTableIsRetriedWithTheNextBatchButAnyOtherInvalidStateFails() {
        writer.flushDue = true;
        // As the KCL reports it once dynalite restarted without the table: its own exception around DynamoDB's answer.
        checkpointer.failNext = new InvalidStateException("Unable to save checkpoint for shardId " + SHARD,
                new software.amazon.kinesis.leases.exceptions.InvalidStateException("table does not exist",
                        ResourceNotFoundException.builder().message("Requested resource not found").build()));
        process(valid(1));
        process();

        assertEquals(List.of("flush 1", "checkpoint failed", "checkpoint 1/0"), calls);
        assertEquals(List.of(), failures, "an outage of the lease store is no failure of the shard");

        checkpointer.failNext = new InvalidStateException("some other state");
        writer.flushDue = true;
        process(valid(2));
        assertEquals(1, failures.size(), "any other invalid state stops the shard");
    }

    @Test
    void leaseLossDiscardsTheBufferWithoutCommitOrCheckpoint() {
        process(valid(1), valid(2));

        processor.leaseLost(LeaseLostInput.builder().build());

        assertEquals(List.of("close"), calls);
        assertTrue(writer.closed);
        assertEquals(List.of(), writer.committed);
    }

    @Test
    void invalidRecordsAreCountedByReasonAndValidOnesByTable() {
        process(valid(1), bike(2), record(3, "{\"type\":\"scooter\"}"), malformed(4), malformed(5));

        assertEquals(2.0, invalidCount("malformed_json"));
        assertEquals(1.0, invalidCount("unknown_event_type"));
        assertEquals(1.0, registry.get("fleetbench.consumer.events.decoded").tag("table", "car_telemetry").counter().count());
        assertEquals(1.0, registry.get("fleetbench.consumer.events.decoded").tag("table", "bike_metrics").counter().count());
        assertEquals(5.0, registry.get("fleetbench.consumer.records.received").tag("shard", SHARD).counter().count());
        assertEquals(2, writer.buffered.size());
    }

    @Test
    void lagIsRecordedPerShardInSeconds() {
        processor.processRecords(ProcessRecordsInput.builder().records(List.of()).checkpointer(checkpointer)
                .millisBehindLatest(2_500L).build());

        assertEquals(2.5, registry.get("fleetbench.consumer.lag").tag("shard", SHARD).gauge().value());
    }

    @Test
    void theIteratorAgeIsTheNewestRecordsAgeWhenRead() {
        processor.processRecords(ProcessRecordsInput.builder().checkpointer(checkpointer).millisBehindLatest(0L)
                .records(List.of(arrived(1, NOW.minusMillis(9_000)), arrived(2, NOW.minusMillis(1_500)))).build());

        assertEquals(1.5, registry.get("fleetbench.consumer.iterator.age").tag("shard", SHARD).gauge().value(),
                "the newest record of the batch arrived 1.5 s before it was read");
        assertEquals(0.0, registry.get("fleetbench.consumer.lag").tag("shard", SHARD).gauge().value());
    }

    @Test
    void shardEndFlushesThenCheckpointsTheEnd() {
        process(valid(1));

        processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer).build());

        assertEquals(List.of("flush 1", "checkpoint " + ExtendedSequenceNumber.SHARD_END.sequenceNumber(), "close"), calls);
    }

    @Test
    void shutdownRequestFlushesAndCheckpoints() {
        process(valid(1), valid(2));

        processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        assertEquals(List.of("flush 2", "checkpoint 2/0", "close"), calls);
    }

    @Test
    void theLeaseLossThatFollowsAGracefulShutdownChangesNothing() {
        process(valid(1), valid(2));

        // The KCL's graceful shutdown drops each lease once shutdownRequested returns, then reports it lost.
        processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer).build());
        processor.leaseLost(LeaseLostInput.builder().build());

        assertEquals(List.of("flush 2", "checkpoint 2/0", "close"), calls);
        assertEquals(2, writer.committed.size());
    }

    @Test
    void aFailedFlushStopsTheShardWithoutCheckpointing() {
        writer.flushDue = true;
        writer.flushFailure = new IllegalStateException("disk full");
        process(valid(1));

        assertEquals(List.of("flush failed", "close"), calls);
        assertEquals(List.of(SHARD + ": disk full"), failures);

        process(malformed(2));
        processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer).build());
        assertThrows(ConsumerException.class,
                () -> processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer).build()));

        assertEquals(List.of("flush failed", "close"), calls, "after a sink failure nothing is checkpointed, not even later invalid records");
    }

    @Test
    void invalidRecordsAreCommittedAsDeadLettersWithTheirBytesAndReason() {
        writer.flushDue = true;
        KinesisClientRecord unknown = record(2, "{\"type\":\"scooter\"}");
        process(valid(1), unknown, malformed(3));

        assertEquals(List.of("flush 3", "checkpoint 3/0"), calls);
        assertEquals(1, writer.committed.size());
        assertEquals(2, writer.committedDeadLetters.size());
        DeadLetter d = writer.committedDeadLetters.get(0);
        assertArrayEquals("{\"type\":\"scooter\"}".getBytes(StandardCharsets.UTF_8), d.raw());
        assertEquals("unknown_event_type", d.reason());
        assertEquals(STREAM, d.stream());
        assertEquals(SHARD, d.sourceId());
        assertEquals(lakePosition(2), d.position());
        assertEquals(NOW, d.arrivedAt(), "a record without an arrival time arrives at the clock's time");
        assertEquals("malformed_json", writer.committedDeadLetters.get(1).reason());
        assertEquals(1.0, invalidCount("unknown_event_type"));
    }

    @Test
    void deadLettersAtOrBelowTheCommittedPositionAreNotBufferedAgain() {
        writer.committedUpTo = lakePosition(3);

        process(malformed(2), malformed(3));

        assertEquals(List.of("checkpoint 3/0"), calls, "a replay of committed dead letters is durable without a flush");
        assertEquals(List.of(), writer.bufferedDeadLetters);
    }

    @Test
    void aRecordOverTheCodecsLimitIsADeadLetterAsOversizedNamingSizeAndLimit() {
        byte[] event = CODEC.encode(car(2));
        KinesisClientRecord small = bike(1);
        assertTrue(small.data().remaining() < event.length);
        initialize(new JsonCodec(event.length - 1));
        writer.flushDue = true;

        process(small, record(2, event), malformed(3));

        assertEquals(List.of("flush 3", "checkpoint 3/0"), calls);
        assertEquals(List.of("e-1"), writer.committed.stream().map(r -> r.event().eventId()).toList());
        DeadLetter d = writer.committedDeadLetters.get(0);
        assertEquals("oversized", d.reason());
        assertEquals("record is " + event.length + " bytes, the limit is " + (event.length - 1), d.message());
        assertArrayEquals(event, d.raw(), "the dead letter keeps the whole record");
        assertEquals(lakePosition(2), d.position());
        assertEquals("malformed_json", writer.committedDeadLetters.get(1).reason(), "smaller records are still parsed");
        assertEquals(1.0, invalidCount("oversized"));
    }

    @Test
    void anAggregateWhoseChecksumFailsReachesTheProcessorWholeFromTheKclAndIsADeadLetter() {
        byte[] aggregate = aggregate(CODEC.encode(car(10)), CODEC.encode(car(11)));
        byte[] corrupt = aggregate.clone();
        corrupt[corrupt.length - 1] ^= 0x01;
        // The KCL's own de-aggregation, as the scheduler runs it before processRecords.
        List<KinesisClientRecord> fromKcl = new AggregatorUtil().deaggregate(List.of(record(7, corrupt)));
        assertEquals(1, fromKcl.size(), "the KCL passes an aggregate with a bad checksum on whole");
        assertFalse(fromKcl.get(0).aggregated());
        writer.flushDue = true;

        process(fromKcl.toArray(KinesisClientRecord[]::new));

        assertEquals(List.of("flush 1", "checkpoint 7/0"), calls);
        assertEquals(List.of(), writer.committed);
        DeadLetter d = writer.committedDeadLetters.get(0);
        assertEquals("aggregate_bad_checksum", d.reason());
        assertArrayEquals(corrupt, d.raw());
        assertEquals(lakePosition(7), d.position());
        assertTrue(d.message().contains("KPL aggregated record of " + corrupt.length + " bytes")
                && d.message().contains("MD5 trailer does not match"), d.message());
        assertEquals(1.0, invalidCount("aggregate_bad_checksum"));
        assertEquals(0.0, invalidCount("malformed_json"));
    }

    @Test
    void theUserRecordsOfAnIntactAggregateAreEventsAndOtherUnsplittableAggregatesAreMalformed() {
        byte[] intact = aggregate(CODEC.encode(car(20)), CODEC.encode(car(21)));
        byte[] notAProtobuf = withTrailer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        byte[] tooShort = Arrays.copyOf(KplAggregates.MAGIC, KplAggregates.MAGIC.length + 16);
        List<KinesisClientRecord> fromKcl = new AggregatorUtil().deaggregate(List.of(
                record(20, intact), record(21, notAProtobuf), record(22, tooShort)));
        assertEquals(4, fromKcl.size(), "two user records, then the two records the KCL could not split, whole");
        writer.flushDue = true;

        process(fromKcl.toArray(KinesisClientRecord[]::new));

        assertEquals(List.of("e-20", "e-21"), writer.committed.stream().map(r -> r.event().eventId()).toList());
        assertEquals(List.of(SourcePosition.of("20", 0), SourcePosition.of("20", 1)),
                writer.committed.stream().map(SinkRecord::position).toList());
        assertEquals(List.of("malformed_aggregate", "malformed_aggregate"),
                writer.committedDeadLetters.stream().map(DeadLetter::reason).toList());
        assertTrue(writer.committedDeadLetters.get(0).message().contains("MD5 trailer matches"),
                writer.committedDeadLetters.get(0).message());
        assertTrue(writer.committedDeadLetters.get(1).message().contains("too short"),
                writer.committedDeadLetters.get(1).message());
        assertEquals(List.of("flush 4", "checkpoint 22/0"), calls);
    }

    @Test
    void aUserRecordThatStartsWithTheMagicBytesIsJustMalformed() {
        byte[] nested = withTrailer(new byte[] {1, 2, 3});
        List<KinesisClientRecord> fromKcl = new AggregatorUtil().deaggregate(List.of(record(30, aggregate(nested))));
        assertTrue(fromKcl.get(0).aggregated());
        writer.flushDue = true;

        process(fromKcl.toArray(KinesisClientRecord[]::new));

        assertEquals("malformed_json", writer.committedDeadLetters.get(0).reason(),
                "only a record the KCL passed on whole can be a failed aggregate");
    }

    private void process(KinesisClientRecord... records) {
        processor.processRecords(ProcessRecordsInput.builder().records(Arrays.asList(records))
                .checkpointer(checkpointer).millisBehindLatest(0L).build());
    }

    private double lag() {
        return registry.get("fleetbench.consumer.lag").tag("shard", SHARD).gauge().value();
    }

    private double invalidCount(String reason) {
        return registry.get("fleetbench.consumer.events.invalid").tag("reason", reason).counter().count();
    }

    private static SourcePosition lakePosition(long seq) {
        return SourcePosition.of(Long.toString(seq), 0);
    }

    private static KinesisClientRecord valid(long seq) {
        return record(seq, CODEC.encode(car(seq)));
    }

    private static KinesisClientRecord bike(long seq) {
        TelemetryEvent e = new BikeMetrics("e-" + seq, "bike-000001", seq, 1_700_000_000_000L, 1_700_000_000_020L, 1,
                92, 35, 210, 141, 31.2, 5_400.0, 180.5);
        return record(seq, CODEC.encode(e));
    }

    private static KinesisClientRecord malformed(long seq) {
        return record(seq, "{\"type\":");
    }

    private static CarTelemetry car(long seq) {
        return new CarTelemetry("e-" + seq, "car-000001", seq, 1_700_000_000_000L, 1_700_000_000_050L, 1,
                87.5, 48.137154, 11.576124, 2450, 4, 12_345.6, 63.2, 88.0, 14.1, 236.5, 237.0, 231.2, 230.8,
                CarTelemetry.COMBUSTION);
    }

    /** A KPL aggregated record of user records, all with one partition key: magic bytes, protobuf, MD5 trailer. */
    private static byte[] aggregate(byte[]... userRecords) {
        Messages.AggregatedRecord.Builder b = Messages.AggregatedRecord.newBuilder().addPartitionKeyTable("car-000001");
        for (byte[] r : userRecords) {
            b.addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0).setData(ByteString.copyFrom(r)));
        }
        return withTrailer(b.build().toByteArray());
    }

    /** The magic bytes, the body and the body's MD5. */
    private static byte[] withTrailer(byte[] body) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("MD5").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] out = new byte[KplAggregates.MAGIC.length + body.length + digest.length];
        System.arraycopy(KplAggregates.MAGIC, 0, out, 0, KplAggregates.MAGIC.length);
        System.arraycopy(body, 0, out, KplAggregates.MAGIC.length, body.length);
        System.arraycopy(digest, 0, out, KplAggregates.MAGIC.length + body.length, digest.length);
        return out;
    }

    private static KinesisClientRecord record(long seq, String json) {
        return record(seq, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A valid record that arrived in the stream at {@code at}. */
    private static KinesisClientRecord arrived(long seq, Instant at) {
        return valid(seq).toBuilder().approximateArrivalTimestamp(at).build();
    }

    private static KinesisClientRecord record(long seq, byte[] data) {
        return KinesisClientRecord.builder().sequenceNumber(Long.toString(seq)).subSequenceNumber(0)
                .partitionKey("car-000001").data(ByteBuffer.wrap(data).asReadOnlyBuffer()).build();
    }
}
