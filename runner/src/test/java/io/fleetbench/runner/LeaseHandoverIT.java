package io.fleetbench.runner;

import io.fleetbench.consumer.ConsumerConfig;
import io.fleetbench.consumer.KinesisConsumer;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.telemetry.EventFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two KCL workers of one application share a 4-shard stream while a producer keeps putting; one
 * worker is shut down mid-run, the other takes its shards over, and the lake, read with
 * delta-kernel, holds every acknowledged event exactly once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LeaseHandoverIT {
    private static final int SHARDS = 4;
    private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    /** How long the producer keeps putting once the surviving worker holds every shard. */
    private static final Duration PUT_AFTER_HANDOVER = Duration.ofSeconds(5);

    @TempDir
    Path runDir;

    @Test
    void theSurvivingWorkerTakesOverTheStoppedWorkersShardsAndEveryEventLandsOnce() throws Exception {
        long t0 = System.nanoTime();
        StackConfig stackConfig = StackConfig.defaults().withPorts(ThrottledProducerIT.freePort(),
                ThrottledProducerIT.freePort());
        String stream = "handover-it";
        String app = "handover-it-app";
        LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(runDir.resolve("lake").toString()).withApplicationId(app)
                .withBufferLimits(Duration.ofMillis(500), LakeSinkConfig.DEFAULT_MAX_BUFFERED_BYTES);
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("it", "it"));
        try (LocalStack stack = LocalStack.start(stackConfig, ProjectHome.locate(), runDir.resolve("stack"), System.out);
             KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 8);
             DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().endpointOverride(stack.dynamoEndpoint())
                     .region(Region.US_EAST_1).credentialsProvider(creds).build()) {
            ThrottledProducerIT.createStream(kinesis, stream, SHARDS);
            ConsumerConfig config = ConsumerConfig.local(stream, app, stack.kinesisEndpoint(), stack.dynamoEndpoint());
            MeterRegistry registryA = new SimpleMeterRegistry();
            MeterRegistry registryB = new SimpleMeterRegistry();
            AcknowledgingProducer producer = new AcknowledgingProducer(kinesis, stream, 25, 100);
            Thread producerThread = null;
            try (DeltaLakeSink sinkA = new DeltaLakeSink(sinkConfig, registryA, Clock.systemUTC());
                 DeltaLakeSink sinkB = new DeltaLakeSink(sinkConfig, registryB, Clock.systemUTC())) {
                sinkA.createTables();
                KinesisConsumer a = new KinesisConsumer(config.withWorkerId("worker-a"), sinkA, registryA);
                KinesisConsumer b = new KinesisConsumer(config.withWorkerId("worker-b"), sinkB, registryB);
                try {
                    a.start();
                    assertTrue(a.awaitFirstLease(LEASE_TIMEOUT), "worker-a took no lease within " + LEASE_TIMEOUT);
                    producerThread = producer.start("handover-it-producer");
                    b.start();
                    awaitCondition(() -> "both workers to hold leases; owners " + owners(dynamo, app), LEASE_TIMEOUT,
                            () -> {
                                failOn(a, b, producer);
                                Map<String, String> owners = owners(dynamo, app);
                                return owners.containsValue("worker-a") && owners.containsValue("worker-b");
                            });
                    Map<String, String> before = owners(dynamo, app);
                    System.out.printf("LeaseHandoverIT: owners before the stop %s after %d ms%n", before,
                            (System.nanoTime() - t0) / 1_000_000);
                    Set<String> shardsOfA = shardsOf(before, "worker-a");
                    awaitCondition(() -> "worker-a to commit", LEASE_TIMEOUT,
                            () -> counterSum(registryA, "fleetbench.consumer.flushes") > 0);
                    long stopAt = System.nanoTime();
                    a.close();
                    assertEquals(Optional.empty(), a.failure(), "worker-a stopped cleanly");
                    awaitCondition(() -> "worker-b to hold every shard; owners " + owners(dynamo, app), LEASE_TIMEOUT,
                            () -> {
                                failOn(a, b, producer);
                                return shardsOf(owners(dynamo, app), "worker-b").size() == SHARDS
                                        && b.leasedShards().containsAll(shardsOfA);
                            });
                    System.out.printf("LeaseHandoverIT: worker-b held every shard %d ms after worker-a's close()%n",
                            (System.nanoTime() - stopAt) / 1_000_000);
                    Map<String, Double> receivedBeforeHandover = receivedByShard(registryB);
                    // Like a load run, the producer keeps putting while worker-b reads the shards it took over.
                    Thread.sleep(PUT_AFTER_HANDOVER.toMillis());
                    producer.stop();
                    producerThread.join(30_000);
                    producer.check();
                    long expected = producer.acknowledgedCount();
                    awaitCondition(() -> "the lake to hold all " + expected + " acknowledged events, found "
                            + audit(sinkB), DRAIN_TIMEOUT, () -> {
                        failOn(a, b, producer);
                        return audit(sinkB).values().stream().mapToLong(TableCounts::distinctEventIds).sum() >= expected;
                    });
                    Map<String, Double> received = receivedByShard(registryB);
                    for (String shard : shardsOfA) {
                        assertTrue(received.getOrDefault(shard, 0.0) > receivedBeforeHandover.getOrDefault(shard, 0.0),
                                "worker-b read records of " + shard + ", taken over from worker-a, after the handover;"
                                        + " received " + received);
                    }
                } finally {
                    producer.stop();
                    a.close();
                    b.close();
                }
                assertEquals(Optional.empty(), b.failure(), "worker-b stopped cleanly");
                Map<EventFamily, TableCounts> tables = audit(sinkB);
                Map<EventFamily, Set<String>> acknowledged = producer.acknowledged();
                System.out.printf("LeaseHandoverIT: %d acknowledged events, %s, %d ms%n", producer.acknowledgedCount(),
                        tables.values().stream().map(t -> Path.of(t.tablePath()).getFileName() + ": rows=" + t.rows()
                                + " distinct=" + t.distinctEventIds() + " version=" + t.version()).toList(),
                        (System.nanoTime() - t0) / 1_000_000);
                for (EventFamily f : EventFamily.values()) {
                    TableCounts t = tables.get(f);
                    long acked = acknowledged.getOrDefault(f, Set.of()).size();
                    assertEquals(0, t.duplicateEventIds(), f.wireName() + ": rows with an event_id seen before");
                    assertEquals(acked, t.distinctEventIds(), f.wireName() + ": distinct event_ids = acknowledged events");
                    assertEquals(acked, t.rows(), f.wireName() + ": rows = acknowledged events");
                }
            } finally {
                if (producerThread != null) {
                    producerThread.join(30_000);
                }
            }
        }
    }

    private static void failOn(KinesisConsumer a, KinesisConsumer b, AcknowledgingProducer producer) {
        producer.check();
        assertFalse(a.failure().isPresent(), () -> "worker-a failed: " + a.failure().orElseThrow());
        assertFalse(b.failure().isPresent(), () -> "worker-b failed: " + b.failure().orElseThrow());
    }

    /** The owner of each shard's lease, as the lease table says; an unowned lease maps to "". */
    private static Map<String, String> owners(DynamoDbAsyncClient dynamo, String leaseTable) {
        Map<String, String> owners = new TreeMap<>();
        for (Map<String, AttributeValue> lease : dynamo.scan(b -> b.tableName(leaseTable)).join().items()) {
            String key = lease.get("leaseKey").s();
            if (key.startsWith("shardId-")) {
                AttributeValue owner = lease.get("leaseOwner");
                owners.put(key, owner == null ? "" : owner.s());
            }
        }
        return owners;
    }

    private static Set<String> shardsOf(Map<String, String> owners, String worker) {
        Set<String> shards = new TreeSet<>();
        owners.forEach((shard, owner) -> {
            if (owner.equals(worker)) {
                shards.add(shard);
            }
        });
        return shards;
    }

    private static Map<String, Double> receivedByShard(MeterRegistry registry) {
        Map<String, Double> received = new TreeMap<>();
        for (Counter c : registry.find("fleetbench.consumer.records.received").counters()) {
            received.put(c.getId().getTag("shard"), c.count());
        }
        return received;
    }

    private static Map<EventFamily, TableCounts> audit(DeltaLakeSink sink) {
        LakeCounts audit = new LakeCounts();
        Map<EventFamily, TableCounts> tables = new EnumMap<>(EventFamily.class);
        for (EventFamily f : EventFamily.values()) {
            tables.put(f, audit.audit(sink.tablePath(f)));
        }
        return tables;
    }

    private static double counterSum(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Polls an observable condition until it holds or the timeout passes; {@code what} is built only on failure. */
    private static void awaitCondition(Supplier<String> what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what.get());
            }
            Thread.sleep(200);
        }
    }
}
