package io.fleetbench.consumer;

import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.InvalidEventException.Reason;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Reports one shard's invalid records without flooding the log: each of the first {@code logFirst}
 * gets a line of its own (position, reason and message, never the payload); after that, the records
 * are only counted by reason, and one summary line per {@code summaryInterval} reports the counts.
 * What is still counted when the shard is let go is reported by {@link #flush()}. The counters by
 * reason stay complete in {@link ConsumerMetrics}; this only limits the log. Not thread-safe: one
 * per record processor.
 */
final class InvalidRecordLog {
    private final String shardId;
    private final int logFirst;
    private final Duration summaryInterval;
    private final Clock clock;
    private final Consumer<String> out;
    private final Map<Reason, Long> unlogged = new EnumMap<>(Reason.class);
    private long logged;
    private long unloggedTotal;
    /** When the first record of the current summary was counted. */
    private Instant since;

    /**
     * @param logFirst        invalid records of the shard logged one by one; at least 0
     * @param summaryInterval the least time between two summary lines; positive
     * @param out             receives each finished line
     */
    InvalidRecordLog(String shardId, int logFirst, Duration summaryInterval, Clock clock, Consumer<String> out) {
        if (logFirst < 0) {
            throw new IllegalArgumentException("logFirst must be >= 0, found " + logFirst);
        }
        if (summaryInterval.isNegative() || summaryInterval.isZero()) {
            throw new IllegalArgumentException("summaryInterval must be positive, found " + summaryInterval);
        }
        this.shardId = shardId;
        this.logFirst = logFirst;
        this.summaryInterval = summaryInterval;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** An invalid record at a position ({@code <sequence>/<subSequence>}) of the shard. */
    void invalid(String position, InvalidEventException e) {
        if (logged < logFirst) {
            logged++;
            out.accept("Invalid record in shard " + shardId + " at " + position + ": " + e.reason().label() + ": "
                    + e.getMessage() + (logged == logFirst ? " (further invalid records of this shard are counted and"
                    + " summarized at most once every " + summaryInterval.toSeconds() + " s)" : ""));
            return;
        }
        if (unloggedTotal == 0) {
            since = clock.instant();
        }
        unlogged.merge(e.reason(), 1L, Long::sum);
        unloggedTotal++;
        tick();
    }

    /** Writes the summary if records were counted and the interval has passed since the first of them. */
    void tick() {
        if (unloggedTotal > 0 && !clock.instant().isBefore(since.plus(summaryInterval))) {
            flush();
        }
    }

    /** Writes the summary of the records counted so far, if any. */
    void flush() {
        if (unloggedTotal == 0) {
            return;
        }
        StringJoiner byReason = new StringJoiner(", ");
        unlogged.forEach((reason, n) -> byReason.add(reason.label() + "=" + n));
        out.accept(unloggedTotal + " more invalid records in shard " + shardId + " since " + since
                + ", not logged one by one: " + byReason);
        unlogged.clear();
        unloggedTotal = 0;
        since = null;
    }
}
