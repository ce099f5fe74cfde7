package io.fleetbench.compactor;

import io.delta.standalone.actions.AddFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two compactors on one table at once, each on its own thread with its own Delta log instance. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConcurrentCompactorsIT {
    private static final int HOURS = 2;
    private static final int FILES_PER_HOUR = 30;
    private static final int ROWS_PER_FILE = 20;
    private static final Pattern NUM_RECORDS = Pattern.compile("\"numRecords\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void bothFinishWithTheRowsUnchangedAndNoFileCompactedTwice() throws Exception {
        String path = dir.resolve("events").toString();
        SmallFileTable table = new SmallFileTable(path);
        table.create();
        Map<String, Integer> expected = new HashMap<>();
        for (int hour = 0; hour < HOURS; hour++) {
            for (int batch = 0; batch < FILES_PER_HOUR / 10; batch++) {
                table.appendFiles("h" + hour, batch * 10 * ROWS_PER_FILE, 10, ROWS_PER_FILE, hour)
                        .forEach(r -> expected.merge(r, 1, Integer::sum));
            }
        }
        long largest = table.files().stream().mapToLong(AddFile::getSize).max().orElseThrow();
        // Bins of about four files, one bin per commit: many commits that can collide.
        CompactionOptions options = CompactionOptions.defaults().withTargetFileBytes(4 * largest)
                .withClosedPartitions(Duration.ZERO, false).withBinsPerCommit(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Compactor a = new Compactor(options, registry, Clock.systemUTC());
        Compactor b = new Compactor(options, registry, Clock.systemUTC());
        // A's first commit waits until B has committed files of the partition A read: A must re-plan.
        CountDownLatch aRead = new CountDownLatch(1);
        CountDownLatch bCommitted = new CountDownLatch(1);
        AtomicBoolean aFirst = new AtomicBoolean(true);
        AtomicBoolean bFirst = new AtomicBoolean(true);
        a.beforeCommit = () -> {
            if (aFirst.getAndSet(false)) {
                aRead.countDown();
                await(bCommitted);
            }
        };
        b.beforeCommit = () -> {
            if (bFirst.get()) {
                await(aRead);
            }
        };
        b.afterCommit = () -> {
            if (bFirst.getAndSet(false)) {
                bCommitted.countDown();
            }
        };
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompactionResult ra;
        CompactionResult rb;
        try {
            Future<CompactionResult> fa = threads.submit(() -> {
                start.await();
                return a.compact(path);
            });
            Future<CompactionResult> fb = threads.submit(() -> {
                start.await();
                return b.compact(path);
            });
            ra = fa.get(120, TimeUnit.SECONDS);
            rb = fb.get(120, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertTrue(ra.conflicts() >= 1, "A's first commit conflicted: " + ra);
        assertTrue(ra.commits() > 0 && rb.commits() > 0, "both compacted something: " + ra + " " + rb);
        assertEquals(expected, new KernelRows().read(path), "the same multiset of rows");

        TableLog log = new TableLog(path);
        assertEquals(List.of(), log.removedTwice(), "a file removed twice was compacted twice");
        assertEquals(ra.filesRemoved() + rb.filesRemoved(), log.removes);
        assertEquals(ra.commits() + rb.commits(), log.compactions.size());
        for (String removed : log.removals.keySet()) {
            assertEquals(1, log.additions.getOrDefault(removed, 0), "removed but never added: " + removed);
        }
        List<AddFile> live = table.files();
        assertEquals(HOURS * FILES_PER_HOUR - log.removes + ra.filesAdded() + rb.filesAdded(), live.size());
        long rowsInStats = 0;
        for (AddFile f : live) {
            Matcher m = NUM_RECORDS.matcher(f.getStats());
            assertTrue(m.find(), f.getStats());
            rowsInStats += Long.parseLong(m.group(1));
        }
        assertEquals(HOURS * FILES_PER_HOUR * ROWS_PER_FILE, rowsInStats, "no rows duplicated in the live files");
        assertEquals((double) ra.conflicts() + rb.conflicts(),
                registry.get("fleetbench.compactor.conflicts").counters().stream().mapToDouble(c -> c.count()).sum());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS), "the other compactor made no progress");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
