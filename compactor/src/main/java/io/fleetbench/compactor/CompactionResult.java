package io.fleetbench.compactor;

import java.time.Duration;

/**
 * What one {@link Compactor#compact(String)} pass did to a table.
 *
 * @param tablePath            the table
 * @param partitionsCompacted  partitions with at least one compaction commit
 * @param partitionsOpen       partitions with files to compact that were left alone because they are still open
 * @param partitionsConflicted partitions given up for this pass because their commits kept conflicting with
 *                             concurrent ones (another compactor taking the same files)
 * @param commits              compaction commits that landed
 * @param bins                 bins rewritten and committed: each replaced several files by one
 * @param conflicts            commits refused because a concurrent commit changed what they had read; each was
 *                             re-planned from the new snapshot or, after too many, its partition given up
 * @param filesRemoved         small files replaced
 * @param filesAdded           files written in their place
 * @param bytesRead            total size of the files replaced
 * @param bytesWritten         total size of the files written
 * @param duration             wall time of the pass
 */
public record CompactionResult(
        String tablePath,
        int partitionsCompacted,
        int partitionsOpen,
        int partitionsConflicted,
        int commits,
        int bins,
        int conflicts,
        int filesRemoved,
        int filesAdded,
        long bytesRead,
        long bytesWritten,
        Duration duration) {

    /** A pass that found nothing to do. */
    static CompactionResult nothing(String tablePath, Duration duration) {
        return new CompactionResult(tablePath, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, duration);
    }
}
