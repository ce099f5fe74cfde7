package io.fleetbench.consumer;

import io.fleetbench.lakesink.DeadLetter;
import io.fleetbench.lakesink.LakeSink;
import io.fleetbench.lakesink.ShardWriter;
import io.fleetbench.lakesink.SourceTakenOverException;
import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    private final List<String> failures = new ArrayList<>();
    private TelemetryRecordProcessor processor;

    private RuntimeException openFailure;

    @BeforeEach
    void initialize() {
        LakeSink sink = new LakeSink() {
            @Override
            public ShardWriter open(String sourceId) {
                assertEquals(SHARD, sourceId);
                if (openFailure != null) {
                    throw openFailure;
                }
                return writer;
            }

            @Override
            public void close() {
            }
        };
        processor = new TelemetryRecordProcessor(sink, CODEC, new ConsumerMetrics(registry), STREAM, CLOCK,
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

        writer.flushDue = true;
        process();

        assertEquals(List.of("flush 3", "checkpoint 3/0"), calls);
        assertEquals(3, writer.committed.size());
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

    private static io.fleetbench.lakesink.SourcePosition lakePosition(long seq) {
        return io.fleetbench.lakesink.SourcePosition.of(Long.toString(seq), 0);
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

    private static KinesisClientRecord record(long seq, String json) {
        return record(seq, json.getBytes(StandardCharsets.UTF_8));
    }

    private static KinesisClientRecord record(long seq, byte[] data) {
        return KinesisClientRecord.builder().sequenceNumber(Long.toString(seq)).subSequenceNumber(0)
                .partitionKey("car-000001").data(ByteBuffer.wrap(data).asReadOnlyBuffer()).build();
    }
}
