package io.fleetbench.sink;

/**
 * Writes events into one Delta table per event family, exactly once per table and source.
 * A source is one ordered partition of the input (a Kinesis shard); a writer for it is opened
 * when the consumer takes the source over and closed when it lets go.
 */
public interface LakeSink extends AutoCloseable {

    /**
     * Opens a writer for a source. Reads back, for every table, the highest position already
     * committed for that source, so that records at or below it are dropped, and claims the source, so
     * that an older writer of it can no longer commit.
     *
     * @throws MissingProgressException if a table holds the source's {@code txn} version but no commit
     *                                  still in its log holds the position that goes with it
     * @throws SourceTakenOverException if other writers kept committing for the source while it was claimed
     */
    ShardWriter open(String sourceId);

    @Override
    void close();
}
