package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.actions.AddFile;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log cleanup after a vacuum: old commits go, but never the state a reader or a source needs. */
class LogCleanerTest {
    @TempDir
    Path dir;

    private static Vacuum at(long millis) {
        return new Vacuum(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    @Test
    void keepsTheLatestCheckpointTheCommitsAfterItAndEverySourcesNewestCommit() {
        RawTable t = new RawTable(dir.resolve("events"));
        t.add(1, Map.of("a.parquet", 10L));
        assertEquals(2, t.txn("quiet", 1));
        for (int v = 1; v <= 22; v++) {
            t.txn("busy", v);
        }
        // Versions 0-24; delta-standalone checkpoints every 10 commits.
        assertTrue(t.hasLogFile(20, "checkpoint.parquet"));
        long later = System.currentTimeMillis() + Duration.ofDays(40).toMillis();

        VacuumResult.LogCleanup first = at(later).vacuum(t.path(), VacuumOptions.defaults()).log();
        assertEquals(Duration.ofDays(30), first.retention());
        assertEquals(20, first.latestCheckpoint());
        assertEquals(Optional.of("quiet"), first.pinnedBy());
        assertEquals(0, first.keptFromVersion(), "no checkpoint at or below quiet's only commit (2): all stays");
        assertTrue(first.files().isEmpty(), first.files().toString());
        assertTrue(t.hasLogFile(0, "json"));

        assertEquals(25, t.txn("quiet", 2));
        for (int v = 23; v <= 27; v++) {
            t.txn("busy", v);
        }
        // Versions up to 30, checkpointed at 30; quiet's newest commit is 25, so the log keeps checkpoint 20 on.
        VacuumResult.LogCleanup dry = at(later).vacuum(t.path(), new VacuumOptions(Duration.ofDays(7), true, false)).log();
        assertEquals(20, dry.keptFromVersion());
        assertEquals(Optional.of("quiet"), dry.pinnedBy());
        assertEquals(21, dry.files().size(), "commits 0-19 and checkpoint 10: " + dry.files());
        assertTrue(dry.files().contains(String.format("%020d.checkpoint.parquet", 10)), dry.files().toString());
        assertTrue(t.hasLogFile(0, "json"), "a dry run deletes nothing");

        VacuumResult.LogCleanup second = at(later).vacuum(t.path(), VacuumOptions.defaults()).log();
        assertEquals(dry.files(), second.files());
        assertEquals(20, second.keptFromVersion());
        assertFalse(t.hasLogFile(19, "json"));
        assertFalse(t.hasLogFile(10, "checkpoint.parquet"));
        assertTrue(t.hasLogFile(20, "json"));
        assertTrue(t.hasLogFile(20, "checkpoint.parquet"));

        DeltaLog fresh = DeltaLog.forTable(new Configuration(), t.path());
        assertEquals(30, fresh.update().getVersion());
        assertEquals(Optional.of(25L), fresh.getCommitInfoAt(25).getVersion(), "quiet's newest commit is readable");
        assertEquals(2, fresh.startTransaction().txnVersion("quiet"));
        assertEquals(27, fresh.startTransaction().txnVersion("busy"));
        assertEquals("a.parquet", fresh.snapshot().getAllFiles().stream().map(AddFile::getPath).findFirst().orElseThrow()
                .substring("event_date=2024-03-01/event_hour=1/".length()));
    }

    @Test
    void commitsYoungerThanTheLogRetentionStay() {
        RawTable t = new RawTable(dir.resolve("events"));
        for (int v = 1; v <= 12; v++) {
            t.txn("busy", v);
        }
        VacuumResult.LogCleanup r = at(System.currentTimeMillis()).vacuum(t.path(), VacuumOptions.defaults()).log();
        assertEquals(10, r.latestCheckpoint());
        assertEquals(0, r.keptFromVersion());
        assertTrue(r.files().isEmpty(), r.files().toString());
        assertTrue(t.hasLogFile(0, "json"));
    }

    @Test
    void withoutSourcesTheLogIsCutAtTheLatestCheckpoint() {
        RawTable t = new RawTable(dir.resolve("events"));
        for (int v = 1; v <= 24; v++) {
            t.add(1, Map.of("f" + v + ".parquet", 10L));
        }
        VacuumResult.LogCleanup r = at(System.currentTimeMillis() + Duration.ofDays(40).toMillis())
                .vacuum(t.path(), VacuumOptions.defaults()).log();
        assertEquals(20, r.keptFromVersion());
        assertEquals(Optional.empty(), r.pinnedBy());
        assertFalse(t.hasLogFile(19, "json"));
        DeltaLog fresh = DeltaLog.forTable(new Configuration(), t.path());
        assertEquals(24, fresh.update().getAllFiles().size());
        assertEquals(Optional.of(20L), fresh.getCommitInfoAt(20).getVersion());
    }

    @Test
    void withoutACheckpointNothingGoes() {
        RawTable t = new RawTable(dir.resolve("events"));
        t.add(1, Map.of("a.parquet", 10L));
        VacuumResult.LogCleanup r = at(System.currentTimeMillis() + Duration.ofDays(40).toMillis())
                .vacuum(t.path(), VacuumOptions.defaults()).log();
        assertEquals(-1, r.latestCheckpoint());
        assertTrue(r.files().isEmpty());
    }
}
