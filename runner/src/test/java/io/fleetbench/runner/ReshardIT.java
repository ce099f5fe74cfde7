package io.fleetbench.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.consumer.ConsumerConfig;
import io.fleetbench.consumer.KinesisConsumer;
import io.fleetbench.report.RunReport;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.RunAudit;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.localstack.StreamEmulator;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.runner.pipeline.LakeLayout;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.simulator.Simulator;
import io.fleetbench.simulator.SimulatorConfig;
import io.fleetbench.simulator.SimulatorResult;
import io.fleetbench.simulator.SimulatorStats;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

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
import java.util.HashMap;
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
 * Splits a shard and then merges its two children again while the simulator keeps putting, with KPL
 * aggregation on, and the KCL consumer keeps reading; then judges the lake with the exact audit
 * against the run's acknowledgement manifest (every acknowledged event in the lake, none twice at one
 * stream position, nothing unexpected, the producer's accounts balanced), and checks that in every
 * table a parent's last commit comes before its child's first.
 *
 * <p>The split strands aggregates: those put after the split but built for the parent hold keys of
 * both children and land in one of them, where a KCL that knows the child's hash-key range drops them
 * whole. The producer learns of the split from the shard ids in the PutRecords answers, lists the
 * shards again and sends their events again by child ({@code events_reaggregated}). After the merge,
 * aggregates built for a child land in the merged shard, whose range holds them. Whether the
 * consumer's KCL drops the stranded aggregates depends on its shard cache (a shard it cannot find yet
 * is de-aggregated without a range), so the test also reads the whole stream with the KCL's
 * de-aggregator and each shard's range: every acknowledged event exactly once, the dropped events
 * exactly those sent again. In the lake, an event whose stranded copy the consumer did read is there
 * twice, a producer re-send the manifest explains.
 *
 * <p>Runs against kinesis-local (kinesis-mock), not kinesalite: kinesalite 3.3.3 splits and merges
 * shards, but its GetRecords ends a closed shard without {@code ChildShards}, which KCL 3.x takes for
 * an invalid response and retries for ever, so a parent never ends and its children never start.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReshardIT {
    private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    /** Commits (flushes) of a shard before it is split or merged, so that it has a history in every table. */
    private static final int COMMITS_BEFORE_RESHARD = 3;
    /** kinesis-local slows down as its shards fill: a few hundred events/s, in aggregates of about 50. */
    private static final double EVENTS_PER_SECOND = 300;
    private static final Duration LINGER = Duration.ofMillis(300);
    private static final String PARENT = "shardId-000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path runDir;

    @Test
    void aggregatedEventsFollowASplitAndAMergeAndTheAuditOfTheLakeIsExact() throws Exception {
        long t0 = System.nanoTime();
        StackConfig defaults = StackConfig.defaults();
        StackConfig stackConfig = new StackConfig(StreamEmulator.KINESIS_LOCAL, ThrottledProducerIT.freePort(),
                ThrottledProducerIT.freePort(), ThrottledProducerIT.freePort(), defaults.shardLimit(),
                defaults.startTimeout(), defaults.stopGrace(), defaults.bindAddress());
        String stream = "reshard-it";
        Path lake = runDir.resolve("lake");
        Path manifest = runDir.resolve("acks.manifest");
        LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(lake.toString()).withApplicationId(stream)
                .withBufferLimits(Duration.ofMillis(500), LakeSinkConfig.DEFAULT_MAX_BUFFERED_BYTES);
        // Runs until stopped once the merged shard is read; the duration only bounds a run that is never stopped.
        SimulatorConfig simConfig = SimulatorConfig.defaults(stream)
                .withFleet(FleetConfig.defaults().withSeed(23).withDevices(200, 100))
                .withTargetEventsPerSecond(EVENTS_PER_SECOND)
                .withDuration(Duration.ofMinutes(8))
                .withAggregation(true)
                .withLinger(LINGER)
                .withManifest(manifest);
        Vertx vertx = Vertx.vertx();
        try (LocalStack stack = LocalStack.start(stackConfig, ProjectHome.locate(), runDir.resolve("stack"), System.out);
             KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 8)) {
            ThrottledProducerIT.createStream(kinesis, stream, 2);
            MeterRegistry registry = new SimpleMeterRegistry();
            SimulatorResult result;
            List<String> children;
            String merged;
            try (DeltaLakeSink sink = new DeltaLakeSink(sinkConfig, registry, Clock.systemUTC())) {
                sink.createTables();
                KinesisConsumer consumer = new KinesisConsumer(
                        ConsumerConfig.local(stream, stream, stack.kinesisEndpoint(), stack.dynamoEndpoint()), sink,
                        registry);
                Simulator simulator = new Simulator(vertx, kinesis, simConfig, registry);
                Future<SimulatorResult> run = null;
                try {
                    consumer.start();
                    assertTrue(consumer.awaitFirstLease(LEASE_TIMEOUT), "no lease within " + LEASE_TIMEOUT);
                    run = simulator.start();
                    Future<SimulatorResult> running = run;
                    Runnable healthy = () -> failOn(consumer, running);
                    awaitCommits(List.of(PARENT), registry, consumer, healthy);

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
                    awaitCommits(children, registry, consumer, healthy);

                    kinesis.mergeShards(b -> b.streamName(stream).shardToMerge(children.get(0))
                            .adjacentShardToMerge(children.get(1))).join();
                    awaitActive(kinesis, stream);
                    merged = shards(kinesis, stream).stream()
                            .filter(s -> children.contains(s.parentShardId())
                                    && children.contains(s.adjacentParentShardId()))
                            .map(Shard::shardId).findFirst()
                            .orElseThrow(() -> new AssertionError("no shard merged from " + children + ": "
                                    + shards(kinesis, stream)));
                    System.out.printf("ReshardIT: %s split into %s, merged into %s, %d ms after the start%n", PARENT,
                            children, merged, (System.nanoTime() - t0) / 1_000_000);
                    // The producer keeps putting to the merged shard until the consumer has committed from it.
                    awaitCommits(List.of(merged), registry, consumer, healthy);
                    result = simulator.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                    long expected = result.stats().acknowledged();
                    awaitCondition(() -> "the lake to hold all " + expected + " acknowledged events, found "
                            + counts(sink), DRAIN_TIMEOUT, () -> {
                        assertFalse(consumer.failure().isPresent(),
                                () -> "the consumer failed: " + consumer.failure().orElseThrow());
                        return counts(sink).values().stream().mapToLong(TableCounts::distinctEventIds).sum()
                                >= expected;
                    });
                } finally {
                    if (run != null && !run.isComplete()) {
                        simulator.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                    }
                    consumer.close();
                }
                assertEquals(Optional.empty(), consumer.failure());
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

            SimulatorStats s = result.stats();
            KclReading reading = readWithRanges(kinesis, stream);
            System.out.printf("ReshardIT: the stream read as the KCL reads a shard it knows: %d events, %d read more"
                            + " than once, %d dropped with their aggregates%n", reading.events().size(),
                    reading.events().values().stream().filter(n -> n > 1).count(), reading.dropped());
            assertEquals(s.reaggregated(), reading.dropped(), "a KCL consumer that knows each shard's range drops"
                    + " the aggregates that landed across the split, and only their events were sent again");
            assertEquals(s.acknowledged(), reading.events().size(), "every acknowledged event read");
            assertTrue(reading.events().values().stream().allMatch(n -> n == 1), "every event read once");
            Map<String, Long> userRecords = new TreeMap<>();
            result.shardLoad().shards().forEach(l -> userRecords.put(l.shardId(), l.userRecords()));
            RunReport.Audit audit = RunAudit.judge(new RunAudit.Inputs(new LakeLayout(lake.toString()),
                    List.of(manifest), EventSchema.CURRENT_VERSION, null, Map.of(), LoadReport.unbalanced(s)),
                    RunAudit.Progress.NONE).audit();
            System.out.printf("ReshardIT: %s%nReshardIT: events put by predicted shard %s; audit: passed=%s"
                            + " acknowledged=%d rows=%d distinct=%d lost=%d duplicated=%d producer re-sends=%d %s;"
                            + " %d ms%n", s, userRecords, audit.passed(), audit.acknowledged(), audit.rowsInLake(),
                    audit.distinctEvents(), audit.lost(), audit.duplicated(), audit.producerResends(),
                    audit.resendsByCause(), (System.nanoTime() - t0) / 1_000_000);
            assertTrue(audit.passed(), "the audit failed: " + audit.problems());
            assertTrue(audit.manifestComplete(), "the manifest was written after the drain");
            assertEquals(s.acknowledged(), audit.acknowledged());
            assertEquals(0, audit.lost(), "acknowledged events not in the lake");
            assertEquals(0, audit.duplicated(), "events at one stream position more than once");
            assertEquals(0, s.failed() + s.ambiguous(), s.toString());
            assertTrue(s.reaggregated() > 0, "the split stranded no aggregate, so the test proves nothing: " + s);
            assertTrue(audit.producerResends() <= s.reaggregated(), "only events sent again can be in the lake twice");
            assertTrue(Set.of("reaggregated_after_reshard").containsAll(audit.resendsByCause().keySet()),
                    "events in the lake twice are those sent again after the split: " + audit.resendsByCause());
            for (String shard : List.of(PARENT, children.get(0), children.get(1), merged)) {
                assertTrue(userRecords.getOrDefault(shard, 0L) > 0, "events were put to " + shard + ": " + userRecords);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * What a KCL consumer that knows every shard's hash-key range reads of the stream.
     *
     * @param events  how many times it reads each event id
     * @param dropped user records it drops with their aggregates
     */
    private record KclReading(Map<String, Integer> events, long dropped) {
    }

    /**
     * Reads every shard of the stream from its start, closed ones too, and de-aggregates its records with the KCL's
     * own {@code AggregatorUtil}, restricted to the shard's hash-key range as the KCL does when its shard cache knows
     * the shard: an aggregate with a user record outside the range is dropped whole. (The consumer's KCL may not
     * know a new shard yet, and then de-aggregates without the range.)
     */
    private static KclReading readWithRanges(KinesisAsyncClient kinesis, String stream) throws InvalidEventException {
        AggregatorUtil kcl = new AggregatorUtil();
        JsonCodec codec = new JsonCodec();
        Map<String, Integer> events = new HashMap<>();
        long dropped = 0;
        for (Shard shard : shards(kinesis, stream)) {
            List<Record> raw = new ArrayList<>();
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
            while (iterator != null) {
                String it = iterator;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000)).join();
                raw.addAll(r.records());
                // An open shard is read up to its end; a closed one ends with no next iterator.
                iterator = r.records().isEmpty() ? null : r.nextShardIterator();
            }
            long all = kcl.deaggregate(raw.stream().map(KinesisClientRecord::fromRecord).toList()).size();
            List<KinesisClientRecord> inRange = kcl.deaggregate(raw.stream().map(KinesisClientRecord::fromRecord)
                    .toList(), new BigInteger(shard.hashKeyRange().startingHashKey()),
                    new BigInteger(shard.hashKeyRange().endingHashKey()));
            dropped += all - inRange.size();
            for (KinesisClientRecord u : inRange) {
                byte[] data = new byte[u.data().remaining()];
                u.data().get(data);
                events.merge(codec.decode(data).eventId(), 1, Integer::sum);
            }
        }
        return new KclReading(events, dropped);
    }

    /** Waits until the consumer has taken over each shard and committed for it {@value #COMMITS_BEFORE_RESHARD} times. */
    private static void awaitCommits(List<String> shards, MeterRegistry registry, KinesisConsumer consumer,
                                     Runnable healthy) throws InterruptedException {
        awaitCondition(() -> COMMITS_BEFORE_RESHARD + " commits of each of " + shards + "; leased "
                + consumer.leasedShards(), LEASE_TIMEOUT, () -> {
            healthy.run();
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

    /** Fails the test if the consumer failed, or the simulator failed or ended before it was stopped. */
    private static void failOn(KinesisConsumer consumer, Future<SimulatorResult> simulator) {
        if (simulator.failed()) {
            throw new AssertionError("the simulator failed: " + simulator.cause(), simulator.cause());
        }
        assertFalse(simulator.succeeded(), "the simulator ended before the test stopped it");
        assertFalse(consumer.failure().isPresent(), () -> "the consumer failed: " + consumer.failure().orElseThrow());
    }

    private static Map<EventFamily, TableCounts> counts(DeltaLakeSink sink) {
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
