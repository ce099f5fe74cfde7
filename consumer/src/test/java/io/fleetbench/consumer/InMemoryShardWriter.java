package io.fleetbench.consumer;

import io.fleetbench.sink.DeadLetter;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link ShardWriter} test double that keeps what it buffered and committed, and logs its calls to a shared list. */
final class InMemoryShardWriter implements ShardWriter {
    final List<SinkRecord> buffered = new ArrayList<>();
    final List<SinkRecord> committed = new ArrayList<>();
    final List<DeadLetter> bufferedDeadLetters = new ArrayList<>();
    final List<DeadLetter> committedDeadLetters = new ArrayList<>();
    /** The position of the last record buffered, of either kind. */
    private SourcePosition lastBuffered;
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
        lastBuffered = record.position();
        return true;
    }

    @Override
    public boolean appendDeadLetter(DeadLetter deadLetter) {
        if (committedUpTo != null && deadLetter.position().compareTo(committedUpTo) <= 0) {
            return false;
        }
        bufferedDeadLetters.add(deadLetter);
        lastBuffered = deadLetter.position();
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
        calls.add("flush " + (buffered.size() + bufferedDeadLetters.size()));
        if (lastBuffered == null) {
            return Optional.empty();
        }
        committed.addAll(buffered);
        committedDeadLetters.addAll(bufferedDeadLetters);
        committedUpTo = lastBuffered;
        buffered.clear();
        bufferedDeadLetters.clear();
        lastBuffered = null;
        flushDue = false;
        return Optional.of(committedUpTo);
    }

    @Override
    public void close() {
        calls.add("close");
        buffered.clear();
        bufferedDeadLetters.clear();
        lastBuffered = null;
        closed = true;
    }
}
