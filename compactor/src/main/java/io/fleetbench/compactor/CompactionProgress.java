package io.fleetbench.compactor;

/**
 * How far a compaction pass over one table has gone: reported once its partitions are planned, then
 * after each of them.
 *
 * @param tablePath         the table
 * @param partitionsDone    partitions gone through so far
 * @param partitionsPlanned partitions this pass compacts: closed ones (unless open ones are included) with bins to write
 * @param bytesWritten      bytes of compacted files committed so far
 */
public record CompactionProgress(String tablePath, int partitionsDone, int partitionsPlanned, long bytesWritten) {
}
