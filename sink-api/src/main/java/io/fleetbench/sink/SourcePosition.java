package io.fleetbench.sink;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The position of a record in its source partition (for Kinesis: a shard's sequence number and,
 * for de-aggregated records, the sub-sequence number). Positions within one source are totally
 * ordered; the sink stores the highest one it committed per table and source.
 */
public record SourcePosition(BigInteger sequence, long subSequence) implements Comparable<SourcePosition> {

    public SourcePosition {
        Objects.requireNonNull(sequence, "sequence");
        if (sequence.signum() < 0 || subSequence < 0) {
            throw new IllegalArgumentException("a position must not be negative, found " + sequence + "/" + subSequence);
        }
    }

    /** Parses a decimal sequence number with a sub-sequence number. */
    public static SourcePosition of(String sequence, long subSequence) {
        return new SourcePosition(new BigInteger(sequence), subSequence);
    }

    @Override
    public int compareTo(SourcePosition o) {
        int c = sequence.compareTo(o.sequence);
        return c != 0 ? c : Long.compare(subSequence, o.subSequence);
    }

    /** The form stored in the table's commit metadata: {@code <sequence>/<subSequence>}. */
    @Override
    public String toString() {
        return sequence + "/" + subSequence;
    }

    /** Parses the form written by {@link #toString()}. */
    public static SourcePosition parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected <sequence>/<subSequence>, found \"" + s + "\"");
        }
        return of(s.substring(0, slash), Long.parseLong(s.substring(slash + 1)));
    }
}
