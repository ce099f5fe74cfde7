package io.fleetbench.lakesink;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a sink's writers hold, added up across their threads: bytes in memory (the open files' row
 * groups), checked against the budget, and bytes written but not committed. Each writer publishes its
 * own figures when it checks whether a flush is due and after it flushes, so the sums lag each writer
 * by at most one batch.
 */
final class MemoryBudget {
    private final long limitBytes;
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong uncommitted = new AtomicLong();

    MemoryBudget(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    void add(long bufferedDelta, long uncommittedDelta) {
        if (bufferedDelta != 0) {
            buffered.addAndGet(bufferedDelta);
        }
        if (uncommittedDelta != 0) {
            uncommitted.addAndGet(uncommittedDelta);
        }
    }

    /** Whether the writers together hold at least the budget in memory. */
    boolean exhausted() {
        return buffered.get() >= limitBytes;
    }

    long bufferedBytes() {
        return buffered.get();
    }

    long uncommittedBytes() {
        return uncommitted.get();
    }
}
