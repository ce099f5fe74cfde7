package io.fleetbench.lakesink;

import java.util.Optional;

/**
 * Buffers one source's records and commits them to the tables. Not thread-safe: one source is
 * processed by one thread at a time.
 */
public interface ShardWriter extends AutoCloseable {

    /**
     * Buffers a record unless its table already holds this source's records up to its position.
     *
     * @return {@code true} if buffered, {@code false} if dropped as already committed
     */
    boolean append(SinkRecord record);

    /**
     * Buffers a record that could not be decoded for the dead-letter table, unless that table already
     * holds this source's records up to its position. Positions are shared with {@link #append}: each
     * call must be past the previous one of either kind.
     *
     * @return {@code true} if buffered, {@code false} if dropped as already committed
     */
    boolean appendDeadLetter(DeadLetter deadLetter);

    /** Whether the buffer has reached its size limit or its oldest record its allowed latency. */
    boolean flushDue();

    /**
     * Writes the buffered records as Parquet files and commits each table that has any, with this
     * source's position in the same commit.
     *
     * <p>If another writer committed for the source since this one read a table, the writer takes over
     * that progress, drops the buffered records the table now holds and commits the rest, if any.
     *
     * @return the highest position now committed across the tables, or empty if nothing was buffered
     * @throws SourceTakenOverException if other writers kept committing for the source through every retry
     */
    Optional<SourcePosition> flush();

    /** Discards anything buffered without committing (the source was lost or is shutting down). */
    @Override
    void close();
}
