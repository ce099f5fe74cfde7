package io.fleetbench.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.consumer.ConsumerConfig;
import io.fleetbench.consumer.KinesisConsumer;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.localstack.StreamEmulator;
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
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Splits a shard and then merges its two children again while a producer keeps putting and the KCL
 * consumer keeps reading, then audits the lake with delta-kernel: every acknowledged event exactly
 * once, and in every table a parent's last commit comes before its child's first.
 *
 * <p>Runs against kinesis-local (kinesis-mock), not kinesalite: kinesalite 3.3.3 splits and merges
 * shards, but its GetRecords ends a closed shard without {@code ChildShards}, which KCL 3.x takes for
 * an invalid response and retries for ever, so a parent never ends and its children never start.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReshardIT {
    private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    /** How long the producer keeps putting once the last reshard is done. */
    private static final Duration PUT_AFTER_RESHARD = Duration.ofSeconds(4);
    /** Commits (flushes) of a shard before it is split or merged, so that it has a history in every table. */
    private static final int COMMITS_BEFORE_RESHARD = 3;
    private static final String PARENT = "shardId-000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path runDir;

    @Test
    void splitAndMergedShardsLandEveryEventOnceAndParentsCommitBeforeTheirChildren() throws Exception {
        long t0 = System.nanoTime();
        StackConfig defaults = StackConfig.defaults();
        StackConfig stackConfig = new StackConfig(StreamEmulator.KINESIS_LOCAL, ThrottledProducerIT.freePort(),
                ThrottledProducerIT.freePort(), ThrottledProducerIT.freePort(), defaults.shardLimit(),
                defaults.startTimeout(), defaults.stopGrace(), defaults.bindAddress());
        String stream = "reshard-it";
        Path lake = runDir.resolve("lake");
        LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(lake.toString()).withApplicationId(stream)
                .withBufferLimits(Duration.ofMillis(500), LakeSinkConfig.DEFAULT_MAX_BUFFERED_BYTES);
        try (LocalStack stack = LocalStack.start(stackConfig, ProjectHome.locate(), runDir.resolve("stack"), System.out);
             KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 8)) {
            ThrottledProducerIT.createStream(kinesis, stream, 2);
            MeterRegistry registry = new SimpleMeterRegistry();
            // kinesis-local slows down as its shards fill, so the producer asks for no more than 200 events/s.
            AcknowledgingProducer producer = new AcknowledgingProducer(kinesis, stream, 10, 100);
            Thread producerThread = null;
            List<String> children;
            String merged;
            try (DeltaLakeSink sink = new DeltaLakeSink(sinkConfig, registry, Clock.systemUTC())) {
                sink.createTables();
                KinesisConsumer consumer = new KinesisConsumer(
                        ConsumerConfig.local(stream, stream, stack.kinesisEndpoint(), stack.dynamoEndpoint()), sink,
                        registry);
                try {
                    consumer.start();
                    assertTrue(consumer.awaitFirstLease(LEASE_TIMEOUT), "no lease within " + LEASE_TIMEOUT);
                    producerThread = producer.start("reshard-it-producer");
                    awaitCommits(List.of(PARENT), registry, consumer, producer);

                    Shard parent = shard(kinesis, stream, PARENT);
                    BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
                    BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
                    String middle = start.add(end).shiftRight(1).toString();
                    kinesis.splitShard(b -> b.streamName(stream).shardToSplit(PARENT).newStartingHashKey(middle)).join();
                    awaitActive(kinesis, stream);
                    children = shards(kinesis, stream).stream().filter(s -> PARENT.equals(s.parentShardId()))
                            .map(Shard::shardId).sorted().toList();
                    assertEquals(2, children.size(), "children of " + PARENT + ": " + shards(kinesis, stream));
                    // The producer keeps putting by partition key, and the stream routes to the children now.
                    awaitCommits(children, registry, consumer, producer);

                    kinesis.mergeShards(b -> b.streamName(stream).shardToMerge(children.get(0))
                            .adjacentShardToMerge(children.get(1))).join();
                    awaitActive(kinesis, stream);
                    merged = shards(kinesis, stream).stream()
                            .filter(s -> children.contains(s.parentShardId())
                                    && children.contains(s.adjacentParentShardId()))
                            .map(Shard::shardId).findFirst()
                            .orElseThrow(() -> new AssertionError("no shard merged from " + children + ": "
                                    + shards(kinesis, stream)));
                    awaitCondition(() -> "the consumer to take over " + merged + "; leased " + consumer.leasedShards(),
                            LEASE_TIMEOUT, () -> {
                                failOn(consumer, producer);
                                return consumer.leasedShards().contains(merged);
                            });
                    System.out.printf("ReshardIT: %s split into %s, merged into %s, %d ms after the start%n", PARENT,
                            children, merged, (System.nanoTime() - t0) / 1_000_000);
                    Thread.sleep(PUT_AFTER_RESHARD.toMillis());
                    producer.stop();
                    producerThread.join(30_000);
                    producer.check();
                    long expected = producer.acknowledgedCount();
                    awaitCondition(() -> "the lake to hold all " + expected + " acknowledged events, found "
                            + audit(sink), DRAIN_TIMEOUT, () -> {
                        failOn(consumer, producer);
                        return audit(sink).values().stream().mapToLong(TableCounts::distinctEventIds).sum() >= expected;
                    });
                } finally {
                    producer.stop();
                    consumer.close();
                    if (producerThread != null) {
                        producerThread.join(30_000);
                    }
                }
                assertEquals(Optional.empty(), consumer.failure());
                Map<String, Long> byShard = producer.acknowledgedByShard();
                for (String shard : List.of(PARENT, children.get(0), children.get(1), merged)) {
                    assertTrue(byShard.getOrDefault(shard, 0L) > 0, "records were put to " + shard + ": " + byShard);
                }
                Map<EventFamily, TableCounts> tables = audit(sink);
                System.out.printf("ReshardIT: %d acknowledged events by shard %s, %s, %d ms%n",
                        producer.acknowledgedCount(), byShard, tables.values().stream()
                                .map(t -> Path.of(t.tablePath()).getFileName() + ": rows=" + t.rows() + " distinct="
                                        + t.distinctEventIds() + " version=" + t.version()).toList(),
                        (System.nanoTime() - t0) / 1_000_000);
                Map<EventFamily, Set<String>> acknowledged = producer.acknowledged();
                for (EventFamily f : EventFamily.values()) {
                    TableCounts t = tables.get(f);
                    long acked = acknowledged.getOrDefault(f, Set.of()).size();
                    assertEquals(0, t.duplicateEventIds(), f.wireName() + ": rows with an event_id seen before");
                    assertEquals(acked, t.distinctEventIds(), f.wireName() + ": distinct event_ids = acknowledged events");
                    assertEquals(acked, t.rows(), f.wireName() + ": rows = acknowledged events");
                }
                for (EventFamily f : List.of(EventFamily.CAR_TELEMETRY, EventFamily.BIKE_METRICS)) {
                    Path table = lake.resolve(f.wireName());
                    Map<String, List<Long>> commits = commitsBySource(table, stream);
                    System.out.printf("ReshardIT: %s: versions of the commits of each shard %s%n", f.wireName(), commits);
                    assertParentCommitsFirst(table, commits, PARENT, children.get(0));
                    assertParentCommitsFirst(table, commits, PARENT, children.get(1));
                    assertParentCommitsFirst(table, commits, children.get(0), merged);
                    assertParentCommitsFirst(table, commits, children.get(1), merged);
                }
            }
        }
    }

    /** Waits until the consumer has taken over each shard and committed for it {@value #COMMITS_BEFORE_RESHARD} times. */
    private static void awaitCommits(List<String> shards, MeterRegistry registry, KinesisConsumer consumer,
                                     AcknowledgingProducer producer) throws InterruptedException {
        awaitCondition(() -> COMMITS_BEFORE_RESHARD + " commits of each of " + shards + "; leased "
                + consumer.leasedShards(), LEASE_TIMEOUT, () -> {
            failOn(consumer, producer);
            return shards.stream().allMatch(shard -> {
                Counter flushes = registry.find("fleetbench.consumer.flushes").tag("shard", shard).counter();
                return flushes != null && flushes.count() >= COMMITS_BEFORE_RESHARD;
            });
        });
    }

    private static void assertParentCommitsFirst(Path table, Map<String, List<Long>> commits, String parent,
                                                 String child) {
        List<Long> parentCommits = commits.getOrDefault(parent, List.of());
        List<Long> childCommits = commits.getOrDefault(child, List.of());
        assertFalse(parentCommits.isEmpty(), table.getFileName() + ": no commit of " + parent + "; " + commits);
        assertFalse(childCommits.isEmpty(), table.getFileName() + ": no commit of " + child + "; " + commits);
        long parentLast = parentCommits.get(parentCommits.size() - 1);
        assertTrue(parentLast < childCommits.get(0), table.getFileName() + ": the last commit of " + parent
                + " (version " + parentLast + ") must come before the first of its child " + child + " (version "
                + childCommits.get(0) + ")");
    }

    /**
     * Reads a table's Delta log, its commit files in version order, and lists for each shard the versions
     * of the commits whose {@code txn} action names the shard ({@code <application>-<shard id>}).
     */
    private static Map<String, List<Long>> commitsBySource(Path table, String application) {
        Set<Path> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(table.resolve("_delta_log"))) {
            list.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("listing the log of " + table, e);
        }
        Map<String, List<Long>> bySource = new TreeMap<>();
        String prefix = application + "-";
        for (Path file : files) {
            long version = Long.parseLong(file.getFileName().toString().substring(0, 20));
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode txn = JSON.readTree(line).get("txn");
                    if (txn != null) {
                        String appId = txn.get("appId").asText();
                        assertTrue(appId.startsWith(prefix), file + ": txn appId " + appId + " of another application");
                        bySource.computeIfAbsent(appId.substring(prefix.length()), s -> new ArrayList<>()).add(version);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file, e);
            }
        }
        return bySource;
    }

    private static List<Shard> shards(KinesisAsyncClient kinesis, String stream) {
        return kinesis.listShards(b -> b.streamName(stream)).join().shards();
    }

    private static Shard shard(KinesisAsyncClient kinesis, String stream, String shardId) {
        return shards(kinesis, stream).stream().filter(s -> s.shardId().equals(shardId)).findFirst()
                .orElseThrow(() -> new AssertionError("no shard " + shardId + " in " + shards(kinesis, stream)));
    }

    private static void awaitActive(KinesisAsyncClient kinesis, String stream) throws InterruptedException {
        awaitCondition(() -> "stream " + stream + " to be ACTIVE again", LEASE_TIMEOUT,
                () -> kinesis.describeStreamSummary(b -> b.streamName(stream)).join()
                        .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }

    private static void failOn(KinesisConsumer consumer, AcknowledgingProducer producer) {
        producer.check();
        assertFalse(consumer.failure().isPresent(), () -> "the consumer failed: " + consumer.failure().orElseThrow());
    }

    private static Map<EventFamily, TableCounts> audit(DeltaLakeSink sink) {
        LakeCounts audit = new LakeCounts();
        Map<EventFamily, TableCounts> tables = new EnumMap<>(EventFamily.class);
        for (EventFamily f : EventFamily.values()) {
            tables.put(f, audit.audit(sink.tablePath(f)));
        }
        return tables;
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
