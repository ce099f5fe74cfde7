package io.fleetbench.runner;

import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.ShardLimitProxy;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.simulator.FailureReason;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.simulator.ProducerConfig;
import io.fleetbench.simulator.ProducerCounters;
import io.fleetbench.simulator.ProducerExecutor;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.simulator.ShardMap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer against kinesalite behind the shard-limit proxy: 3,000 records/s into one shard
 * for 10 s, three times what a shard takes. Every event must end acknowledged or failed with its
 * reason, the stream must hold exactly the acknowledged ones, and the per-shard report must name
 * the shard as over its limit.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ThrottledProducerIT {
    private static final int RATE = 3_000;
    private static final Duration SEND_FOR = Duration.ofSeconds(10);

    @Test
    void aThrottledShardEndsWithEveryEventAccountedFor(@TempDir Path runDir) throws Exception {
        StackConfig config = StackConfig.defaults().withPorts(freePort(), freePort());
        Vertx vertx = Vertx.vertx();
        try (LocalStack stack = LocalStack.start(config, ProjectHome.locate(), runDir, System.out);
             ShardLimitProxy proxy = ShardLimitProxy.start(vertx, stack.kinesisEndpoint(), 0);
             KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(proxy.endpoint()), 64);
             KinesisAsyncClient direct = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 4)) {
            String stream = "throttled-it-" + System.nanoTime();
            createStream(direct, stream, 1);
            ShardMap shards = ShardMap.fetch(kinesis, stream, Duration.ofSeconds(10));

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ProducerConfig producerConfig = ProducerConfig.defaults(stream).withMaxInFlightRequests(32)
                    .withRecordTtl(Duration.ofSeconds(4)).withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
            Context context = vertx.getOrCreateContext();
            KinesisProducer producer = new KinesisProducer(kinesis, producerConfig, shards,
                    ProducerExecutor.onContext(context), System::nanoTime, registry);
            AtomicLong shortfall = new AtomicLong();
            CompletableFuture<Void> drained = sendAtRate(vertx, context, producer, shortfall);
            drained.get(60, TimeUnit.SECONDS);

            ProducerCounters c = producer.counters();
            System.out.printf("ThrottledProducerIT: %s, shortfall %d, proxy throttled %d%n", c, shortfall.get(),
                    proxy.throttled());
            assertEquals(RATE * SEND_FOR.toSeconds(), c.sent() + shortfall.get(), "every due event sent or counted short");
            assertEquals(0, c.ambiguous() + c.acknowledgedAfterAmbiguous(), "a throttled shard answers every request: " + c);
            assertEquals(c.sent(), c.acknowledged() + c.failed(), "sent = acknowledged + failed");
            assertEquals(0, c.inFlight());
            assertTrue(c.failed() > 0, "a shard taking a third of the load must fail some events: " + c);
            assertEquals(c.failed(), c.failedByReason().get(FailureReason.THROUGHPUT_EXCEEDED), c.toString());
            assertTrue(c.retried() > 0, "throttled records are retried");
            assertTrue(proxy.throttled() > 0);
            assertTrue(c.acknowledged() <= 1_000 * (SEND_FOR.toSeconds() + 6) + 1_000,
                    "the proxy let through more than one shard takes: " + c.acknowledged());

            ShardLoadReport load = producer.shardLoad();
            System.out.println("ThrottledProducerIT: " + load);
            assertEquals(List.of("shardId-000000000000"), load.throttledShards());
            assertTrue(load.shards().get(0).secondsOverLimit() >= SEND_FOR.toSeconds() - 2, load.toString());
            assertTrue(load.peakRecordsPerSecond() > 2_000, load.toString());
            assertTrue(load.shardsNeeded() >= 3, load.toString());

            assertEquals(c.acknowledged(), countRecords(direct, stream), "the stream holds exactly the acknowledged events");
            // A fresh stream, whose buckets start full, makes the next answers deterministic.
            createStream(direct, stream + "-answers", 1);
            assertPutRecordAnswersLikeAws(kinesis, stream + "-answers");
            assertGetRecordsIsLimitedToFiveCallsPerSecond(kinesis, stream + "-answers");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Sends RATE events per second on the producer's context, intended times on a fixed schedule. */
    private static CompletableFuture<Void> sendAtRate(Vertx vertx, Context context, KinesisProducer producer,
                                                      AtomicLong shortfall) {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        long total = RATE * SEND_FOR.toSeconds();
        long interval = 1_000_000_000L / RATE;
        context.runOnContext(v -> {
            long start = System.nanoTime();
            long[] next = {0};
            vertx.setPeriodic(5, id -> {
                long now = System.nanoTime();
                while (next[0] < total && start + next[0] * interval <= now) {
                    long i = next[0]++;
                    if (producer.canAccept()) {
                        byte[] data = ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(40) + "\"}")
                                .getBytes(StandardCharsets.UTF_8);
                        producer.send("car-" + (i % 1_000), data, start + i * interval);
                    } else {
                        shortfall.incrementAndGet();
                    }
                }
                producer.flushIfLingered();
                if (next[0] == total) {
                    vertx.cancelTimer(id);
                    producer.drain().whenComplete((r, e) -> drained.complete(null));
                }
            });
        });
        return drained;
    }

    /**
     * Spends the shard's byte tokens with one PutRecords of three 400 KB records (the third goes
     * over 1 MiB/s), then expects PutRecord to fail with HTTP 400 as AWS answers.
     */
    private static void assertPutRecordAnswersLikeAws(KinesisAsyncClient kinesis, String stream) {
        SdkBytes big = SdkBytes.fromByteArray(new byte[400_000]);
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).data(big).build());
        }
        PutRecordsResponse answer = kinesis.putRecords(b -> b.streamName(stream).records(entries)).join();
        assertEquals(1, answer.failedRecordCount(), answer.toString());
        assertEquals(null, answer.records().get(0).errorCode());
        assertEquals("shardId-000000000000", answer.records().get(1).shardId());
        assertEquals("ProvisionedThroughputExceededException", answer.records().get(2).errorCode());
        assertTrue(answer.records().get(2).errorMessage().startsWith("Rate exceeded for shard shardId-000000000000 in stream "
                + stream), answer.records().get(2).errorMessage());
        CompletionException e = assertThrows(CompletionException.class, () -> kinesis
                .putRecord(b -> b.streamName(stream).partitionKey("k").data(big)).join());
        AwsServiceException aws = assertInstanceOf(AwsServiceException.class, e.getCause());
        assertEquals(400, aws.statusCode());
        assertEquals("ProvisionedThroughputExceededException", aws.awsErrorDetails().errorCode());
    }

    /** Twelve GetRecords calls in a row on one shard: at five a second, some must be refused as AWS does. */
    private static void assertGetRecordsIsLimitedToFiveCallsPerSecond(KinesisAsyncClient kinesis, String stream) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            String it = iterator;
            try {
                iterator = kinesis.getRecords(b -> b.shardIterator(it).limit(1)).join().nextShardIterator();
            } catch (CompletionException e) {
                AwsServiceException aws = assertInstanceOf(AwsServiceException.class, e.getCause());
                assertEquals(400, aws.statusCode());
                assertEquals("ProvisionedThroughputExceededException", aws.awsErrorDetails().errorCode());
                refused++;
            }
        }
        assertTrue(refused >= 2, "12 calls in a row on a 5 calls/s shard, refused " + refused);
    }

    private static long countRecords(KinesisAsyncClient kinesis, String stream) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
        long n = 0;
        while (true) {
            String it = iterator;
            GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000)).join();
            if (r.records().isEmpty()) {
                return n;
            }
            n += r.records().size();
            iterator = r.nextShardIterator();
        }
    }

    static void createStream(KinesisAsyncClient kinesis, String stream, int shards) throws InterruptedException {
        kinesis.createStream(b -> b.streamName(stream).shardCount(shards)).join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (kinesis.describeStreamSummary(b -> b.streamName(stream)).join().streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            assertTrue(System.nanoTime() < deadline, "stream " + stream + " not ACTIVE after 30 s");
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
