package io.fleetbench.lake;

import java.util.Optional;

/**
 * What became of a Delta commit once {@link DeltaCommit} has resolved it: it is in the table at a
 * version, it is not, or another writer's commit came first and conflicts with it. A commit that threw
 * is one of the three like any other, because an exception can follow a commit that landed.
 */
public sealed interface CommitOutcome {

    /**
     * The commit is in the table.
     *
     * @param version the table version it landed at
     * @param failure what the commit threw although it had landed (e.g. the checkpoint after it failed);
     *                empty if it returned normally
     */
    record Committed(long version, Optional<RuntimeException> failure) implements CommitOutcome {
    }

    /** A commit that is not in the table, and why. */
    sealed interface Failed extends CommitOutcome {
        /** What the commit threw. */
        RuntimeException cause();
    }

    /** The commit threw and is not in the table: the same commit may be tried again. */
    record NotLanded(RuntimeException cause) implements Failed {
    }

    /**
     * Another writer's commit came first and conflicts with this one, which is not in the table: it must be
     * planned again from the table as it is now, or given up.
     */
    record Conflict(RuntimeException cause) implements Failed {
    }
}
