package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.manifest.AckLedger;
import io.fleetbench.telemetry.manifest.Outcome;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KinesisProducerTest {
    private final ManualExecutor executor = new ManualExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private KinesisProducer producer(FakeKinesis kinesis, ProducerConfig config) {
        return producer(kinesis, config, ShardMap.even(2), null);
    }

    /** A producer of these shards on a double that puts records in the same shards. */
    private KinesisProducer producer(FakeKinesis kinesis, ProducerConfig config, ShardMap shards, AckLedger ledger) {
        return new KinesisProducer(kinesis.withShards(shards), config, shards, executor, executor::now, registry,
                ledger);
    }

    private static ProducerConfig config() {
        return ProducerConfig.defaults("test-stream").withMaxInFlightRequests(4);
    }

    private static byte[] payload(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertBalanced(ProducerCounters c) {
        assertEquals(c.sent(), c.acknowledged() + c.failed() + c.ambiguous() + c.inFlight(), c.toString());
    }

    /** The ledger's sequence numbers of one car with an outcome, as runs. */
    private static String runs(AckLedger ledger, int car, Outcome outcome) {
        return ledger.runs(car, outcome).toString();
    }

    /** A request that timed out on the client: the stream may have written it all the same. */
    private static CompletableFuture<PutRecordsResponse> timedOut() {
        return CompletableFuture.failedFuture(ApiCallTimeoutException.create(10_000));
    }

    /** Answers the first request with {@code first}, every later one with {@code later}. */
    private static Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> firstThen(
            Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> first,
            Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> later) {
        AtomicInteger calls = new AtomicInteger();
        return r -> calls.getAndIncrement() == 0 ? first.apply(r) : later.apply(r);
    }

    @Test
    void batchesHoldAtMost500Records() {
        FakeKinesis kinesis = new FakeKinesis();
        KinesisProducer p = producer(kinesis, config());
        for (int i = 0; i < 1_200; i++) {
            p.send("car-" + i, payload(i), executor.now());
        }
        assertEquals(2, kinesis.requests.size(), "two full batches go out without waiting for linger");
        assertTrue(p.drain().isDone());
        assertEquals(List.of(500, 500, 200), kinesis.requests.stream().map(r -> r.records().size()).toList());
        assertEquals("test-stream", kinesis.requests.get(0).streamName());
        assertEquals(Optional.of(ProducerConfig.DEFAULT_API_CALL_TIMEOUT),
                kinesis.requests.get(0).overrideConfiguration().orElseThrow().apiCallTimeout(),
                "each PutRecords call carries the producer's timeout");
        assertEquals("car-0", kinesis.requests.get(0).records().get(0).partitionKey());
        ProducerCounters c = p.counters();
        assertEquals(1_200, c.acknowledged());
        assertEquals(0, c.inFlight());
        assertBalanced(c);
    }

    @Test
    void batchesHoldAtMost5MiB() {
        FakeKinesis kinesis = new FakeKinesis();
        KinesisProducer p = producer(kinesis, config());
        byte[] big = new byte[300 * 1024];
        for (int i = 0; i < 40; i++) {
            p.send("bike-" + i, big, executor.now());
        }
        p.drain();
        int records = 0;
        for (PutRecordsRequest r : kinesis.requests) {
            long bytes = 0;
            for (PutRecordsRequestEntry e : r.records()) {
                bytes += e.data().asByteArrayUnsafe().length + e.partitionKey().length();
            }
            assertTrue(bytes <= KinesisProducer.MAX_REQUEST_BYTES, "request of " + bytes + " bytes");
            records += r.records().size();
        }
        assertEquals(40, records);
        assertEquals(17, kinesis.requests.get(0).records().size(), "17 records of 300 KiB fit in 5 MiB");
    }

    @Test
    void aRecordWithItsKeyIsAtMost1MiB() {
        KinesisProducer p = producer(new FakeKinesis(), config());
        String key = "car-000001";
        p.send(key, new byte[KinesisProducer.MAX_RECORD_BYTES - key.length()], executor.now());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.send(key, new byte[KinesisProducer.MAX_RECORD_BYTES - key.length() + 1], executor.now()));
        assertTrue(e.getMessage().contains("1048577"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.send("", payload(1), executor.now()));
        assertEquals(1, p.counters().sent());
    }

    @Test
    void pushesBackWhenEveryRequestSlotIsBusyAndTheBufferIsFull() {
        FakeKinesis kinesis = new FakeKinesis().holding();
        KinesisProducer p = producer(kinesis, config().withMaxInFlightRequests(2));
        int sent = 0;
        while (p.canAccept()) {
            p.send("car-" + sent, payload(sent), executor.now());
            sent++;
        }
        assertEquals(3 * 500, sent, "two batches in flight and one full in the buffer");
        assertEquals(2, p.counters().inFlightRequests());
        assertThrows(IllegalStateException.class, () -> p.send("car-x", payload(0), executor.now()));

        CompletableFuture<Void> drained = p.drain();
        kinesis.pending.get(0).complete(FakeKinesis.response(500, i -> null));
        assertEquals(3, kinesis.requests.size(), "the buffered batch takes the freed slot while draining");
        assertFalse(drained.isDone());
        kinesis.pending.get(1).complete(FakeKinesis.response(500, i -> null));
        kinesis.pending.get(2).complete(FakeKinesis.response(500, i -> null));
        assertTrue(drained.isDone());
        assertEquals(1_500, p.counters().acknowledged());
    }

    @Test
    void retriesOnlyTheRecordsThatFailed() {
        AtomicInteger calls = new AtomicInteger();
        FakeKinesis kinesis = new FakeKinesis().answering(r -> calls.getAndIncrement() == 0
                ? CompletableFuture.completedFuture(FakeKinesis.response(r.records().size(),
                        i -> i == 1 ? "ProvisionedThroughputExceededException" : i == 3 ? "InternalFailure" : null))
                : FakeKinesis.success(r));
        KinesisProducer p = producer(kinesis, config());
        for (int i = 0; i < 5; i++) {
            p.send("car-" + i, payload(i), executor.now());
        }
        CompletableFuture<Void> drained = p.drain();
        assertFalse(drained.isDone());
        ProducerCounters mid = p.counters();
        assertEquals(3, mid.acknowledged());
        assertEquals(2, mid.inFlight());
        assertBalanced(mid);

        executor.runNextScheduled();
        assertTrue(drained.isDone());
        PutRecordsRequest retry = kinesis.requests.get(1);
        assertEquals(List.of("car-1", "car-3"), retry.records().stream().map(PutRecordsRequestEntry::partitionKey).toList());
        ProducerCounters c = p.counters();
        assertEquals(5, c.acknowledged());
        assertEquals(0, c.acknowledgedAfterAmbiguous(), "a per-record error says the record was not written");
        assertEquals(0, c.failed());
        assertEquals(2, c.retried());
        assertEquals(1.0, registry.get("fleetbench.simulator.events.retried").tag("reason", "throughput_exceeded")
                .counter().count());
        assertEquals(1.0, registry.get("fleetbench.simulator.events.retried").tag("reason", "internal_failure")
                .counter().count());
        assertBalanced(c);
    }

    @Test
    void theLastAcknowledgedRecordOfEachShardIsKept() {
        // The first answer writes sequence numbers 9, 123 and 10 (10 is the later of 9 and 10 numerically, not as
        // text), and the last record is refused; its retry is answered with sequence number 0, earlier than those.
        List<PutRecordsResultEntry> first = List.of(
                PutRecordsResultEntry.builder().shardId("shardId-000000000000").sequenceNumber("9").build(),
                PutRecordsResultEntry.builder().shardId("shardId-000000000001").sequenceNumber("123").build(),
                PutRecordsResultEntry.builder().shardId("shardId-000000000000").sequenceNumber("10").build(),
                PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException").build());
        FakeKinesis kinesis = new FakeKinesis().answering(firstThen(
                r -> CompletableFuture.completedFuture(PutRecordsResponse.builder().failedRecordCount(1).records(first)
                        .build()),
                FakeKinesis::success));
        KinesisProducer p = producer(kinesis, config());
        for (int i = 0; i < 4; i++) {
            p.send("car-" + i, payload(i), executor.now());
        }
        CompletableFuture<Void> drained = p.drain();
        // The fake puts each record in the shard its key hashes to; per shard, the latest of those it wrote.
        ShardMap shards = ShardMap.even(2);
        Map<String, String> expected = new java.util.HashMap<>();
        String[] sequences = {"9", "123", "10"};
        for (int i = 0; i < 3; i++) {
            expected.merge(shards.shardId(shards.shardOf("car-" + i)), sequences[i], KinesisProducer::later);
        }
        assertEquals(expected, p.lastAcknowledged());

        executor.runNextScheduled();
        assertTrue(drained.isDone());
        assertEquals(4, p.counters().acknowledged());
        expected.merge(shards.shardId(shards.shardOf("car-3")), "0", KinesisProducer::later);
        assertEquals(expected, p.lastAcknowledged(),
                "an earlier sequence number acknowledged later does not move the shard's last one back");
        assertEquals("10", KinesisProducer.later("9", "10"));
        assertEquals("49590338271490256608559692538361571095921575989136588898",
                KinesisProducer.later("49590338271490256608559692538361571095921575989136588898",
                        "49590338271490256608559692538361571095921575989136588897"));
    }

    @Test
    void recordsThatKeepFailingFailWithTheirReasonWhenTheirTimeToLiveEnds() {
        FakeKinesis kinesis = new FakeKinesis().answering(r -> CompletableFuture.completedFuture(
                FakeKinesis.response(r.records().size(), i -> i % 2 == 0 ? "ProvisionedThroughputExceededException" : null)));
        ProducerConfig cfg = config().withRecordTtl(Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400));
        KinesisProducer p = producer(kinesis, cfg);
        long intended = executor.now();
        for (int i = 0; i < 10; i++) {
            p.send("car-" + i, payload(i), intended);
        }
        CompletableFuture<Void> drained = p.drain();
        while (executor.hasScheduled()) {
            assertBalanced(p.counters());
            executor.runNextScheduled();
        }
        assertTrue(drained.isDone());
        assertTrue(executor.now() - intended <= Duration.ofSeconds(2).toNanos(), "no attempt after the TTL");
        ProducerCounters c = p.counters();
        assertEquals(10, c.sent());
        assertEquals(10, c.acknowledged() + c.failed());
        assertEquals(0, c.inFlight());
        assertTrue(c.failed() > 0, c.toString());
        assertEquals(0, c.ambiguous(), "every attempt failed for sure");
        assertEquals(c.failed(), c.failedByReason().get(FailureReason.THROUGHPUT_EXCEEDED));
        assertTrue(c.retried() >= c.failed(), "every failed record was retried at least once");
        assertEquals((double) c.failed(), registry.get("fleetbench.simulator.events.failed")
                .tag("reason", "throughput_exceeded").counter().count());
        assertEquals(0, c.inFlightRequests());
    }

    @Test
    void aFailedRequestIsRetriedWhole() {
        AtomicInteger calls = new AtomicInteger();
        FakeKinesis kinesis = new FakeKinesis().answering(r -> calls.getAndIncrement() == 0
                ? CompletableFuture.failedFuture(SdkClientException.create("connection reset"))
                : FakeKinesis.success(r));
        KinesisProducer p = producer(kinesis, config());
        for (int i = 0; i < 3; i++) {
            p.send("bike-" + i, payload(i), executor.now());
        }
        CompletableFuture<Void> drained = p.drain();
        executor.runNextScheduled();
        assertTrue(drained.isDone());
        assertEquals(3, kinesis.requests.get(1).records().size());
        assertEquals(3, p.counters().acknowledged());
        assertEquals(3, p.counters().acknowledgedAfterAmbiguous(), "a lost connection may have written them");
        assertEquals(3, p.counters().retried());
    }

    @Test
    void aRejectedRequestFailsAtOnce() {
        FakeKinesis kinesis = new FakeKinesis().answering(r -> CompletableFuture.failedFuture(
                ResourceNotFoundException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
                        .message("Stream test-stream not found").build()));
        KinesisProducer p = producer(kinesis, config());
        for (int i = 0; i < 3; i++) {
            p.send("bike-" + i, payload(i), executor.now());
        }
        assertTrue(p.drain().isDone());
        assertFalse(executor.hasScheduled());
        ProducerCounters c = p.counters();
        assertEquals(3, c.failedByReason().get(FailureReason.REQUEST_REJECTED));
        assertEquals(0, c.retried());
        assertBalanced(c);
    }

    @Test
    void latencyRunsFromTheIntendedSendTime() {
        FakeKinesis kinesis = new FakeKinesis().holding();
        KinesisProducer p = producer(kinesis, config());
        long intended = executor.now();
        executor.clock.addAndGet(Duration.ofMillis(200).toNanos());
        p.send("car-1", payload(1), intended);
        p.drain();
        executor.clock.addAndGet(Duration.ofMillis(50).toNanos());
        kinesis.pending.get(0).complete(FakeKinesis.response(1, i -> null));
        Histogram h = p.intervalLatency();
        assertEquals(1, h.getTotalCount());
        assertEquals(250_000, h.getMaxValue(), 250, "250 ms in microseconds, including the 200 ms the caller was late");
    }

    @Test
    void lingerSendsAPartlyFilledBatch() {
        FakeKinesis kinesis = new FakeKinesis();
        KinesisProducer p = producer(kinesis, config().withLinger(Duration.ofMillis(20)));
        p.send("car-1", payload(1), executor.now());
        p.flushIfLingered();
        assertEquals(0, kinesis.requests.size());
        executor.clock.addAndGet(Duration.ofMillis(20).toNanos());
        p.flushIfLingered();
        assertEquals(1, kinesis.requests.size());
    }

    @Test
    void aggregatesHoldOnlyRecordsOfTheirShardAndEveryRecordExactlyOnce() throws Exception {
        FakeKinesis kinesis = new FakeKinesis();
        ShardMap shards = ShardMap.even(2);
        KinesisProducer p = producer(kinesis, config().withAggregation(true), shards, null);
        for (int i = 0; i < 3_000; i++) {
            p.send("car-" + (i % 700), payload(i), executor.now());
        }
        assertTrue(p.drain().isDone());
        Map<String, Integer> seen = new HashMap<>();
        int kinesisRecords = 0;
        for (PutRecordsRequest r : kinesis.requests) {
            for (PutRecordsRequestEntry e : r.records()) {
                kinesisRecords++;
                byte[] data = e.data().asByteArrayUnsafe();
                assertTrue(AggregatedRecords.isAggregated(data), "a batch of many small records is aggregated");
                int shard = shards.shardOf(e.partitionKey());
                for (AggregatedRecords.UserRecord u : AggregatedRecords.decode(data)) {
                    assertEquals(shard, shards.shardOf(u.partitionKey()), u.partitionKey() + " in another shard's aggregate");
                    seen.merge(new String(u.data(), StandardCharsets.UTF_8), 1, Integer::sum);
                }
            }
        }
        assertEquals(3_000, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "every user record exactly once");
        assertEquals(2, kinesisRecords, "one aggregate per shard");
        ProducerCounters c = p.counters();
        assertEquals(3_000, c.acknowledged());
        assertBalanced(c);
        ShardLoadReport load = p.shardLoad();
        assertEquals(2, load.shards().stream().mapToLong(ShardLoadReport.ShardLoad::records).sum(),
                "aggregates, not user records, count against the shard limits");
        assertEquals(3_000, load.shards().stream().mapToLong(ShardLoadReport.ShardLoad::userRecords).sum());
    }

    @Test
    void aggregatesStayWithinTheRecordLimitAndBatchesWithinTheRequestLimit() throws Exception {
        FakeKinesis kinesis = new FakeKinesis();
        KinesisProducer p = producer(kinesis, config().withAggregation(true), ShardMap.even(1), null);
        byte[] data = new byte[100 * 1024];
        for (int i = 0; i < 120; i++) {
            p.send("bike-" + i, data, executor.now());
        }
        assertTrue(p.drain().isDone());
        int users = 0;
        for (PutRecordsRequest r : kinesis.requests) {
            long bytes = 0;
            for (PutRecordsRequestEntry e : r.records()) {
                int size = e.data().asByteArrayUnsafe().length + e.partitionKey().length();
                assertTrue(size <= KinesisProducer.MAX_RECORD_BYTES, "aggregate of " + size + " bytes");
                bytes += size;
                users += AggregatedRecords.decode(e.data().asByteArrayUnsafe()).size();
            }
            assertTrue(bytes <= KinesisProducer.MAX_REQUEST_BYTES, "request of " + bytes + " bytes");
        }
        assertEquals(120, users);
        assertEquals(10, AggregatedRecords.decode(kinesis.requests.get(0).records().get(0).data().asByteArrayUnsafe())
                .size(), "ten 100 KiB records fill a 1 MiB aggregate");
    }

    @Test
    void aThrottledAggregateIsRetriedWholeAndCountsEachEvent() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FakeKinesis kinesis = new FakeKinesis().answering(r -> calls.getAndIncrement() == 0
                ? CompletableFuture.completedFuture(FakeKinesis.response(r.records().size(),
                        i -> "ProvisionedThroughputExceededException"))
                : FakeKinesis.success(r));
        KinesisProducer p = producer(kinesis, config().withAggregation(true), ShardMap.even(1), null);
        for (int i = 0; i < 50; i++) {
            p.send("car-" + i, payload(i), executor.now());
        }
        CompletableFuture<Void> drained = p.drain();
        assertFalse(drained.isDone());
        executor.runNextScheduled();
        assertTrue(drained.isDone());
        assertEquals(kinesis.requests.get(0).records(), kinesis.requests.get(1).records(), "the same aggregate again");
        ProducerCounters c = p.counters();
        assertEquals(50, c.acknowledged());
        assertEquals(50, c.retried());
        assertEquals(1, p.shardLoad().shards().get(0).records(), "a retry is not new load");
        assertBalanced(c);
    }

    @Test
    void aLoneRecordGoesOutPlainAfterTheLinger() {
        FakeKinesis kinesis = new FakeKinesis();
        KinesisProducer p = producer(kinesis, config().withAggregation(true).withLinger(Duration.ofMillis(20)),
                ShardMap.even(4), null);
        p.send("car-1", payload(1), executor.now());
        p.flushIfLingered();
        assertEquals(0, kinesis.requests.size());
        executor.clock.addAndGet(Duration.ofMillis(20).toNanos());
        p.flushIfLingered();
        assertEquals(1, kinesis.requests.size());
        assertArrayEquals(payload(1), kinesis.requests.get(0).records().get(0).data().asByteArrayUnsafe());
        assertEquals(1, p.counters().acknowledged());
    }

    @Test
    void drainingAggregatesNeverExceedsTheRequestBound() throws Exception {
        FakeKinesis kinesis = new FakeKinesis().holding();
        KinesisProducer p = producer(kinesis, config().withAggregation(true).withMaxInFlightRequests(1),
                ShardMap.even(8), null);
        byte[] data = new byte[300 * 1024];
        int sent = 0;
        while (p.canAccept()) {
            p.send("bike-" + sent, data, executor.now());
            sent++;
        }
        CompletableFuture<Void> drained = p.drain();
        int answered = 0;
        while (answered < kinesis.pending.size()) {
            assertTrue(p.counters().inFlightRequests() <= 1, "requests in flight " + p.counters().inFlightRequests());
            PutRecordsRequest r = kinesis.requests.get(answered);
            kinesis.pending.get(answered++).complete(FakeKinesis.response(r.records().size(), i -> null));
        }
        assertTrue(drained.isDone());
        int users = 0;
        for (PutRecordsRequest r : kinesis.requests) {
            for (PutRecordsRequestEntry e : r.records()) {
                byte[] b = e.data().asByteArrayUnsafe();
                users += AggregatedRecords.isAggregated(b) ? AggregatedRecords.decode(b).size() : 1;
            }
        }
        assertEquals(sent, users);
        assertEquals(sent, p.counters().acknowledged());
        assertBalanced(p.counters());
    }

    @Test
    void timeoutsLostConnectionsAnd5xxAreAmbiguous() {
        assertTrue(KinesisProducer.ambiguous(ApiCallTimeoutException.create(10_000)));
        assertTrue(KinesisProducer.ambiguous(new CompletionException(ApiCallAttemptTimeoutException.create(10_000))));
        assertTrue(KinesisProducer.ambiguous(SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new IOException("Connection reset by peer")).build()));
        assertTrue(KinesisProducer.ambiguous(new CompletionException(SdkClientException.builder()
                .message("Unable to execute HTTP request").cause(new ClosedChannelException()).build())));
        assertTrue(KinesisProducer.ambiguous(KinesisException.builder().statusCode(500).message("internal").build()));
        assertTrue(KinesisProducer.ambiguous(KinesisException.builder().statusCode(503).message("unavailable").build()));
    }

    @Test
    void aRequestRefusedWith4xxOrNeverSentFailsDefinitely() {
        assertFalse(KinesisProducer.ambiguous(new CompletionException(ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
                .message("Stream test-stream not found").build())));
        assertFalse(KinesisProducer.ambiguous(ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                .message("Rate exceeded").build()));
        assertFalse(KinesisProducer.ambiguous(KinesisException.builder().statusCode(403).message("denied").build()));
        assertFalse(KinesisProducer.ambiguous(SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new ConnectException("Connection refused")).build()));
    }

    @Test
    void recordsThatLandedUnderATimeoutAndAreAcknowledgedOnRetryAreAcknowledgedAfterAnAmbiguousAttempt() {
        // The first request "lands" (the double records it) but the client times out; the retry is acknowledged.
        FakeKinesis kinesis = new FakeKinesis().answering(firstThen(r -> timedOut(), FakeKinesis::success));
        AckLedger ledger = new AckLedger(3, 0);
        KinesisProducer p = producer(kinesis, config(), ShardMap.even(2), ledger);
        for (int seq = 1; seq <= 4; seq++) {
            for (int car = 0; car < 3; car++) {
                p.send(Fleet.deviceId(true, car), payload(seq), executor.now(), EventIds.key(true, car, seq));
            }
        }
        CompletableFuture<Void> drained = p.drain();
        ProducerCounters mid = p.counters();
        assertFalse(drained.isDone(), "the timed-out batch waits for its retry");
        assertEquals(12, mid.inFlight(), "a timed-out record is neither acknowledged nor failed");
        assertEquals(0, mid.acknowledged() + mid.failed() + mid.ambiguous());
        assertBalanced(mid);

        executor.runNextScheduled();
        assertTrue(drained.isDone());
        assertEquals(kinesis.requests.get(0).records(), kinesis.requests.get(1).records(), "the same records again");
        ProducerCounters c = p.counters();
        assertEquals(12, c.acknowledged());
        assertEquals(12, c.acknowledgedAfterAmbiguous(), "each may be in the stream twice");
        assertEquals(0, c.failed());
        assertEquals(0, c.ambiguous());
        assertEquals(12, c.retried());
        assertBalanced(c);
        assertEquals(12.0, registry.get(SimulatorMeters.EVENTS_ACKNOWLEDGED_AFTER_AMBIGUOUS).counter().count());
        assertEquals(12.0, registry.get(SimulatorMeters.EVENTS_ACKNOWLEDGED).counter().count());
        assertEquals(12.0, registry.get(SimulatorMeters.EVENTS_RETRIED).tag("reason", "request_failed").counter()
                .count(), "a timeout is retried as a failed request");
        for (int car = 0; car < 3; car++) {
            assertEquals("1-4", runs(ledger, car, Outcome.ACKNOWLEDGED));
            assertEquals("1-4", runs(ledger, car, Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS));
            assertEquals("", runs(ledger, car, Outcome.FAILED));
        }
    }

    @Test
    void recordsGivenUpOnAfterAnAmbiguousAttemptAreAmbiguousNotFailed() {
        // Timed out once (may have landed), then throttled record by record until the time-to-live ends.
        FakeKinesis kinesis = new FakeKinesis().answering(firstThen(r -> timedOut(),
                r -> CompletableFuture.completedFuture(FakeKinesis.response(r.records().size(),
                        i -> "ProvisionedThroughputExceededException"))));
        AckLedger ledger = new AckLedger(2, 0);
        ProducerConfig cfg = config().withRecordTtl(Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400));
        KinesisProducer p = producer(kinesis, cfg, ShardMap.even(2), ledger);
        p.send("car-000000", payload(1), executor.now(), EventIds.key(true, 0, 1));
        p.send("car-000001", payload(1), executor.now(), EventIds.key(true, 1, 1));
        CompletableFuture<Void> drained = p.drain();
        while (executor.hasScheduled()) {
            assertBalanced(p.counters());
            executor.runNextScheduled();
        }
        assertTrue(drained.isDone());
        ProducerCounters c = p.counters();
        assertEquals(2, c.ambiguous(), c.toString());
        assertEquals(0, c.failed(), "a record that may have landed is not failed");
        assertEquals(0, c.failedByReason().get(FailureReason.THROUGHPUT_EXCEEDED));
        assertEquals(0, c.acknowledged());
        assertBalanced(c);
        assertEquals(2.0, registry.get(SimulatorMeters.EVENTS_AMBIGUOUS).counter().count());
        assertEquals("1", runs(ledger, 0, Outcome.AMBIGUOUS));
        assertEquals("1", runs(ledger, 1, Outcome.AMBIGUOUS));
        assertEquals("", runs(ledger, 0, Outcome.FAILED));
    }

    @Test
    void aRequestRejectedAfterA5xxIsAmbiguous() {
        FakeKinesis kinesis = new FakeKinesis().answering(firstThen(
                r -> CompletableFuture.failedFuture(KinesisException.builder().statusCode(503).message("unavailable").build()),
                r -> CompletableFuture.failedFuture(KinesisException.builder().statusCode(400).message("invalid")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).build())));
        AckLedger ledger = new AckLedger(1, 0);
        KinesisProducer p = producer(kinesis, config(), ShardMap.even(2), ledger);
        p.send("car-000000", payload(1), executor.now(), EventIds.key(true, 0, 1));
        CompletableFuture<Void> drained = p.drain();
        executor.runNextScheduled();
        assertTrue(drained.isDone());
        ProducerCounters c = p.counters();
        assertEquals(1, c.ambiguous(), c.toString());
        assertEquals(0, c.failed());
        assertEquals("1", runs(ledger, 0, Outcome.AMBIGUOUS));
    }

    @Test
    void recordsThatOnlyEverFailedForSureAreFailedInTheLedger() {
        FakeKinesis kinesis = new FakeKinesis().answering(r -> CompletableFuture.failedFuture(
                ResourceNotFoundException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
                        .message("Stream test-stream not found").build()));
        AckLedger ledger = new AckLedger(0, 2);
        KinesisProducer p = producer(kinesis, config(), ShardMap.even(2), ledger);
        p.send("bike-000001", payload(1), executor.now(), EventIds.key(false, 1, 7));
        assertTrue(p.drain().isDone());
        ProducerCounters c = p.counters();
        assertEquals(1, c.failed());
        assertEquals(0, c.ambiguous());
        assertEquals("7", ledger.runs(1, Outcome.FAILED).toString());
        assertEquals("", ledger.runs(1, Outcome.AMBIGUOUS).toString());
    }

    @Test
    void aRequestTheClientRefusedBeforeSendingIsNotAmbiguous() {
        AtomicInteger calls = new AtomicInteger();
        FakeKinesis kinesis = new FakeKinesis().answering(r -> {
            if (calls.getAndIncrement() == 0) {
                throw SdkClientException.create("the client refused the request");
            }
            return FakeKinesis.success(r);
        });
        KinesisProducer p = producer(kinesis, config());
        p.send("car-1", payload(1), executor.now());
        CompletableFuture<Void> drained = p.drain();
        executor.runNextScheduled();
        assertTrue(drained.isDone());
        ProducerCounters c = p.counters();
        assertEquals(1, c.acknowledged());
        assertEquals(0, c.acknowledgedAfterAmbiguous(), "nothing went out the first time");
        assertBalanced(c);
    }

    @Test
    void anAggregateOfSeveralDevicesTimedOutThenAcknowledgedRecordsEveryUserRecord() throws Exception {
        FakeKinesis kinesis = new FakeKinesis().answering(firstThen(r -> timedOut(), FakeKinesis::success));
        AckLedger ledger = new AckLedger(4, 3);
        KinesisProducer p = producer(kinesis, config().withAggregation(true), ShardMap.even(1), ledger);
        int users = 0;
        for (int seq = 1; seq <= 5; seq++) {
            for (int car = 0; car < 4; car++) {
                p.send(Fleet.deviceId(true, car), payload(users++), executor.now(), EventIds.key(true, car, seq));
            }
            for (int bike = 0; bike < 3; bike++) {
                p.send(Fleet.deviceId(false, bike), payload(users++), executor.now(), EventIds.key(false, bike, seq));
            }
        }
        CompletableFuture<Void> drained = p.drain();
        assertEquals(1, kinesis.requests.get(0).records().size(), "one aggregate of every user record");
        assertEquals(users, AggregatedRecords.decode(kinesis.requests.get(0).records().get(0).data().asByteArrayUnsafe())
                .size());
        executor.runNextScheduled();
        assertTrue(drained.isDone());
        ProducerCounters c = p.counters();
        assertEquals(users, c.acknowledged());
        assertEquals(users, c.acknowledgedAfterAmbiguous());
        assertBalanced(c);
        for (int d = 0; d < 7; d++) {
            assertEquals("1-5", ledger.runs(d, Outcome.ACKNOWLEDGED).toString(), ledger.deviceId(d));
            assertEquals("1-5", ledger.runs(d, Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS).toString(), ledger.deviceId(d));
        }
        assertEquals((long) users, ledger.counts().get(Outcome.ACKNOWLEDGED));
    }

    @Test
    void recordsWithoutAKeyAreCountedButNotRecorded() {
        AckLedger ledger = new AckLedger(1, 0);
        KinesisProducer p = producer(new FakeKinesis(), config(), ShardMap.even(2), ledger);
        p.send("car-000000", payload(1), executor.now());
        p.send("car-000000", payload(2), executor.now(), EventIds.key(true, 0, 1));
        assertTrue(p.drain().isDone());
        assertEquals(2, p.counters().acknowledged());
        assertEquals(1L, ledger.counts().get(Outcome.ACKNOWLEDGED));
    }
}

