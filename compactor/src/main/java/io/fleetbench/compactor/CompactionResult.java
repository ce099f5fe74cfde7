package io.fleetbench.compactor;

import java.time.Duration;

/**
 * What one {@link Compactor#compact(String)} run did to a table.
 *
 * @param tablePath           the table
 * @param partitionsCompacted partitions whose compaction committed
 * @param partitionsConflicted partitions skipped because a concurrent commit removed files they read
 * @param filesRemoved        small files replaced
 * @param filesAdded          files written in their place
 * @param bytesRewritten      total size of the files replaced
 * @param bytesWritten        total size of the files written
 * @param duration            wall time of the run
 */
public record CompactionResult(
        String tablePath,
        int partitionsCompacted,
        int partitionsConflicted,
        int filesRemoved,
        int filesAdded,
        long bytesRewritten,
        long bytesWritten,
        Duration duration) {
}
