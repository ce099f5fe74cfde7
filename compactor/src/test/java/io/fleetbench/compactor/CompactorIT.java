package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.RemoveFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compacts real Delta tables and reads them back with delta-kernel. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CompactorIT {
    private static final int FILES_PER_HOUR = 30;
    private static final int ROWS_PER_FILE = 20;
    private static final CompactionOptions OPTIONS = CompactionOptions.defaults().withTargetFileBytes(1 << 20)
            .withClosedPartitions(Duration.ZERO, false);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private String fill(Map<String, Integer> expected) {
        String path = dir.resolve("events").toString();
        SmallFileTable table = new SmallFileTable(path);
        table.create();
        for (int hour = 0; hour < 2; hour++) {
            for (int batch = 0; batch < FILES_PER_HOUR / 10; batch++) {
                table.appendFiles("h" + hour, batch * 10 * ROWS_PER_FILE, 10, ROWS_PER_FILE, hour)
                        .forEach(r -> expected.merge(r, 1, Integer::sum));
            }
        }
        return path;
    }

    @Test
    void compactsBesideAConcurrentAppenderWithoutLosingOrDuplicatingRows() throws Exception {
        Map<String, Integer> expected = new HashMap<>();
        String path = fill(expected);
        SmallFileTable table = new SmallFileTable(path);
        int before = table.fileCount();
        assertEquals(expected, new KernelRows().read(path));

        SmallFileTable live = new SmallFileTable(path);
        List<String> appended = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger appendedFiles = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Semaphore appends = new Semaphore(0);
        ExecutorService appender = Executors.newSingleThreadExecutor();
        Compactor compactor = new Compactor(OPTIONS, registry, Clock.systemUTC());
        // Each partition's commit waits for an append that landed after it read its partition.
        compactor.beforeCommit = () -> {
            appends.drainPermits();
            try {
                assertTrue(appends.tryAcquire(60, TimeUnit.SECONDS), "the appender made no progress");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
        CompactionResult result;
        try {
            Future<?> appending = appender.submit(() -> {
                for (int i = 0; i < 1_000 && !stop.get(); i++) {
                    appended.addAll(live.append("live", i * 5, 5, 0));
                    appendedFiles.incrementAndGet();
                    appends.release();
                }
            });
            result = compactor.compact(path);
            stop.set(true);
            appending.get(60, TimeUnit.SECONDS);
        } finally {
            appender.shutdownNow();
        }

        assertEquals(2, result.partitionsCompacted());
        assertEquals(0, result.conflicts());
        assertEquals(2, result.filesAdded());
        assertTrue(result.filesRemoved() >= 2 * FILES_PER_HOUR, "removed " + result.filesRemoved());
        assertEquals(before + appendedFiles.get() - result.filesRemoved() + result.filesAdded(), table.fileCount());
        assertTrue(table.fileCount() < before + appendedFiles.get(), "the file count fell");

        appended.forEach(r -> expected.merge(r, 1, Integer::sum));
        assertEquals(expected, new KernelRows().read(path), "the same multiset of rows, plus the appended ones");
        assertCompactionActionsChangeNoData(path, expected.size() - appended.size());
        assertEquals(result.filesRemoved(), registry.get("fleetbench.compactor.files.removed").counter().count());
    }

    private static void assertCompactionActionsChangeNoData(String path, int initialRows) {
        DeltaLog log = DeltaLog.forTable(new Configuration(), path);
        Pattern numRecords = Pattern.compile("\"numRecords\":(\\d+)");
        long compactedRows = 0;
        int removes = 0;
        Iterator<VersionLog> changes = log.getChanges(0, true);
        while (changes.hasNext()) {
            for (Action a : changes.next().getActions()) {
                if (a instanceof RemoveFile r) {
                    assertFalse(r.isDataChange(), "remove of " + r.getPath());
                    removes++;
                } else if (a instanceof AddFile add && add.getPath().contains("-compacted")) {
                    assertFalse(add.isDataChange(), "add of " + add.getPath());
                    Matcher m = numRecords.matcher(add.getStats());
                    assertTrue(m.find(), add.getStats());
                    compactedRows += Long.parseLong(m.group(1));
                }
            }
        }
        assertTrue(removes >= 2 * FILES_PER_HOUR);
        assertTrue(compactedRows >= initialRows, "compacted files hold " + compactedRows + " rows");
    }

    @Test
    void aCompactionWhoseFilesAnotherOneTookIsPlannedAgainFromTheNewSnapshot() {
        Map<String, Integer> expected = new HashMap<>();
        String path = fill(expected);
        Compactor first = new Compactor(OPTIONS, registry, Clock.systemUTC());
        Compactor second = new Compactor(OPTIONS, registry, Clock.systemUTC());
        AtomicBoolean raced = new AtomicBoolean();
        List<CompactionResult> secondResults = new ArrayList<>();
        first.beforeCommit = () -> {
            if (raced.compareAndSet(false, true)) {
                secondResults.add(second.compact(path));
            }
        };
        CompactionResult result = first.compact(path);

        assertEquals(2, secondResults.get(0).partitionsCompacted());
        assertEquals(1, result.conflicts(), "the first partition's files were compacted meanwhile");
        assertEquals(0, result.commits(), "planned again, nothing was left to compact");
        assertEquals(0, result.partitionsConflicted());
        assertEquals(expected, new KernelRows().read(path));
        assertEquals(2, new SmallFileTable(path).fileCount());
        assertEquals(1.0, registry.get("fleetbench.compactor.conflicts").counter().count());
        assertEquals(1.0, registry.get("fleetbench.compactor.replans").counter().count());
        assertTrue(Files.exists(dir.resolve("events")));
    }

    @Test
    void aCommitThatThrowsAfterLandingCountsAsDone() {
        Map<String, Integer> expected = new HashMap<>();
        String path = fill(expected);
        Compactor compactor = new Compactor(OPTIONS, registry, Clock.systemUTC());
        compactor.afterCommit = () -> {
            throw new IllegalStateException("checkpoint failed after the commit");
        };
        CompactionResult result = compactor.compact(path);
        assertEquals(2, result.partitionsCompacted());
        assertEquals(2, new SmallFileTable(path).fileCount());
        assertEquals(expected, new KernelRows().read(path));
    }

    @Test
    void aCommitThatFailsBeforeLandingLeavesTheTableAndNoStrayFiles() throws Exception {
        Map<String, Integer> expected = new HashMap<>();
        String path = fill(expected);
        Compactor compactor = new Compactor(OPTIONS, registry, Clock.systemUTC());
        compactor.beforeCommit = () -> {
            throw new IllegalStateException("log store down");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> compactor.compact(path));
        assertEquals("log store down", e.getMessage());
        assertEquals(2 * FILES_PER_HOUR, new SmallFileTable(path).fileCount());
        try (var files = Files.walk(dir.resolve("events"))) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().endsWith("-compacted.snappy.parquet")).count());
        }
    }

    @Test
    void aTableThatDoesNotExistIsLeftAlone() {
        CompactionResult result = new Compactor(OPTIONS, registry, Clock.systemUTC())
                .compact(dir.resolve("missing").toString());
        assertEquals(0, result.partitionsCompacted());
        assertEquals(0, result.filesRemoved());
    }
}
