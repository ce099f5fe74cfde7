package io.fleetbench.lake;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.exceptions.DeltaConcurrentModificationException;
import io.delta.storage.CloseableIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Commits to a Delta table and, when the commit throws, finds out from the table whether it landed.
 * delta-standalone's {@code OptimisticTransaction.commit} can throw after its commit file was written
 * (a failing checkpoint, a post-commit hook), so an exception alone means neither "not committed" nor
 * "committed": retrying such a commit blindly can add its files twice, and giving it up can delete files
 * the table references.
 */
public final class DeltaCommit {
    private DeltaCommit() {
    }

    /** Tells, from the table as it is now, what became of a commit that threw. */
    @FunctionalInterface
    public interface Resolver {
        /** The outcome of the commit that threw {@code failure}; throws if the table cannot tell. */
        CommitOutcome resolve(RuntimeException failure);
    }

    /**
     * Runs {@code commit}, which returns the table version it committed, and resolves any exception it
     * throws with {@code resolver}, which sees conflicts too.
     */
    public static CommitOutcome attempt(LongSupplier commit, Resolver resolver) {
        long version;
        try {
            version = commit.getAsLong();
        } catch (RuntimeException e) {
            return resolver.resolve(e);
        }
        return new CommitOutcome.Committed(version, Optional.empty());
    }

    /**
     * Resolves a commit by looking for it in the log: it landed if a commit after {@code readVersion} (the
     * version its transaction read) carries an action only it carries, such as an AddFile of a new file. A
     * {@link DeltaConcurrentModificationException} is a conflict: delta-standalone throws it before it
     * writes the commit.
     *
     * @throws UncheckedIOException from the resolver if the log cannot be read; the commit's own failure
     *                              is attached to it as suppressed
     */
    public static Resolver inLog(DeltaLog log, long readVersion, Predicate<Action> carried) {
        return failure -> {
            if (failure instanceof DeltaConcurrentModificationException) {
                return new CommitOutcome.Conflict(failure);
            }
            try {
                Iterator<VersionLog> changes = log.getChanges(readVersion + 1, true);
                while (changes.hasNext()) {
                    VersionLog commit = changes.next();
                    try (CloseableIterator<Action> actions = commit.getActionsIterator()) {
                        while (actions.hasNext()) {
                            if (carried.test(actions.next())) {
                                return new CommitOutcome.Committed(commit.getVersion(), Optional.of(failure));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                UncheckedIOException unresolved = new UncheckedIOException(
                        "reading the log of " + log.getPath() + " after version " + readVersion
                                + " to tell whether a commit that threw landed", e);
                unresolved.addSuppressed(failure);
                throw unresolved;
            }
            return new CommitOutcome.NotLanded(failure);
        };
    }
}
