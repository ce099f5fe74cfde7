package io.fleetbench.compactor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retention rules of {@link Vacuum}, on tables whose files and removals a test dates. */
class VacuumTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    @TempDir
    Path dir;

    // The real clock: delta-standalone dates the tombstones a snapshot keeps by it.
    private final long now = System.currentTimeMillis();
    private final Vacuum vacuum = new Vacuum(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));

    @Test
    void deletesOldRemovalsAndOldOrphansAndKeepsReferencedRecentlyRemovedYoungLogAndHiddenFiles() throws Exception {
        RawTable t = new RawTable(dir.resolve("events"));
        String referenced = t.addFile(1, "referenced.parquet", 100, now - 30 * DAY);
        String removedLongAgo = t.addFile(1, "removed-long-ago.parquet", 200, now - 3 * DAY);
        String removedRecently = t.addFile(1, "removed-recently.parquet", 300, now - 3 * DAY);
        String removedButTouched = t.addFile(2, "removed-but-touched.parquet", 400, now - 3 * DAY);
        t.remove(removedLongAgo, now - 2 * DAY);
        t.remove(removedRecently, now - HOUR);
        t.remove(removedButTouched, now - 2 * DAY);
        t.write(removedButTouched, 400, now - HOUR);
        String oldOrphan = RawTable.inHour(2, "old-orphan.parquet");
        t.write(oldOrphan, 500, now - 2 * DAY);
        String youngOrphan = RawTable.inHour(2, "young-orphan.parquet");
        t.write(youngOrphan, 600, now - HOUR);
        Path hidden = t.write(RawTable.inHour(2, ".part-9.parquet.tmp"), 12, now - 30 * DAY);
        Path underscored = t.write("_tmp/part-0.parquet", 10, now - 30 * DAY);
        Set<Path> logFiles = listing(t.root().resolve("_delta_log"));

        VacuumOptions oneDay = new VacuumOptions(Duration.ofDays(1), true, false);
        VacuumResult dry = vacuum.vacuum(t.path(), oneDay);
        assertEquals(List.of(
                new VacuumResult.DeletableFile(removedLongAgo, 200, VacuumResult.Reason.REMOVED,
                        Instant.ofEpochMilli(now - 3 * DAY), Optional.of(Instant.ofEpochMilli(now - 2 * DAY))),
                new VacuumResult.DeletableFile(oldOrphan, 500, VacuumResult.Reason.UNREFERENCED,
                        Instant.ofEpochMilli(now - 2 * DAY), Optional.empty())), dry.files());
        assertEquals(1, dry.referencedFiles());
        assertEquals(1, dry.removedWithinRetention(), removedRecently);
        assertEquals(2, dry.youngUnreferenced(), youngOrphan + " and " + removedButTouched);
        assertEquals(700, dry.bytes());
        assertTrue(Files.exists(t.root().resolve(removedLongAgo)), "a dry run deletes nothing");
        assertTrue(Files.exists(t.root().resolve(oldOrphan)), "a dry run deletes nothing");

        List<VacuumProgress> progress = new ArrayList<>();
        VacuumResult done = vacuum.vacuum(t.path(), new VacuumOptions(Duration.ofDays(1), false, false), progress::add);
        assertEquals(dry.files(), done.files());
        // One report per data file listed (not the hidden ones), the last with both deletions and their bytes.
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), progress.stream().map(VacuumProgress::examined).toList());
        assertEquals(new VacuumProgress(6, 6, 2, 700), progress.get(progress.size() - 1));
        assertFalse(Files.exists(t.root().resolve(removedLongAgo)));
        assertFalse(Files.exists(t.root().resolve(oldOrphan)));
        for (String kept : List.of(referenced, removedRecently, removedButTouched, youngOrphan)) {
            assertTrue(Files.exists(t.root().resolve(kept)), kept);
        }
        assertTrue(Files.exists(hidden), "hidden files are never vacuumed");
        assertTrue(Files.exists(underscored), "folders starting with _ are never vacuumed");
        assertEquals(logFiles, listing(t.root().resolve("_delta_log")), "the log is left alone");
        assertEquals(List.of(), vacuum.vacuum(t.path(), oneDay).files(), "nothing left to vacuum");
    }

    @Test
    void aRetentionLongerThanTheSnapshotKeepsTombstonesReadsTheRemovalsFromTheCommits() {
        RawTable t = new RawTable(dir.resolve("events"));
        // delta.deletedFileRetentionDuration is a week: the snapshot no longer holds these removals.
        String removedEightDaysAgo = t.addFile(1, "removed-8d-ago.parquet", 100, now - 20 * DAY);
        String removedTwelveDaysAgo = t.addFile(1, "removed-12d-ago.parquet", 200, now - 20 * DAY);
        t.remove(removedEightDaysAgo, now - 8 * DAY);
        t.remove(removedTwelveDaysAgo, now - 12 * DAY);

        VacuumResult r = vacuum.vacuum(t.path(), new VacuumOptions(Duration.ofDays(10), true, false));
        assertEquals(List.of(removedTwelveDaysAgo), r.files().stream().map(VacuumResult.DeletableFile::path).toList());
        assertEquals(VacuumResult.Reason.REMOVED, r.files().get(0).reason());
        assertEquals(1, r.removedWithinRetention(), removedEightDaysAgo + " was removed within the 10 days");

        VacuumResult week = vacuum.vacuum(t.path(), new VacuumOptions(Duration.ofDays(7), true, false));
        assertEquals(Set.of(removedEightDaysAgo, removedTwelveDaysAgo),
                Set.copyOf(week.files().stream().map(VacuumResult.DeletableFile::path).toList()));
    }

    @Test
    void aRetentionReachingBeyondTheTombstonesAndTheLogIsRefused() throws Exception {
        RawTable t = new RawTable(dir.resolve("events"));
        String removed = t.addFile(1, "removed-8d-ago.parquet", 100, now - 20 * DAY);
        t.remove(removed, now - 8 * DAY);
        for (int v = 1; v <= 10; v++) {
            t.txn("busy", v);
        }
        // The commits up to the checkpoint at 10 are gone, the removal's among them.
        for (int v = 0; v < 10; v++) {
            Files.delete(t.root().resolve("_delta_log").resolve(String.format("%020d.json", v)));
        }
        RetentionBeyondHistoryException e = assertThrows(RetentionBeyondHistoryException.class,
                () -> vacuum.vacuum(t.path(), new VacuumOptions(Duration.ofDays(10), true, false)));
        assertTrue(e.getMessage().contains("files removed in between could not be told from orphans"), e.getMessage());
        assertEquals(10, e.oldestCommit());
        assertEquals(Duration.ofDays(10), e.retention());
        assertEquals(Duration.ofDays(7), e.tombstoneRetention());
        assertEquals(Duration.ofDays(7), e.longestRetention(), "the commits are younger than the tombstones' week");
        assertEquals(List.of(removed), vacuum.vacuum(t.path(), new VacuumOptions(Duration.ofDays(7), true, false)).files()
                .stream().map(VacuumResult.DeletableFile::path).toList(), "within the tombstones' week it can tell");

        // Once the oldest commit is older than the tombstones' week, the log's history is the longer one.
        Files.setLastModifiedTime(t.root().resolve("_delta_log").resolve(String.format("%020d.json", 10)),
                FileTime.fromMillis(now - 9 * DAY - 5 * HOUR - 30 * 60_000));
        e = assertThrows(RetentionBeyondHistoryException.class,
                () -> vacuum.vacuum(t.path(), new VacuumOptions(Duration.ofDays(10), true, false)));
        assertEquals(Duration.ofDays(9).plusHours(5), e.longestRetention());
        vacuum.vacuum(t.path(), new VacuumOptions(e.longestRetention(), true, false));
    }

    @Test
    void aRetentionUnderAnHourIsRefusedUnlessForced() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VacuumOptions(Duration.ofMinutes(59), false, false));
        assertTrue(e.getMessage().contains("retention must be >= PT1H unless forced, found PT59M"), e.getMessage());
        assertEquals(Duration.ZERO, new VacuumOptions(Duration.ZERO, false, true).retention());
        assertEquals(Duration.ofHours(1), new VacuumOptions(Duration.ofHours(1), false, false).retention());
        assertThrows(IllegalArgumentException.class, () -> new VacuumOptions(Duration.ofSeconds(-1), false, true));
        assertEquals(Duration.ofDays(7), VacuumOptions.defaults().retention());
    }

    @Test
    void aZeroRetentionStillKeepsEveryReferencedFile() {
        RawTable t = new RawTable(dir.resolve("events"));
        String referenced = t.addFile(1, "referenced.parquet", 100, now - DAY);
        String orphan = RawTable.inHour(1, "orphan.parquet");
        t.write(orphan, 10, now - 1);
        VacuumResult r = vacuum.vacuum(t.path(), new VacuumOptions(Duration.ZERO, false, true));
        assertEquals(List.of(orphan), r.files().stream().map(VacuumResult.DeletableFile::path).toList());
        assertTrue(Files.exists(t.root().resolve(referenced)));
    }

    @Test
    void aFolderWithoutATableIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vacuum.vacuum(dir.toString(), VacuumOptions.defaults()));
        assertTrue(e.getMessage().contains("no Delta table at " + dir), e.getMessage());
    }

    @Test
    void hiddenNamesFollowDeltasRule() {
        Set<String> partitionColumns = Set.of("_hour");
        assertTrue(Vacuum.hidden("_delta_log", partitionColumns));
        assertTrue(Vacuum.hidden(".part-0.parquet.crc", partitionColumns));
        assertFalse(Vacuum.hidden("_hour=3", partitionColumns), "a partition folder of a column named _hour");
        assertFalse(Vacuum.hidden("_change_data", partitionColumns));
        assertFalse(Vacuum.hidden("part-0.parquet", partitionColumns));
    }

    private static Set<Path> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return Set.copyOf(files.toList());
        }
    }
}
