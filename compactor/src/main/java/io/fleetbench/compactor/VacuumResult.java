package io.fleetbench.compactor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link Vacuum#vacuum} run deleted from a table, or would delete in a dry run, and what it kept.
 *
 * @param tablePath             the table
 * @param version               the snapshot version the run read
 * @param dryRun                whether nothing was deleted
 * @param retention             the retention applied
 * @param cutoff                files removed, or last modified, before this instant were old enough to go
 * @param files                 the data files deleted (or that would be), in path order
 * @param referencedFiles       files kept because the snapshot references them
 * @param removedWithinRetention files kept because they were removed from the table after the cutoff
 * @param youngUnreferenced     files kept because no commit references them but they were modified after
 *                              the cutoff (for example a writer's files before its commit)
 * @param log                   what the log cleanup deleted (or would delete)
 */
public record VacuumResult(
        String tablePath,
        long version,
        boolean dryRun,
        Duration retention,
        Instant cutoff,
        List<DeletableFile> files,
        long referencedFiles,
        long removedWithinRetention,
        long youngUnreferenced,
        LogCleanup log) {

    public VacuumResult {
        files = List.copyOf(files);
        Objects.requireNonNull(log, "log");
    }

    /** Why a data file can go. */
    public enum Reason {
        /** A commit removed it (a tombstone) before the cutoff. */
        REMOVED("removed"),
        /**
         * No commit in the snapshot references it: the uncommitted leftover of a crashed writer or
         * compactor, or a file whose removal is older than the snapshot keeps tombstones.
         */
        UNREFERENCED("orphan");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** A short word for listings: {@code removed} or {@code orphan}. */
        public String label() {
            return label;
        }
    }

    /**
     * A data file that a vacuum deletes.
     *
     * @param path      its path relative to the table root
     * @param sizeBytes its size
     * @param reason    why it can go
     * @param modified  when it was last modified
     * @param removed   when a commit removed it, for {@link Reason#REMOVED}
     */
    public record DeletableFile(String path, long sizeBytes, Reason reason, Instant modified, Optional<Instant> removed) {
    }

    /**
     * What the log cleanup deleted from {@code _delta_log}, or would delete in a dry run: the commit and
     * checkpoint files of the versions below {@code keptFromVersion}.
     *
     * @param retention        the table's log retention ({@code delta.logRetentionDuration})
     * @param latestCheckpoint the newest checkpoint's version, -1 if the table has none (then nothing goes)
     * @param keptFromVersion  the oldest version whose files stay
     * @param files            the names of the log files deleted
     * @param pinnedBy         the application id whose newest commit kept older commits in the log, if one did
     */
    public record LogCleanup(Duration retention, long latestCheckpoint, long keptFromVersion, List<String> files,
                             Optional<String> pinnedBy) {
        public LogCleanup {
            files = List.copyOf(files);
        }
    }

    /** The deletable files for one reason. */
    public List<DeletableFile> files(Reason reason) {
        return files.stream().filter(f -> f.reason() == reason).toList();
    }

    /** Total size of the deletable files. */
    public long bytes() {
        return files.stream().mapToLong(DeletableFile::sizeBytes).sum();
    }
}
