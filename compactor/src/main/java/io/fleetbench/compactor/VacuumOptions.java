package io.fleetbench.compactor;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Vacuum}.
 *
 * @param retention how long a file stays after it was removed from the table, or, for a file no commit
 *                  references, after it was last modified; default {@link #DEFAULT_RETENTION}, at least
 *                  {@link #MIN_RETENTION} unless forced, never negative
 * @param dryRun    only find what would be deleted; delete nothing
 * @param force     allow a retention under {@link #MIN_RETENTION}
 */
public record VacuumOptions(Duration retention, boolean dryRun, boolean force) {

    /** Default retention: 7 days, Delta's default {@code delta.deletedFileRetentionDuration}. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /**
     * Shortest retention allowed without {@code force}: 1 hour. A writer's new files are referenced only
     * once its commit lands, so a shorter retention can delete files that a running sink or compactor
     * is about to commit.
     */
    public static final Duration MIN_RETENTION = Duration.ofHours(1);

    public VacuumOptions {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must be >= 0, found " + retention);
        }
        if (retention.compareTo(MIN_RETENTION) < 0 && !force) {
            throw new IllegalArgumentException("retention must be >= " + MIN_RETENTION + " unless forced, found "
                    + retention + ": a shorter one can delete files that a running writer is about to commit");
        }
    }

    /** The defaults: a 7-day retention, deleting for real. */
    public static VacuumOptions defaults() {
        return new VacuumOptions(DEFAULT_RETENTION, false, false);
    }
}
