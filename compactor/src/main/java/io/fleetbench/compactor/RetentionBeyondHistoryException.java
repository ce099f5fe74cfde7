package io.fleetbench.compactor;

import java.time.Duration;
import java.time.Instant;

/**
 * A vacuum's retention reaches back further than both the snapshot's tombstones and the log's oldest
 * commit, so files removed before that commit could not be told from orphans; nothing was deleted. A
 * retention of at most {@link #longestRetention()} works.
 */
public class RetentionBeyondHistoryException extends IllegalStateException {
    private final String table;
    private final Duration retention;
    private final Instant cutoff;
    private final Duration tombstoneRetention;
    private final long oldestCommit;
    private final Instant oldestCommitWritten;
    private final Duration longestRetention;

    /**
     * @param table               the table's path
     * @param retention           the retention asked for
     * @param cutoff              the time it reaches back to
     * @param tombstoneRetention  how long the snapshot keeps removed files ({@code delta.deletedFileRetentionDuration})
     * @param oldestCommit        the lowest version whose commit file is still in the log
     * @param oldestCommitWritten when that commit file was written (its modification time)
     * @param longestRetention    the longest retention the table's history covers
     */
    public RetentionBeyondHistoryException(String table, Duration retention, Instant cutoff, Duration tombstoneRetention,
                                           long oldestCommit, Instant oldestCommitWritten, Duration longestRetention) {
        super("table " + table + ": the retention of " + retention + " reaches back to " + cutoff
                + ", but the snapshot keeps tombstones only for " + tombstoneRetention
                + " (delta.deletedFileRetentionDuration) and the log's oldest commit, version " + oldestCommit
                + ", was written at " + oldestCommitWritten + ", after the cutoff: files removed in between could not be"
                + " told from orphans. Use a retention of at most " + longestRetention
                + ", or raise delta.deletedFileRetentionDuration");
        this.table = table;
        this.retention = retention;
        this.cutoff = cutoff;
        this.tombstoneRetention = tombstoneRetention;
        this.oldestCommit = oldestCommit;
        this.oldestCommitWritten = oldestCommitWritten;
        this.longestRetention = longestRetention;
    }

    /** The table's path. */
    public String table() {
        return table;
    }

    /** The retention asked for. */
    public Duration retention() {
        return retention;
    }

    /** The time the retention reaches back to: files removed or modified before it would go. */
    public Instant cutoff() {
        return cutoff;
    }

    /** How long the snapshot keeps removed files: the table's {@code delta.deletedFileRetentionDuration}. */
    public Duration tombstoneRetention() {
        return tombstoneRetention;
    }

    /** The lowest version whose commit file is still in the log. */
    public long oldestCommit() {
        return oldestCommit;
    }

    /** When the oldest commit file was written. */
    public Instant oldestCommitWritten() {
        return oldestCommitWritten;
    }

    /**
     * The longest retention the table's history covers now: the tombstone retention, or, if longer, the
     * age of the oldest commit in whole hours.
     */
    public Duration longestRetention() {
        return longestRetention;
    }
}
