package io.fleetbench.sink;

/**
 * Writes events into one Delta table per event family, exactly once per table and source.
 * A source is one ordered partition of the input (a Kinesis shard); a writer for it is opened
 * when the consumer takes the source over and closed when it lets go.
 */
public interface LakeSink extends AutoCloseable {

    /**
     * Opens a writer for a source that is a shard of the stream, as {@link #open(String, String)} does
     * with the source id as the shard every row records.
     */
    default ShardWriter open(String sourceId) {
        return open(sourceId, sourceId);
    }

    /**
     * Opens a writer for a source. Reads back, for every table, the highest position already
     * committed for that source, so that records at or below it are dropped, and claims the source, so
     * that an older writer of it can no longer commit.
     *
     * @param sourceId the source whose progress the tables keep
     * @param shard    the stream shard the source's records were read from (for Kinesis, the shard id), which
     *                 every event row records with its position; the same as {@code sourceId} unless the source
     *                 re-reads another one's records, as a replay of dead letters does
     * @throws MissingProgressException if a table holds the source's {@code txn} version but no commit
     *                                  still in its log holds the position that goes with it
     * @throws SourceTakenOverException if other writers kept committing for the source while it was claimed
     */
    ShardWriter open(String sourceId, String shard);

    @Override
    void close();
}
