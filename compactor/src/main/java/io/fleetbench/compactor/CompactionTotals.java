package io.fleetbench.compactor;

import java.time.Duration;

/**
 * What compaction did over several passes and tables, e.g. over a continuous run. Merges with
 * {@link #plus(CompactionResult)}.
 *
 * @param passes        passes over the tables
 * @param failedTables  table passes that failed with an error (logged; the next pass tries again)
 * @param commits       compaction commits that landed
 * @param bins          bins rewritten and committed
 * @param conflicts     commits refused by a concurrent commit, each re-planned or its partition given up
 * @param filesRemoved  small files replaced
 * @param filesAdded    files written in their place
 * @param bytesRead     total size of the files replaced
 * @param bytesWritten  total size of the files written
 * @param busy          time spent in passes
 */
public record CompactionTotals(long passes, long failedTables, long commits, long bins, long conflicts,
                               long filesRemoved, long filesAdded, long bytesRead, long bytesWritten, Duration busy) {

    /** Nothing done yet. */
    public static final CompactionTotals NONE = new CompactionTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO);

    /** These totals with one table's pass added (the pass itself is counted by {@link #plusPass}). */
    public CompactionTotals plus(CompactionResult r) {
        return new CompactionTotals(passes, failedTables, commits + r.commits(), bins + r.bins(),
                conflicts + r.conflicts(), filesRemoved + r.filesRemoved(), filesAdded + r.filesAdded(),
                bytesRead + r.bytesRead(), bytesWritten + r.bytesWritten(), busy);
    }

    /** These totals with one more pass of the given duration, of which {@code failed} table passes failed. */
    public CompactionTotals plusPass(Duration duration, int failed) {
        return new CompactionTotals(passes + 1, failedTables + failed, commits, bins, conflicts, filesRemoved,
                filesAdded, bytesRead, bytesWritten, busy.plus(duration));
    }
}
