package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.actions.AddFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closed partitions, partial progress, and continuous passes over a lake, on real Delta tables. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CompactionPassIT {
    private static final int FILES_PER_HOUR = 30;
    private static final int ROWS_PER_FILE = 20;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A table of two hour partitions of {@value #FILES_PER_HOUR} small files each, in several commits. */
    private static String fill(Path path, Map<String, Integer> expected) {
        SmallFileTable table = new SmallFileTable(path.toString());
        table.create();
        for (int hour = 0; hour < 2; hour++) {
            for (int batch = 0; batch < FILES_PER_HOUR / 10; batch++) {
                table.appendFiles("h" + hour, batch * 10 * ROWS_PER_FILE, 10, ROWS_PER_FILE, hour)
                        .forEach(r -> expected.merge(r, 1, Integer::sum));
            }
        }
        return path.toString();
    }

    /** Options whose target size makes bins of about five of the table's files. */
    private static CompactionOptions fiveFilesPerBin(String path) {
        long largest = new SmallFileTable(path).files().stream().mapToLong(AddFile::getSize).max().orElseThrow();
        return CompactionOptions.defaults().withTargetFileBytes(5 * largest).withClosedPartitions(Duration.ZERO, false);
    }

    private static long newestModificationTime(String path) {
        return new SmallFileTable(path).files().stream().mapToLong(AddFile::getModificationTime).max().orElseThrow();
    }

    private static long oldestModificationTime(String path) {
        return new SmallFileTable(path).files().stream().mapToLong(AddFile::getModificationTime).min().orElseThrow();
    }

    private static Clock at(long millis) {
        return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    @Test
    void onlyPartitionsClosedForTheConfiguredTimeAreCompactedByDefault() {
        Map<String, Integer> expected = new HashMap<>();
        String path = fill(dir.resolve("events"), expected);
        long oldest = oldestModificationTime(path);
        long newest = newestModificationTime(path);
        CompactionOptions options = CompactionOptions.defaults().withTargetFileBytes(1 << 20);
        Duration closedAfter = options.closedAfter();

        // Before either partition's newest file is closedAfter old.
        CompactionResult early = new Compactor(options, registry, at(oldest + closedAfter.toMillis() - 1)).compact(path);
        assertEquals(2, early.partitionsOpen());
        assertEquals(0, early.commits());
        assertEquals(2 * FILES_PER_HOUR, new SmallFileTable(path).fileCount());

        CompactionResult forced = new Compactor(options.withClosedPartitions(closedAfter, true), registry,
                at(oldest + closedAfter.toMillis() - 1)).compact(path);
        assertEquals(2, forced.partitionsCompacted(), "--include-open-partitions compacts them anyway");
        assertEquals(expected, new KernelRows().read(path));

        // A compacted file keeps the newest insertion time of what it replaced: compaction reopens nothing.
        for (AddFile f : new SmallFileTable(path).files()) {
            assertNotNull(f.getTags(), f.getPath());
            assertTrue(Long.parseLong(f.getTags().get(Compactor.MAX_INSERTION_TIME)) <= newest * 1000, f.getTags().toString());
            assertEquals(Long.toString(1 << 20), f.getTags().get(Compactor.OPTIMIZE_TARGET_SIZE));
        }
        // A late file reopens its partition until it, too, is old enough.
        new SmallFileTable(path).append("late", 0, 3, 0).forEach(r -> expected.merge(r, 1, Integer::sum));
        long late = new SmallFileTable(path).files().stream().filter(f -> !f.getPath().contains("-compacted"))
                .mapToLong(AddFile::getModificationTime).max().orElseThrow();
        CompactionResult reopened = new Compactor(options, registry, at(late + closedAfter.toMillis() - 1)).compact(path);
        assertEquals(1, reopened.partitionsOpen());
        assertEquals(0, reopened.commits());
        CompactionResult closed = new Compactor(options, registry, at(late + closedAfter.toMillis())).compact(path);
        assertEquals(1, closed.partitionsCompacted());
        assertEquals(2, closed.filesRemoved());
        assertEquals(2, new SmallFileTable(path).fileCount());
        assertEquals(expected, new KernelRows().read(path));
    }

    @Test
    void partialProgressIsCommittedEveryFewBinsSoAFailureLosesOnlyTheGroupInProgress() throws Exception {
        Map<String, Integer> expected = new HashMap<>();
        String path = fill(dir.resolve("events"), expected);
        CompactionOptions options = fiveFilesPerBin(path).withBinsPerCommit(2);
        Compactor compactor = new Compactor(options, registry, Clock.systemUTC());
        AtomicInteger commits = new AtomicInteger();
        compactor.beforeCommit = () -> {
            if (commits.incrementAndGet() == 3) {
                throw new IllegalStateException("log store down");
            }
        };
        assertThrows(IllegalStateException.class, () -> compactor.compact(path));

        TableLog log = new TableLog(path);
        assertEquals(2, log.compactions.size(), "the two groups before the failure stayed committed");
        assertTrue(log.removes >= 2 * 2 * 5, "two groups of two bins of five files or more: " + log.removes);
        assertEquals(2 * FILES_PER_HOUR - log.removes + 4, new SmallFileTable(path).fileCount());
        assertEquals(expected, new KernelRows().read(path));
        assertEquals(4, compactedFilesOnDisk(), "the failed group's files were deleted");

        // The next pass does the rest; its many commits make the log write a checkpoint.
        CompactionResult rest = new Compactor(options.withBinsPerCommit(1), registry, Clock.systemUTC()).compact(path);
        assertTrue(rest.commits() >= 2, "commits: " + rest.commits());
        assertEquals(expected, new KernelRows().read(path));
        assertTrue(Files.exists(dir.resolve("events/_delta_log/_last_checkpoint")));
        List<AddFile> compacted = DeltaLog.forTable(new Configuration(), path).update().getAllFiles().stream()
                .filter(f -> f.getPath().contains("-compacted")).toList();
        assertFalse(compacted.isEmpty());
        for (AddFile f : compacted) {
            assertNotNull(f.getTags(), "tags survive the checkpoint: " + f.getPath());
            assertNotNull(f.getTags().get(Compactor.MAX_INSERTION_TIME), f.getTags().toString());
        }
        assertEquals(List.of(), new TableLog(path).removedTwice());
    }

    private long compactedFilesOnDisk() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("events"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-compacted.snappy.parquet")).count();
        }
    }

    @Test
    void continuousCompactionCompactsEveryTableBelowTheRootUntilStopped() throws Exception {
        Path lake = dir.resolve("lake");
        Map<String, Integer> cars = new HashMap<>();
        Map<String, Integer> bikes = new HashMap<>();
        String a = fill(lake.resolve("cars"), cars);
        String b = fill(lake.resolve("bikes"), bikes);
        Files.createDirectories(lake.resolve("notes"));
        assertEquals(List.of(b, a), DeltaTables.find(lake.toString(), new Configuration()));
        assertEquals(List.of(a), DeltaTables.find(a, new Configuration()));

        CompactionOptions options = CompactionOptions.defaults().withTargetFileBytes(1 << 20)
                .withClosedPartitions(Duration.ZERO, false);
        BlockingQueue<List<CompactionResult>> passes = new LinkedBlockingQueue<>();
        ContinuousCompaction continuous = new ContinuousCompaction(new Compactor(options, registry, Clock.systemUTC()),
                lake.toString(), Duration.ofHours(1), passes::add);
        Thread runner = new Thread(continuous::run, "continuous-compaction");
        runner.start();
        List<CompactionResult> first = passes.poll(60, TimeUnit.SECONDS);
        assertNotNull(first, "no pass within 60 s");
        continuous.stop();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(runner.isAlive(), "still running 30 s after stop()");

        assertEquals(2, first.size());
        assertEquals(List.of(2, 2), first.stream().map(CompactionResult::partitionsCompacted).toList());
        CompactionTotals totals = continuous.totals();
        assertEquals(1, totals.passes());
        assertEquals(4 * FILES_PER_HOUR, totals.filesRemoved());
        assertEquals(4, totals.filesAdded());
        assertTrue(totals.bytesRead() > totals.bytesWritten(), totals.toString());
        assertEquals(cars, new KernelRows().read(a));
        assertEquals(bikes, new KernelRows().read(b));
        assertEquals(4.0, registry.get("fleetbench.compactor.files.added").counters().stream()
                .mapToDouble(c -> c.count()).sum());
    }

    @Test
    void aStopLetsTheCommitInProgressFinishAndStartsNothingNew() {
        Map<String, Integer> expected = new HashMap<>();
        String path = fill(dir.resolve("events"), expected);
        Compactor compactor = new Compactor(fiveFilesPerBin(path).withBinsPerCommit(1), registry, Clock.systemUTC());
        ContinuousCompaction continuous = new ContinuousCompaction(compactor, path, Duration.ofHours(1), r -> { });
        compactor.beforeCommit = continuous::stop;

        continuous.run();

        assertEquals(1, continuous.totals().commits());
        assertEquals(1, new TableLog(path).compactions.size());
        assertEquals(expected, new KernelRows().read(path));
    }
}
