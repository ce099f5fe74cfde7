package io.fleetbench.sink;

import java.util.Optional;

/**
 * Writes one source's records into the tables and commits them. Not thread-safe: one source is
 * processed by one thread at a time.
 */
public interface ShardWriter extends AutoCloseable {

    /**
     * Writes a record towards its table unless the table already holds this source's records up to its
     * position, or it is a producer duplicate the sink is configured to drop.
     *
     * @return {@code true} if written, {@code false} if dropped
     * @throws PositionRegressionException if the position is not past the previous record's
     */
    boolean append(SinkRecord record);

    /**
     * Writes a record that could not be decoded towards the dead-letter table, unless that table already
     * holds this source's records up to its position. Positions are shared with {@link #append}: each
     * call must be past the previous one of either kind.
     *
     * @return {@code true} if written, {@code false} if dropped as already committed
     */
    boolean appendDeadLetter(DeadLetter deadLetter);

    /**
     * Whether the writer should commit now: its oldest uncommitted record reached the allowed latency,
     * or the sink's writers together used up their memory budget. A caller that flushes whenever this
     * says so, before it takes more records, keeps the sink's memory bounded.
     */
    boolean flushDue();

    /**
     * Finishes the files written so far and commits each table that has any, with this source's
     * position in the same commit.
     *
     * @return the highest position now committed across the tables, or empty if nothing was written
     * @throws SourceTakenOverException if a newer writer claimed the source since this one was opened:
     *                                  this writer deleted what it had not committed and is closed
     */
    Optional<SourcePosition> flush();

    /** Deletes anything not committed (the source was lost or is shutting down). */
    @Override
    void close();
}
