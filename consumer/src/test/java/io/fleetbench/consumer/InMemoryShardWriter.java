package io.fleetbench.consumer;

import io.fleetbench.lakesink.ShardWriter;
import io.fleetbench.lakesink.SinkRecord;
import io.fleetbench.lakesink.SourcePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link ShardWriter} test double that keeps what it buffered and committed, and logs its calls to a shared list. */
final class InMemoryShardWriter implements ShardWriter {
    final List<SinkRecord> buffered = new ArrayList<>();
    final List<SinkRecord> committed = new ArrayList<>();
    private final List<String> calls;
    SourcePosition committedUpTo;
    boolean flushDue;
    boolean closed;
    /** Thrown by the next flush only. */
    RuntimeException flushFailure;

    InMemoryShardWriter(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public boolean append(SinkRecord record) {
        if (committedUpTo != null && record.position().compareTo(committedUpTo) <= 0) {
            return false;
        }
        buffered.add(record);
        return true;
    }

    @Override
    public boolean flushDue() {
        return flushDue;
    }

    @Override
    public Optional<SourcePosition> flush() {
        if (flushFailure != null) {
            RuntimeException e = flushFailure;
            flushFailure = null;
            calls.add("flush failed");
            throw e;
        }
        calls.add("flush " + buffered.size());
        if (buffered.isEmpty()) {
            return Optional.empty();
        }
        committed.addAll(buffered);
        committedUpTo = buffered.get(buffered.size() - 1).position();
        buffered.clear();
        flushDue = false;
        return Optional.of(committedUpTo);
    }

    @Override
    public void close() {
        calls.add("close");
        buffered.clear();
        closed = true;
    }
}
