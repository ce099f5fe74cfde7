package io.fleetbench.lakesink;

import io.fleetbench.sink.PositionRegressionException;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourceTakenOverException;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.fleetbench.telemetry.EventFamily;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.fleetbench.lakesink.TestEvents.position;
import static io.fleetbench.lakesink.TestEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exactly-once bookkeeping against real Delta tables in a temporary directory. */
class DeltaLakeSinkTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LakeSinkConfig config;

    @BeforeEach
    void setUp() {
        config = LakeSinkConfig.defaults(dir.toString()).withBufferLimits(Duration.ofSeconds(5), 1 << 20);
    }

    private DeltaLakeSink sink() {
        return new DeltaLakeSink(config, registry, clock);
    }

    private Snapshot snapshot(EventFamily family) {
        return DeltaLog.forTable(new Configuration(), dir.resolve(family.wireName()).toString()).update();
    }

    private static void appendRange(ShardWriter w, int from, int to) {
        for (int i = from; i < to; i++) {
            assertTrue(w.append(record(i, 3)), "record " + i + " should be buffered");
        }
    }

    @Test
    void dropsRecordsAtOrBelowTheCommittedPosition() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            appendRange(w, 0, 10);
            assertEquals(Optional.of(position(9)), w.flush());
            assertFalse(w.append(record(8, 3)), "car at or below the committed car position");
            assertFalse(w.append(record(9, 3)), "bike at the committed bike position");
            assertTrue(w.append(record(10, 3)));
            assertEquals(Optional.empty(), sink.open("shard-2").flush());
        }
        assertEquals(2.0, registry.get("fleetbench.sink.records.dropped").tag("table", "car_telemetry").counter().count()
                + registry.get("fleetbench.sink.records.dropped").tag("table", "bike_metrics").counter().count());
        assertEquals(5.0, registry.get("fleetbench.sink.written.rows").tag("table", "car_telemetry").counter().count());
    }

    @Test
    void recordsHowLongAfterItsProductionEachRowBecameVisible() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            appendRange(w, 0, 10);
            clock.advance(Duration.ofSeconds(3));
            w.flush();
        }
        var freshness = registry.get("fleetbench.sink.freshness").tag("table", "car_telemetry").timer();
        assertEquals(5, freshness.count());
        // The oldest car (event 0) was produced at BASE_MILLIS + 5 and committed at the clock's time.
        long expectedMax = clock.millis() - (TestEvents.BASE_MILLIS + 5);
        assertEquals(expectedMax, freshness.max(java.util.concurrent.TimeUnit.MILLISECONDS), 0.5);
    }

    @Test
    void reopeningTheSinkRecoversEachTablesPosition() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            appendRange(w, 0, 20);
            w.flush();
            appendRange(w, 20, 31);
            w.flush();
        }
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            DeltaShardWriter writer = (DeltaShardWriter) w;
            // Claimed at version 0, two flushes, and claimed again by this writer.
            assertEquals(new TableProgress(3, Optional.of(position(30))), writer.progress(EventFamily.CAR_TELEMETRY));
            assertEquals(new TableProgress(3, Optional.of(position(29))), writer.progress(EventFamily.BIKE_METRICS));
            for (int i = 0; i < 30; i++) {
                assertFalse(w.append(record(i, 3)), "record " + i + " is already committed");
            }
            assertTrue(w.append(record(31, 3)), "the bike table holds bikes only up to 29");
            assertEquals(Optional.of(position(31)), w.flush());
            assertEquals(new TableProgress(4, Optional.of(position(31))), writer.progress(EventFamily.BIKE_METRICS));
        }
        try (DeltaLakeSink sink = sink(); ShardWriter other = sink.open("shard-2")) {
            assertEquals(new TableProgress(0, Optional.empty()), ((DeltaShardWriter) other).progress(EventFamily.CAR_TELEMETRY),
                    "claimed, with nothing committed");
        }
    }

    @Test
    void aStaleOwnerCannotCommitOnceANewOwnerClaimedTheSource() throws Exception {
        try (DeltaLakeSink first = sink(); DeltaLakeSink second = sink();
             ShardWriter old = first.open("shard-1")) {
            appendRange(old, 0, 10);
            old.flush();
            ShardWriter taker = second.open("shard-1");
            appendRange(old, 10, 20);
            long carVersion = snapshot(EventFamily.CAR_TELEMETRY).getVersion();
            SourceTakenOverException e = assertThrows(SourceTakenOverException.class, old::flush);
            assertTrue(e.getMessage().contains("fleetbench-shard-1"), e.getMessage());
            assertEquals(carVersion, snapshot(EventFamily.CAR_TELEMETRY).getVersion(), "nothing of the stale owner landed");
            assertThrows(IllegalStateException.class, () -> old.append(record(21, 3)), "the stale writer is closed");

            // The new owner reads from the KCL checkpoint, which is at or before the old owner's commit.
            for (int i = 0; i < 25; i++) {
                assertEquals(i >= 10, taker.append(record(i, 3)), "record " + i);
            }
            assertEquals(Optional.of(position(24)), taker.flush());

            DeltaShardWriter writer = (DeltaShardWriter) taker;
            // Claimed (0), flushed by the old owner (1), claimed by the new one (2), flushed (3).
            assertEquals(new TableProgress(3, Optional.of(position(24))), writer.progress(EventFamily.CAR_TELEMETRY));
            assertEquals(new TableProgress(3, Optional.of(position(23))), writer.progress(EventFamily.BIKE_METRICS));
            taker.close();
        }
        KernelReader reader = new KernelReader();
        assertEquals(eventIds(0, 25, 0), eventIds(reader, EventFamily.CAR_TELEMETRY), "every car exactly once");
        assertEquals(eventIds(0, 25, 1), eventIds(reader, EventFamily.BIKE_METRICS), "every bike exactly once");
        assertEquals(10.0, dropped(), "the new owner's records up to what the old owner committed");
        assertEquals(0.0, registry.get("fleetbench.sink.buffered").gauge().value());
        assertEquals(0.0, registry.get("fleetbench.sink.uncommitted").gauge().value());
        for (EventFamily f : List.of(EventFamily.CAR_TELEMETRY, EventFamily.BIKE_METRICS)) {
            assertEquals(snapshot(f).getAllFiles().size(), parquetFiles(f),
                    f + ": the stale owner's files were deleted, none left behind");
        }
    }

    @Test
    void aStaleOwnersCommitIsRefusedWhenTheClaimLandsBetweenItsCheckAndItsCommit() {
        try (DeltaLakeSink first = sink(); DeltaLakeSink second = sink();
             ShardWriter old = first.open("shard-1")) {
            appendRange(old, 0, 10);
            old.flush();
            appendRange(old, 10, 20);
            // The old owner checks its txn version from what it knows of the table; the claim lands after that.
            AtomicInteger claims = new AtomicInteger();
            List<ShardWriter> takers = new ArrayList<>();
            first.table(EventFamily.CAR_TELEMETRY).beforeCommit = () -> {
                if (claims.getAndIncrement() == 0) {
                    takers.add(second.open("shard-1"));
                }
            };
            assertThrows(SourceTakenOverException.class, old::flush);
            assertEquals(1, takers.size(), "the new owner claimed the source while the old one committed");
            // Claimed (0), flushed (1), claimed by the new owner (2); the old owner's second flush did not land.
            ShardWriter taker = takers.get(0);
            assertEquals(new TableProgress(2, Optional.of(position(8))),
                    ((DeltaShardWriter) taker).progress(EventFamily.CAR_TELEMETRY));
            for (int i = 0; i < 20; i++) {
                assertEquals(i >= 10, taker.append(record(i, 3)), "record " + i);
            }
            taker.flush();
            taker.close();
        }
        KernelReader reader = new KernelReader();
        assertEquals(eventIds(0, 20, 0), eventIds(reader, EventFamily.CAR_TELEMETRY), "every car exactly once");
        assertEquals(eventIds(0, 20, 1), eventIds(reader, EventFamily.BIKE_METRICS), "every bike exactly once");
    }

    @Test
    void openingClaimsTheSourceAgainWhileAnotherWriterCommitsForIt() {
        try (DeltaLakeSink first = sink(); DeltaLakeSink second = sink()) {
            AtomicInteger races = new AtomicInteger();
            first.table(EventFamily.CAR_TELEMETRY).beforeCommit = () -> {
                if (races.getAndIncrement() < 2) {
                    try (ShardWriter other = second.open("shard-1")) {
                        other.append(record(2 * races.get(), 1));
                        other.flush();
                    }
                }
            };
            try (ShardWriter w = first.open("shard-1")) {
                assertEquals(3, races.get(), "two claims lost to a racing writer, the third landed");
                // Each racer claimed (0, 2) and committed (1, 3); this writer's claim is version 4.
                assertEquals(new TableProgress(4, Optional.of(position(4))),
                        ((DeltaShardWriter) w).progress(EventFamily.CAR_TELEMETRY));
            }

            first.table(EventFamily.CAR_TELEMETRY).beforeCommit = () -> {
                try (ShardWriter other = second.open("shard-1")) {
                    other.append(record(100 + 2 * races.getAndIncrement(), 1));
                    other.flush();
                }
            };
            SourceTakenOverException e = assertThrows(SourceTakenOverException.class, () -> first.open("shard-1"));
            assertTrue(e.getMessage().contains("another writer"), e.getMessage());
        }
    }

    @Test
    void flushReturnsTheHighestPositionAcrossTablesWhenTheLastRecordIsACar() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            appendRange(w, 0, 11);
            assertEquals(Optional.of(position(10)), w.flush(), "car 10 is committed before bike 9");
        }
    }

    /**
     * Log cleanup deleted the commits before the first checkpoint ({@code firstKept} 10), or left some
     * below it that delta-standalone will not read any more ({@code firstKept} 5): either way a source
     * whose commit is gone gets a clear error, and one whose commit is kept resumes.
     */
    @ParameterizedTest(name = "commit files kept from version {0}")
    @ValueSource(ints = {10, 5})
    void progressIsFoundWithoutTheCommitFilesThatLogCleanupDeleted(int firstKept) throws Exception {
        String carTable;
        try (DeltaLakeSink sink = sink(); ShardWriter early = sink.open("shard-1"); ShardWriter late = sink.open("shard-2")) {
            carTable = sink.tablePath(EventFamily.CAR_TELEMETRY);
            early.append(record(0, 1));
            early.flush();
            for (int i = 1; i <= 12; i++) {
                late.append(record(2 * i, 1));
                late.flush();
            }
        }
        Path log = dir.resolve(EventFamily.CAR_TELEMETRY.wireName()).resolve("_delta_log");
        assertTrue(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", 10))), "delta checkpoints every 10 commits");
        for (int v = 0; v < firstKept; v++) {
            Files.delete(log.resolve(String.format("%020d.json", v)));
        }

        try (DeltaLakeSink sink = sink()) {
            try (ShardWriter late = sink.open("shard-2")) {
                // Claimed (0), twelve flushes, claimed again (13).
                assertEquals(new TableProgress(13, Optional.of(position(24))),
                        ((DeltaShardWriter) late).progress(EventFamily.CAR_TELEMETRY));
            }
            MissingProgressException e = assertThrows(MissingProgressException.class, () -> sink.open("shard-1"));
            assertTrue(e.getMessage().contains("table " + carTable + ":"), e.getMessage());
            assertTrue(e.getMessage().contains("fleetbench-shard-1 at txn version 1"), e.getMessage());
            assertTrue(e.getMessage().contains("versions 10-16"), e.getMessage());
        }
    }

    @Test
    void commitsOfOtherWritersWithAPositionInAnotherFormAreNotOurs() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            w.append(record(0, 1));
            w.flush();
        }
        DeltaLog log = DeltaLog.forTable(new Configuration(), dir.resolve(EventFamily.CAR_TELEMETRY.wireName()).toString());
        io.delta.standalone.OptimisticTransaction txn = log.startTransaction();
        txn.commit(List.of(), new io.delta.standalone.Operation(io.delta.standalone.Operation.Name.MANUAL_UPDATE,
                        java.util.Map.of(), java.util.Map.of(),
                        Optional.of("{\"appId\":\"fleetbench-shard-1\",\"txnVersion\":1,\"position\":\"offset-42\"}")),
                "another-writer");
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            assertEquals(new TableProgress(2, Optional.of(position(0))),
                    ((DeltaShardWriter) w).progress(EventFamily.CAR_TELEMETRY), "claimed again from the flush's position");
        }
    }

    private long parquetFiles(EventFamily family) throws java.io.UncheckedIOException {
        try (var files = Files.walk(dir.resolve(family.wireName()))) {
            return files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private double dropped() {
        return registry.get("fleetbench.sink.records.dropped").tag("table", "car_telemetry").counter().count()
                + registry.get("fleetbench.sink.records.dropped").tag("table", "bike_metrics").counter().count();
    }

    private static List<String> eventIds(int from, int to, int parity) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (i % 2 == parity) {
                ids.add("evt-" + i);
            }
        }
        ids.sort(null);
        return ids;
    }

    private List<String> eventIds(KernelReader reader, EventFamily family) {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> row : reader.rows(dir.resolve(family.wireName()).toString())) {
            ids.add((String) row.get("event_id"));
        }
        ids.sort(null);
        return ids;
    }

    @Test
    void positionsThatMoveBackwardsAreRefused() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            w.append(record(10, 3));
            PositionRegressionException e = assertThrows(PositionRegressionException.class,
                    () -> w.append(record(6, 3)));
            assertTrue(e.getMessage().contains("found " + position(6)), e.getMessage());
        }
    }

    @Test
    void aCommitThatThrowsAfterLandingIsNotRepeated() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            DeltaTable cars = sink.table(EventFamily.CAR_TELEMETRY);
            AtomicInteger failures = new AtomicInteger();
            cars.afterCommit = () -> {
                if (failures.getAndIncrement() == 0) {
                    throw new IllegalStateException("checkpoint failed after the commit");
                }
            };
            long before = snapshot(EventFamily.CAR_TELEMETRY).getVersion();
            w.append(record(0, 1));
            assertEquals(Optional.of(position(0)), w.flush());
            assertEquals(before + 1, snapshot(EventFamily.CAR_TELEMETRY).getVersion(), "exactly one commit landed");
            assertEquals(new TableProgress(1, Optional.of(position(0))),
                    ((DeltaShardWriter) w).progress(EventFamily.CAR_TELEMETRY));
        }
    }

    @Test
    void aCommitThatFailedBeforeLandingIsRetried() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            DeltaTable cars = sink.table(EventFamily.CAR_TELEMETRY);
            AtomicInteger failures = new AtomicInteger();
            cars.beforeCommit = () -> {
                if (failures.getAndIncrement() < DeltaShardWriter.MAX_COMMIT_ATTEMPTS - 1) {
                    throw new IllegalStateException("log store unavailable");
                }
            };
            long before = snapshot(EventFamily.CAR_TELEMETRY).getVersion();
            w.append(record(0, 1));
            assertEquals(Optional.of(position(0)), w.flush());
            assertEquals(before + 1, snapshot(EventFamily.CAR_TELEMETRY).getVersion());

            cars.beforeCommit = () -> {
                throw new IllegalStateException("log store down");
            };
            w.append(record(2, 1));
            assertThrows(IllegalStateException.class, w::flush);
            assertEquals(before + 1, snapshot(EventFamily.CAR_TELEMETRY).getVersion(), "nothing more landed");
            assertThrows(IllegalStateException.class, () -> w.append(record(4, 1)), "a writer whose commit failed is closed");
        }
    }

    @Test
    void aFlushIsDueAtTheLatencyLimit() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            assertFalse(w.flushDue());
            w.append(record(0, 1));
            clock.advance(Duration.ofMillis(4_999));
            assertFalse(w.flushDue());
            clock.advance(Duration.ofMillis(1));
            assertTrue(w.flushDue());
            w.flush();
            assertFalse(w.flushDue());

        }
    }

    @Test
    void everyWriterFlushesOnceTheWritersTogetherExhaustTheMemoryBudget() {
        try (DeltaLakeSink sink = sink(); ShardWriter big = sink.open("shard-1"); ShardWriter small = sink.open("shard-2")) {
            small.append(record(0, 1));
            assertFalse(small.flushDue());
            int i = 0;
            while (!big.flushDue()) {
                assertTrue(i < 500_000, "the budget of " + config.maxBufferedBytes() + " bytes was never reached");
                big.append(record(i++, 24));
            }
            double buffered = registry.get("fleetbench.sink.buffered").gauge().value();
            assertTrue(buffered >= config.maxBufferedBytes(), "due at " + buffered + " bytes in memory");
            assertTrue(small.flushDue(), "the budget is shared: every writer holding rows flushes");

            big.flush();
            assertFalse(small.flushDue(), "the budget is free again");
            assertEquals(Optional.of(position(0)), small.flush());
            assertEquals(0.0, registry.get("fleetbench.sink.buffered").gauge().value());
            assertEquals(i + 1.0, registry.get("fleetbench.sink.written.rows").tag("table", "car_telemetry").counter().count()
                    + registry.get("fleetbench.sink.written.rows").tag("table", "bike_metrics").counter().count());
        }
    }

    @Test
    void aPartitionsFileIsFinishedAtTheTargetSizeAndTheNextOneStarted() {
        config = config.withTargetFileBytes(1 << 20).withRowGroupBytes(256 << 10).withBufferLimits(Duration.ofSeconds(5), 64L << 20);
        int rows = 0;
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            while (registry.get("fleetbench.sink.uncommitted").gauge().value() < 3.5 * (1 << 20)) {
                for (int k = 0; k < 1000; k++) {
                    w.append(record(rows++, 1));
                }
                w.flushDue();
            }
            w.flush();
        }
        List<io.delta.standalone.actions.AddFile> files = snapshot(EventFamily.CAR_TELEMETRY).getAllFiles();
        assertTrue(files.size() >= 2, "files: " + files.size());
        List<Long> sizes = files.stream().map(io.delta.standalone.actions.AddFile::getSize).sorted().toList();
        // Parquet's size estimate counts the open page uncompressed, so a finished file ends a little under the target.
        for (long size : sizes.subList(1, sizes.size())) {
            assertTrue(size > 0.7 * (1 << 20) && size < 1.2 * (1 << 20), "a finished file ends near the target: " + sizes);
        }
        assertEquals(rows / 2, new KernelReader().rows(dir.resolve("car_telemetry").toString()).size());
    }

    @Test
    void producerDuplicatesAreCountedAndKeptUnlessDroppingIsOn() {
        SinkRecord original = record(0, 1);
        SinkRecord again = new SinkRecord(position(2), original.event());
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            assertTrue(w.append(original));
            assertTrue(w.append(again), "kept by default");
            w.flush();
        }
        assertEquals(2, new KernelReader().rows(dir.resolve("car_telemetry").toString()).size());
        assertEquals(1.0, registry.get("fleetbench.sink.duplicates").tag("action", "kept").tag("table", "car_telemetry")
                .counter().count());

        config = config.withDuplicates(true, 100);
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-9")) {
            assertTrue(w.append(original));
            assertFalse(w.append(again), "dropped when asked to");
            assertTrue(w.append(record(4, 1)));
            w.flush();
        }
        assertEquals(1.0, registry.get("fleetbench.sink.duplicates").tag("action", "dropped").tag("table", "car_telemetry")
                .counter().count());
        assertEquals(4, new KernelReader().rows(dir.resolve("car_telemetry").toString()).size());
    }

    @Test
    void sinksRacingToCreateTheTablesAllSucceed() throws Exception {
        int racers = 4;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<TableProgress>> opened = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
                        return ((DeltaShardWriter) w).progress(EventFamily.BIKE_METRICS);
                    }
                }));
            }
            List<Long> claims = new ArrayList<>();
            for (Future<TableProgress> f : opened) {
                TableProgress p = f.get(60, TimeUnit.SECONDS);
                assertEquals(Optional.empty(), p.position());
                claims.add(p.txnVersion());
            }
            claims.sort(null);
            assertEquals(List.of(0L, 1L, 2L, 3L), claims, "each racer claimed the source in turn");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(DeltaTable.schema(EventFamily.BIKE_METRICS),
                snapshot(EventFamily.BIKE_METRICS).getMetadata().getSchema());
        DeltaLog log = DeltaLog.forTable(new Configuration(), dir.resolve(EventFamily.BIKE_METRICS.wireName()).toString());
        assertEquals(racers, log.update().getVersion(), "one creation and one claim per racer");
        long creations = 0;
        for (long v = 0; v <= racers; v++) {
            creations += log.getCommitInfoAt(v).getOperation().equals("CREATE TABLE") ? 1 : 0;
        }
        assertEquals(1, creations, "exactly one creation landed");
    }

    @Test
    void concurrentFlushesOfManySourcesShareCommitsAndEachLandsOnce() throws Exception {
        int sources = 6;
        int flushes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(sources);
        try (DeltaLakeSink sink = sink()) {
            // Once every source is open, the first flush's commit waits until every source's flush has
            // queued behind it. (Claims read the table under its lock first, so they could not queue.)
            DeltaTable cars = sink.table(EventFamily.CAR_TELEMETRY);
            CountDownLatch allQueued = new CountDownLatch(sources);
            AtomicBoolean first = new AtomicBoolean(true);
            Runnable watchFlushes = () -> {
                cars.queued = allQueued::countDown;
                cars.beforeCommit = () -> {
                    if (first.getAndSet(false)) {
                        try {
                            assertTrue(allQueued.await(60, TimeUnit.SECONDS), "every source's flush queued");
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
            };
            CyclicBarrier start = new CyclicBarrier(sources, watchFlushes);
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < sources; s++) {
                String source = "shard-" + s;
                done.add(pool.submit(() -> {
                    try (ShardWriter w = sink.open(source)) {
                        start.await();
                        for (int f = 0; f < flushes; f++) {
                            for (int i = f * 10; i < f * 10 + 10; i += 2) {
                                w.append(record(i, 1));
                            }
                            w.flush();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            try (ShardWriter again = sink.open("shard-3")) {
                assertEquals(new TableProgress(flushes + 1, Optional.of(position(flushes * 10 - 2))),
                        ((DeltaShardWriter) again).progress(EventFamily.CAR_TELEMETRY),
                        "a source's position is found in a commit shared with others");
            }
        } finally {
            pool.shutdownNow();
        }
        var sourcesPerCommit = registry.get("fleetbench.sink.commit.sources").tag("table", "car_telemetry").summary();
        assertEquals(sources * (flushes + 1) + 1.0, sourcesPerCommit.totalAmount(), "every claim and flush, once");
        assertTrue(sourcesPerCommit.max() > 1, "some commits carried several sources");
        assertTrue(sourcesPerCommit.count() < sources * (flushes + 1) + 1, "fewer commits than flushes and claims");
        assertEquals(sources * flushes * 5, new KernelReader().rows(dir.resolve("car_telemetry").toString()).size());
    }

    @Test
    void closeDiscardsTheBuffer() {
        try (DeltaLakeSink sink = sink()) {
            ShardWriter w = sink.open("shard-1");
            w.append(record(0, 1));
            w.close();
            assertThrows(IllegalStateException.class, w::flush);
            try (ShardWriter again = sink.open("shard-1")) {
                assertTrue(again.append(record(0, 1)), "nothing was committed");
            }
            assertEquals(0.0, registry.get("fleetbench.sink.buffered").gauge().value());
            assertEquals(0, parquetFiles(EventFamily.CAR_TELEMETRY), "the uncommitted files were deleted");
        }
    }
}
