package io.fleetbench.sink;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The position of a record in its source partition (for Kinesis: a shard's sequence number and,
 * for de-aggregated records, the sub-sequence number). Positions within one source are totally
 * ordered; the sink stores the highest one it committed per table and source, and writes each
 * record's position into its row. Immutable; equal when sequence and sub-sequence numbers are.
 */
public final class SourcePosition implements Comparable<SourcePosition> {
    private final BigInteger sequence;
    private final long subSequence;
    /**
     * The sequence number in decimal: the text it was parsed from, or made when first asked for. Writing
     * a row needs it, and converting a Kinesis sequence number (56 digits) to decimal costs more than
     * encoding the rest of the row, while the consumer gets the text from the KCL anyway.
     */
    private String sequenceText;

    /**
     * @param sequence    the sequence number; not negative
     * @param subSequence the sub-sequence number; not negative, 0 for a record that was not aggregated
     */
    public SourcePosition(BigInteger sequence, long subSequence) {
        this(sequence, subSequence, null);
    }

    private SourcePosition(BigInteger sequence, long subSequence, String sequenceText) {
        Objects.requireNonNull(sequence, "sequence");
        if (sequence.signum() < 0 || subSequence < 0) {
            throw new IllegalArgumentException("a position must not be negative, found " + sequence + "/" + subSequence);
        }
        this.sequence = sequence;
        this.subSequence = subSequence;
        this.sequenceText = sequenceText;
    }

    /** Parses a decimal sequence number with a sub-sequence number; the text is kept as the number's decimal form. */
    public static SourcePosition of(String sequence, long subSequence) {
        return new SourcePosition(new BigInteger(sequence), subSequence, isPlainDecimal(sequence) ? sequence : null);
    }

    /** Whether a text is the form {@link BigInteger#toString()} gives: ASCII digits, no sign, no leading zero. */
    private static boolean isPlainDecimal(String s) {
        if (s.isEmpty() || (s.charAt(0) == '0' && s.length() > 1)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The sequence number. */
    public BigInteger sequence() {
        return sequence;
    }

    /** The sub-sequence number: a de-aggregated record's index in its aggregate; 0 for a record not aggregated. */
    public long subSequence() {
        return subSequence;
    }

    /** The sequence number in decimal, as {@link BigInteger#toString()} gives it; made once per position. */
    public String sequenceText() {
        String text = sequenceText;
        if (text == null) {
            // A race only makes the same immutable string twice.
            text = sequence.toString();
            sequenceText = text;
        }
        return text;
    }

    @Override
    public int compareTo(SourcePosition o) {
        int c = sequence.compareTo(o.sequence);
        return c != 0 ? c : Long.compare(subSequence, o.subSequence);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourcePosition p && subSequence == p.subSequence && sequence.equals(p.sequence);
    }

    @Override
    public int hashCode() {
        return 31 * sequence.hashCode() + Long.hashCode(subSequence);
    }

    /** The form stored in the table's commit metadata: {@code <sequence>/<subSequence>}. */
    @Override
    public String toString() {
        return sequenceText() + "/" + subSequence;
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
