package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.RemoveFile;
import io.delta.standalone.actions.SetTransaction;
import io.delta.standalone.internal.DeltaLogImpl;
import io.delta.standalone.internal.SnapshotImpl;
import scala.jdk.javaapi.CollectionConverters;

import java.util.List;

/**
 * What delta-standalone 3.3.2 knows about a table but its public API does not show: a snapshot's
 * tombstones and {@code txn} actions, and the table properties that govern tombstones and the log,
 * with their defaults. They are public methods of its internal {@code DeltaLogImpl} and
 * {@code SnapshotImpl}, which every {@link DeltaLog} and {@link Snapshot} it returns are; this class
 * is the only one that uses them, so an upgrade of delta-standalone has one place to check.
 */
final class StandaloneInternals {
    private StandaloneInternals() {
    }

    /**
     * The snapshot's tombstones: the files removed no longer ago than the table's
     * {@code delta.deletedFileRetentionDuration} (default one week) before the snapshot was read.
     */
    static List<RemoveFile> tombstones(Snapshot snapshot) {
        return CollectionConverters.asJava(impl(snapshot).tombstones());
    }

    /** The snapshot's {@code txn} actions: the latest version of every application id. */
    static List<SetTransaction> setTransactions(Snapshot snapshot) {
        return CollectionConverters.asJava(impl(snapshot).setTransactions());
    }

    /** The table's {@code delta.checkpointInterval}: commits between checkpoints (default 10). */
    static int checkpointInterval(DeltaLog log) {
        return impl(log).checkpointInterval();
    }

    /** The table's {@code delta.logRetentionDuration} in milliseconds (default 30 days). */
    static long logRetentionMillis(DeltaLog log) {
        return impl(log).deltaRetentionMillis();
    }

    /** The table's {@code delta.deletedFileRetentionDuration} in milliseconds (default one week). */
    static long tombstoneRetentionMillis(DeltaLog log) {
        return impl(log).tombstoneRetentionMillis();
    }

    /**
     * The table's {@code delta.enableExpiredLogCleanup} (default true): whether delta-standalone deletes
     * commit files older than the log retention whenever a commit writes a checkpoint.
     */
    static boolean expiredLogCleanup(DeltaLog log) {
        return impl(log).enableExpiredLogCleanup();
    }

    private static SnapshotImpl impl(Snapshot snapshot) {
        if (snapshot instanceof SnapshotImpl s) {
            return s;
        }
        throw new IllegalStateException("expected delta-standalone 3.3.2's SnapshotImpl, found "
                + snapshot.getClass().getName());
    }

    private static DeltaLogImpl impl(DeltaLog log) {
        if (log instanceof DeltaLogImpl l) {
            return l;
        }
        throw new IllegalStateException("expected delta-standalone 3.3.2's DeltaLogImpl, found " + log.getClass().getName());
    }
}
