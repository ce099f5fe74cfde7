package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.manifest.AckLedger;
import io.fleetbench.telemetry.manifest.Outcome;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer follows resharding: the stream double is split or merged between requests, and what a KCL
 * consumer would read of the stream (each record de-aggregated with the hash-key range of the shard it landed
 * in) must be every event exactly once.
 */
class KinesisProducerReshardTest {
    private static final BigInteger MIDDLE = ShardMap.MAX_HASH_KEY.shiftRight(1);
    /** One shard, {@code shardId-000000000000}, over the whole hash-key space. */
    private static final ShardMap ONE = ShardMap.even(1);
    /** That shard split in the middle, its children named as Kinesis names them. */
    private static final ShardMap SPLIT = ShardMap.of(List.of(
            new ShardMap.Shard("shardId-000000000001", BigInteger.ZERO, MIDDLE),
            new ShardMap.Shard("shardId-000000000002", MIDDLE.add(BigInteger.ONE), ShardMap.MAX_HASH_KEY)));
    /** Two shards ({@link ShardMap#even}) merged into one. */
    private static final ShardMap MERGED = ShardMap.of(List.of(
            new ShardMap.Shard("shardId-000000000002", BigInteger.ZERO, ShardMap.MAX_HASH_KEY)));
    /** The children of {@link #SPLIT} merged again. */
    private static final ShardMap SPLIT_MERGED = ShardMap.of(List.of(
            new ShardMap.Shard("shardId-000000000003", BigInteger.ZERO, ShardMap.MAX_HASH_KEY)));
    private static final int CARS = 40;

    private final ManualExecutor executor = new ManualExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private KinesisProducer producer(FakeKinesis kinesis, ProducerConfig config, ShardMap shards, AckLedger ledger) {
        return new KinesisProducer(kinesis.withShards(shards), config, shards, executor, executor::now, registry,
                ledger);
    }

    private static ProducerConfig aggregating() {
        return ProducerConfig.defaults("test-stream").withMaxInFlightRequests(4).withAggregation(true);
    }

    /** Sends sequence numbers {@code from} to {@code to} of every car, each with a payload naming the event. */
    private void send(KinesisProducer p, int from, int to) {
        for (int seq = from; seq <= to; seq++) {
            for (int car = 0; car < CARS; car++) {
                p.send(Fleet.deviceId(true, car), payload(car, seq), executor.now(), EventIds.key(true, car, seq));
            }
        }
    }

    private static byte[] payload(int car, int seq) {
        return ("{\"car\":" + car + ",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertBalanced(ProducerCounters c) {
        assertEquals(c.sent(), c.acknowledged() + c.failed() + c.ambiguous() + c.inFlight(), c.toString());
    }

    /** Every car's events {@code 1} to {@code last} acknowledged, each once, and nothing else recorded. */
    private static void assertAcknowledgedOnce(AckLedger ledger, int last) {
        for (int car = 0; car < CARS; car++) {
            assertEquals("1-" + last, ledger.runs(car, Outcome.ACKNOWLEDGED).toString(), ledger.deviceId(car));
        }
        Map<Outcome, Long> counts = ledger.counts();
        assertEquals((long) CARS * last, counts.get(Outcome.ACKNOWLEDGED), "each event acknowledged once: " + counts);
        assertEquals(0L, counts.get(Outcome.AMBIGUOUS) + counts.get(Outcome.FAILED)
                + counts.get(Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS), counts.toString());
    }

    /**
     * What a KCL consumer reads of the stream: a plain record as itself, an aggregate de-aggregated with the range
     * of the shard it landed in, and dropped whole at its first user record outside that range, as the KCL's
     * {@code AggregatorUtil.deaggregate} does (3.5.1).
     *
     * @param events            how many times each payload was read
     * @param droppedAggregates aggregates dropped
     * @param droppedEvents     user records in them
     */
    private record KclRead(Map<String, Integer> events, int droppedAggregates, int droppedEvents) {
        /** Whether every event of cars 0 to {@link #CARS} with sequence numbers 1 to {@code last} was read once. */
        boolean exactlyOnce(int last) {
            return events.size() == CARS * last && events.values().stream().allMatch(n -> n == 1);
        }

        @Override
        public String toString() {
            return events.size() + " distinct events read, " + events.values().stream().filter(n -> n > 1).count()
                    + " of them more than once; " + droppedAggregates + " aggregates of " + droppedEvents
                    + " events dropped";
        }
    }

    private static KclRead kclRead(FakeKinesis kinesis, ShardMap... maps) throws NoSuchAlgorithmException {
        Map<String, ShardMap.Shard> shards = new HashMap<>();
        for (ShardMap m : maps) {
            m.shards().forEach(s -> shards.put(s.shardId(), s));
        }
        Map<String, Integer> events = new HashMap<>();
        int droppedAggregates = 0;
        int droppedEvents = 0;
        for (FakeKinesis.Landing l : kinesis.landings) {
            ShardMap.Shard shard = shards.get(l.shardId());
            if (!AggregatedRecords.isAggregated(l.data())) {
                events.merge(new String(l.data(), StandardCharsets.UTF_8), 1, Integer::sum);
                continue;
            }
            List<AggregatedRecords.UserRecord> users = AggregatedRecords.decode(l.data());
            if (users.stream().allMatch(u -> shard.covers(ShardMap.hashKey(u.partitionKey())))) {
                users.forEach(u -> events.merge(new String(u.data(), StandardCharsets.UTF_8), 1, Integer::sum));
            } else {
                droppedAggregates++;
                droppedEvents += users.size();
            }
        }
        return new KclRead(events, droppedAggregates, droppedEvents);
    }

    /** Whether every user record of a Kinesis record hashes into one shard of the map. */
    private static boolean withinOneShard(PutRecordsRequestEntry e, ShardMap map) throws NoSuchAlgorithmException {
        byte[] data = e.data().asByteArrayUnsafe();
        if (!AggregatedRecords.isAggregated(data)) {
            return true;
        }
        int shard = map.shardOf(e.partitionKey());
        return AggregatedRecords.decode(data).stream().allMatch(u -> map.shardOf(u.partitionKey()) == shard);
    }

    private double reaggregatedMeter() {
        return registry.get(SimulatorMeters.EVENTS_REAGGREGATED).counter().count();
    }

    @Test
    void anAggregatePutBeforeTheProducerKnewOfASplitIsSentAgainByTheChildrenSoThatTheKclReadsEveryEventOnce()
            throws Exception {
        FakeKinesis kinesis = new FakeKinesis();
        AckLedger ledger = new AckLedger(CARS, 0);
        KinesisProducer p = producer(kinesis, aggregating(), ONE, ledger);
        send(p, 1, 5);
        kinesis.reshard(SPLIT);
        assertTrue(p.drain().isDone());

        KclRead read = kclRead(kinesis, ONE, SPLIT);
        assertEquals(1, read.droppedAggregates(), "the aggregate of the parent lands in one child with keys of both");
        assertEquals(CARS * 5, read.droppedEvents());
        assertTrue(read.exactlyOnce(5), "every event read once: " + read);
        assertEquals(1, kinesis.listShardsCalls(), "the answer naming an unknown shard makes the producer list them");
        ProducerCounters c = p.counters();
        assertEquals(CARS * 5, c.sent());
        assertEquals(CARS * 5, c.acknowledged());
        assertEquals(CARS * 5, c.reaggregated());
        assertEquals(0, c.inFlight());
        assertBalanced(c);
        assertEquals(CARS * 5, reaggregatedMeter());
        assertAcknowledgedOnce(ledger, 5);
        for (int car = 0; car < CARS; car++) {
            assertEquals("1-5", ledger.runs(car, Outcome.REAGGREGATED).toString(), "marked as sent again");
        }
        for (PutRecordsRequestEntry e : kinesis.requests.get(1).records()) {
            assertTrue(withinOneShard(e, SPLIT), "the events sent again are aggregated by child");
        }

        // From now on the producer routes by the children: no more listings, nothing dropped.
        send(p, 6, 10);
        assertTrue(p.drain().isDone());
        read = kclRead(kinesis, ONE, SPLIT);
        assertTrue(read.exactlyOnce(10), read.toString());
        assertEquals(1, read.droppedAggregates());
        assertEquals(1, kinesis.listShardsCalls());
        assertEquals(CARS * 5, p.counters().reaggregated());
        assertAcknowledgedOnce(ledger, 10);
        ShardLoadReport load = p.shardLoad();
        assertEquals(List.of("shardId-000000000000", "shardId-000000000001", "shardId-000000000002"),
                load.shards().stream().map(ShardLoadReport.ShardLoad::shardId).toList(),
                "the closed parent keeps its load, the children are added");
        assertEquals(CARS * 5, load.shards().get(0).userRecords());
        assertEquals(CARS * 10, load.shards().get(1).userRecords() + load.shards().get(2).userRecords(),
                "the events sent again are load on the children too");
    }

    @Test
    void openAggregatesAreRebuiltByTheNewShardsAndOnlyTheAggregateAlreadyPutIsSentAgain() throws Exception {
        FakeKinesis kinesis = new FakeKinesis().holding();
        AckLedger ledger = new AckLedger(CARS, 0);
        KinesisProducer p = producer(kinesis, aggregating().withLinger(Duration.ofMillis(20)), ONE, ledger);
        send(p, 1, 3);
        kinesis.reshard(SPLIT);
        executor.clock.addAndGet(Duration.ofMillis(20).toNanos());
        p.flushIfLingered();
        assertEquals(1, kinesis.requests.size(), "the first aggregate is on the wire, to the stream resharded");
        send(p, 4, 6);

        kinesis.pending.get(0).complete(FakeKinesis.response(1, i -> null));
        ProducerCounters mid = p.counters();
        assertEquals(0, mid.acknowledged(), "the aggregate landed across the split: its events are not acknowledged");
        assertEquals(CARS * 3, mid.reaggregated());
        assertEquals(CARS * 6, mid.inFlight());
        assertBalanced(mid);

        CompletableFuture<Void> drained = p.drain();
        assertEquals(2, kinesis.requests.size());
        List<PutRecordsRequestEntry> second = kinesis.requests.get(1).records();
        assertEquals(4, second.size(), "the open aggregate and the one sent again, each split in two by child");
        for (PutRecordsRequestEntry e : second) {
            assertTrue(withinOneShard(e, SPLIT), "no aggregate spans two children");
        }
        kinesis.pending.get(1).complete(FakeKinesis.response(second.size(), i -> null));
        assertTrue(drained.isDone());

        KclRead read = kclRead(kinesis, ONE, SPLIT);
        assertEquals(1, read.droppedAggregates());
        assertTrue(read.exactlyOnce(6), read.toString());
        ProducerCounters c = p.counters();
        assertEquals(CARS * 6, c.acknowledged());
        assertEquals(CARS * 3, c.reaggregated(), "the open aggregate was rebuilt before it went out, not sent again");
        assertBalanced(c);
        assertAcknowledgedOnce(ledger, 6);
        assertEquals((long) CARS * 3, ledger.counts().get(Outcome.REAGGREGATED));
        assertEquals("1-3", ledger.runs(0, Outcome.REAGGREGATED).toString());
        assertEquals(1, kinesis.listShardsCalls());
    }

    @Test
    void aggregatesThatLandInTheShardMergedFromTheirsAreAcknowledgedAsTheyAre() throws Exception {
        FakeKinesis kinesis = new FakeKinesis();
        AckLedger ledger = new AckLedger(CARS, 0);
        KinesisProducer p = producer(kinesis, aggregating(), ShardMap.even(2), ledger);
        send(p, 1, 5);
        kinesis.reshard(MERGED);
        assertTrue(p.drain().isDone());

        assertEquals(1, kinesis.requests.size());
        assertEquals(2, kinesis.requests.get(0).records().size(), "one aggregate per shard of the old map");
        KclRead read = kclRead(kinesis, ShardMap.even(2), MERGED);
        assertEquals(0, read.droppedAggregates(), "the merged shard's range holds both parents' keys");
        assertTrue(read.exactlyOnce(5), read.toString());
        assertEquals(1, kinesis.listShardsCalls(), "the first answer names the merged shard, then the map knows it");
        assertEquals(0, p.counters().reaggregated());
        assertEquals(0.0, reaggregatedMeter());
        assertAcknowledgedOnce(ledger, 5);

        send(p, 6, 10);
        assertTrue(p.drain().isDone());
        assertEquals(1, kinesis.requests.get(1).records().size(), "one aggregate for the one open shard");
        assertTrue(kclRead(kinesis, ShardMap.even(2), MERGED).exactlyOnce(10));
        assertEquals(1, kinesis.listShardsCalls());
        assertAcknowledgedOnce(ledger, 10);
        assertBalanced(p.counters());
    }

    @Test
    void aSplitThenAMergeOfTheChildrenLoseNothing() throws Exception {
        FakeKinesis kinesis = new FakeKinesis();
        AckLedger ledger = new AckLedger(CARS, 0);
        KinesisProducer p = producer(kinesis, aggregating(), ONE, ledger);
        send(p, 1, 5);
        assertTrue(p.drain().isDone());
        send(p, 6, 10);
        kinesis.reshard(SPLIT);
        assertTrue(p.drain().isDone());
        send(p, 11, 15);
        kinesis.reshard(SPLIT_MERGED);
        assertTrue(p.drain().isDone());
        send(p, 16, 20);
        assertTrue(p.drain().isDone());

        KclRead read = kclRead(kinesis, ONE, SPLIT, SPLIT_MERGED);
        assertTrue(read.exactlyOnce(20), read.toString());
        assertEquals(1, read.droppedAggregates(), "only the split strands an aggregate");
        assertEquals(2, kinesis.listShardsCalls(), "one listing per reshard");
        ProducerCounters c = p.counters();
        assertEquals(CARS * 20, c.acknowledged());
        assertEquals(CARS * 5, c.reaggregated());
        assertBalanced(c);
        assertAcknowledgedOnce(ledger, 20);
        ShardLoadReport load = p.shardLoad();
        assertEquals(List.of("shardId-000000000000", "shardId-000000000001", "shardId-000000000002",
                "shardId-000000000003"), load.shards().stream().map(ShardLoadReport.ShardLoad::shardId).toList());
        assertEquals(CARS * 5, load.shards().get(3).userRecords(), "the events sent after the merge");
    }

    @Test
    void aggregatesWaitForTheListingOfTheShardTheyLandedInWhileItFails() throws Exception {
        FakeKinesis kinesis = new FakeKinesis();
        AckLedger ledger = new AckLedger(CARS, 0);
        KinesisProducer p = producer(kinesis, aggregating(), ONE, ledger);
        send(p, 1, 2);
        kinesis.reshard(SPLIT).failingListings(1);
        CompletableFuture<Void> drained = p.drain();
        assertFalse(drained.isDone(), "the aggregate cannot be judged before the shards are listed");
        ProducerCounters mid = p.counters();
        assertEquals(CARS * 2, mid.inFlight());
        assertEquals(0, mid.acknowledged());
        assertBalanced(mid);
        assertTrue(executor.hasScheduled(), "the listing is tried again");

        executor.runNextScheduled();
        assertTrue(drained.isDone());
        assertEquals(2, kinesis.listShardsCalls());
        assertEquals(CARS * 2, p.counters().reaggregated());
        assertTrue(kclRead(kinesis, ONE, SPLIT).exactlyOnce(2));
        assertAcknowledgedOnce(ledger, 2);
    }

    @Test
    void aggregatesWhoseShardIsNeverListedWithinTheirTimeToLiveAreAmbiguous() {
        FakeKinesis kinesis = new FakeKinesis();
        AckLedger ledger = new AckLedger(CARS, 0);
        ProducerConfig config = aggregating().withRecordTtl(Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400));
        KinesisProducer p = producer(kinesis, config, ONE, ledger);
        long start = executor.now();
        send(p, 1, 1);
        kinesis.reshard(SPLIT).failingListings(Integer.MAX_VALUE);
        CompletableFuture<Void> drained = p.drain();
        while (executor.hasScheduled()) {
            assertBalanced(p.counters());
            executor.runNextScheduled();
        }
        assertTrue(drained.isDone());
        assertTrue(executor.now() - start <= Duration.ofSeconds(3).toNanos(), "given up on after the time-to-live");
        ProducerCounters c = p.counters();
        assertEquals(CARS, c.ambiguous(), "in the stream, but a KCL consumer may drop the aggregate: " + c);
        assertEquals(0, c.failed());
        assertEquals(0, c.acknowledged());
        assertBalanced(c);
        assertEquals((long) CARS, ledger.counts().get(Outcome.AMBIGUOUS));
        assertEquals(0L, ledger.counts().get(Outcome.ACKNOWLEDGED));
    }

    @Test
    void plainRecordsThatLandInANewShardAreAcknowledgedAndTheMapFollows() {
        FakeKinesis kinesis = new FakeKinesis();
        AckLedger ledger = new AckLedger(CARS, 0);
        KinesisProducer p = producer(kinesis, ProducerConfig.defaults("test-stream"), ONE, ledger);
        send(p, 1, 2);
        kinesis.reshard(SPLIT);
        assertTrue(p.drain().isDone());
        assertEquals(1, kinesis.listShardsCalls());
        send(p, 3, 4);
        assertTrue(p.drain().isDone());
        assertEquals(1, kinesis.listShardsCalls(), "the records predicted in the children land there");
        ProducerCounters c = p.counters();
        assertEquals(CARS * 4, c.acknowledged());
        assertEquals(0, c.reaggregated(), "a plain record is read wherever it lands");
        assertBalanced(c);
        assertAcknowledgedOnce(ledger, 4);
        ShardLoadReport load = p.shardLoad();
        assertEquals(CARS * 2, load.shards().get(0).records());
        assertEquals(CARS * 2, load.shards().get(1).records() + load.shards().get(2).records());
    }
}
