package io.fleetbench.lakesink;

import io.fleetbench.sink.PositionRegressionException;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.sink.SourceTakenOverException;
import io.fleetbench.lake.CommitOutcome;

import java.util.Objects;
import java.util.Optional;

/**
 * What one table holds for one source: the version of the source's {@code txn} action and the
 * highest position committed with it. Pure bookkeeping, no I/O.
 *
 * <p>A writer that takes a source over first commits a {@code txn} action alone (see
 * {@link #fenced()}), which raises the version without a position when the source never committed
 * data: from then on any other writer still holding the old version is refused.
 *
 * @param txnVersion the source's {@code txn} version, {@code -1} if it never committed to the table
 * @param position   the highest position committed, empty if no data was ever committed for the source
 */
record TableProgress(long txnVersion, Optional<SourcePosition> position) {

    /** A source that never committed to the table. */
    static final TableProgress NONE = new TableProgress(-1, Optional.empty());

    TableProgress {
        Objects.requireNonNull(position, "position");
        if (txnVersion < -1) {
            throw new IllegalArgumentException("txnVersion must be >= -1, found " + txnVersion);
        }
        if (txnVersion == -1 && position.isPresent()) {
            throw new IllegalArgumentException("a position goes with a txn version >= 0, found version -1 and position "
                    + position.get());
        }
    }

    /** Whether a record at this position is already in the table. */
    boolean covers(SourcePosition p) {
        return position.isPresent() && p.compareTo(position.get()) <= 0;
    }

    /** The progress after committing up to {@code p}; positions never move backwards. */
    TableProgress advanceTo(SourcePosition p) {
        if (covers(p)) {
            throw new PositionRegressionException("commit", position.get(), p);
        }
        return new TableProgress(txnVersion + 1, Optional.of(p));
    }

    /** The progress after a commit that claims the source without data: the next version, the same position. */
    TableProgress fenced() {
        return new TableProgress(txnVersion + 1, position);
    }

    /** Refuses to commit when another writer moved the source's {@code txn} version since it was read. */
    void checkUnchanged(String table, String appId, long foundVersion) {
        if (foundVersion != txnVersion) {
            throw new SourceTakenOverException(table, appId, txnVersion, foundVersion);
        }
    }

    /**
     * Decides, after a commit from this progress to {@code attempted} threw, what became of it, given what
     * the table holds now: {@code found}, set by the commit at table version {@code foundAt}. Anything but
     * this progress or the attempted one means another writer committed for the source: a
     * {@link CommitOutcome.Conflict} with a {@link SourceTakenOverException}.
     */
    CommitOutcome resolve(String table, String appId, TableProgress attempted, TableProgress found, long foundAt,
                          RuntimeException failure) {
        if (found.equals(attempted)) {
            return new CommitOutcome.Committed(foundAt, Optional.of(failure));
        }
        if (found.equals(this)) {
            return new CommitOutcome.NotLanded(failure);
        }
        return new CommitOutcome.Conflict(new SourceTakenOverException(table, appId, txnVersion, found.txnVersion));
    }
}
