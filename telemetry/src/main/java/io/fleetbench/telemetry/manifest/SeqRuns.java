package io.fleetbench.telemetry.manifest;

import java.util.Arrays;

/**
 * A set of positive sequence numbers held as sorted, disjoint, non-adjacent closed runs
 * ({@code 1-57,60,62-80}): a device whose events are all acknowledged costs one run however many it
 * sent. Adding in order, or nearly in order, is cheap; adding far out of order costs a shift of the
 * runs after it. Not thread-safe.
 */
public final class SeqRuns {
    /** Run bounds, {@code [start0, end0, start1, end1, ...]}, sorted. */
    private long[] bounds = new long[2];
    private int runs;

    /** Adds one sequence number. */
    public void add(long seq) {
        addRun(seq, seq);
    }

    /**
     * Adds the closed run {@code from..to}.
     *
     * @throws IllegalArgumentException if {@code from < 1} or {@code to < from}
     */
    public void addRun(long from, long to) {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("a run of sequence numbers is from..to with 1 <= from <= to, found "
                    + from + ".." + to);
        }
        // The common case: at or after the end of the last run.
        if (runs == 0 || from > bounds[2 * runs - 1] + 1) {
            append(from, to);
            return;
        }
        if (from >= bounds[2 * runs - 2]) {
            bounds[2 * runs - 1] = Math.max(bounds[2 * runs - 1], to);
            return;
        }
        // First run whose end reaches from - 1, and first run that starts after to + 1.
        int first = firstEndingAtOrAfter(from - 1);
        int after = firstStartingAfter(to + 1);
        if (first == after) {
            insert(first, from, to);
            return;
        }
        long start = Math.min(from, bounds[2 * first]);
        long end = Math.max(to, bounds[2 * after - 1]);
        bounds[2 * first] = start;
        bounds[2 * first + 1] = end;
        int removed = after - first - 1;
        if (removed > 0) {
            System.arraycopy(bounds, 2 * after, bounds, 2 * (first + 1), 2 * (runs - after));
            runs -= removed;
        }
    }

    /** Adds every run of another set. */
    public void addAll(SeqRuns other) {
        for (int i = 0; i < other.runs; i++) {
            addRun(other.bounds[2 * i], other.bounds[2 * i + 1]);
        }
    }

    /** Whether the set holds a sequence number. */
    public boolean contains(long seq) {
        int i = firstEndingAtOrAfter(seq);
        return i < runs && bounds[2 * i] <= seq;
    }

    /** How many sequence numbers the set holds. */
    public long count() {
        long n = 0;
        for (int i = 0; i < runs; i++) {
            n += bounds[2 * i + 1] - bounds[2 * i] + 1;
        }
        return n;
    }

    /** Whether the set is empty. */
    public boolean isEmpty() {
        return runs == 0;
    }

    /** The number of runs. */
    public int runCount() {
        return runs;
    }

    /** The first sequence number of run {@code i}. */
    public long start(int i) {
        return bounds[2 * i];
    }

    /** The last sequence number of run {@code i}. */
    public long end(int i) {
        return bounds[2 * i + 1];
    }

    /** Removes the first run (the lowest sequence numbers); nothing when empty. */
    public void removeFirstRun() {
        if (runs > 0) {
            System.arraycopy(bounds, 2, bounds, 0, 2 * (runs - 1));
            runs--;
        }
    }

    /** The largest sequence number held, 0 when empty. */
    public long max() {
        return runs == 0 ? 0 : bounds[2 * runs - 1];
    }

    /**
     * Parses the form {@link #toString()} writes.
     *
     * @throws IllegalArgumentException naming the bad run
     */
    public static SeqRuns parse(CharSequence text) {
        SeqRuns set = new SeqRuns();
        String s = text.toString();
        if (s.isEmpty()) {
            return set;
        }
        for (String run : s.split(",", -1)) {
            int dash = run.indexOf('-');
            try {
                if (dash < 0) {
                    set.add(Long.parseLong(run));
                } else {
                    set.addRun(Long.parseLong(run.substring(0, dash)), Long.parseLong(run.substring(dash + 1)));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a sequence number or a run from-to, found \"" + run + "\"");
            }
        }
        return set;
    }

    /** The runs as {@code 1-57,60,62-80}; empty for an empty set. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        appendTo(b);
        return b.toString();
    }

    /** Appends {@link #toString()}'s form. */
    public void appendTo(StringBuilder b) {
        for (int i = 0; i < runs; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(bounds[2 * i]);
            if (bounds[2 * i + 1] != bounds[2 * i]) {
                b.append('-').append(bounds[2 * i + 1]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeqRuns other && runs == other.runs
                && Arrays.equals(bounds, 0, 2 * runs, other.bounds, 0, 2 * runs);
    }

    @Override
    public int hashCode() {
        int h = runs;
        for (int i = 0; i < 2 * runs; i++) {
            h = 31 * h + Long.hashCode(bounds[i]);
        }
        return h;
    }

    private void append(long from, long to) {
        ensure(runs + 1);
        bounds[2 * runs] = from;
        bounds[2 * runs + 1] = to;
        runs++;
    }

    private void insert(int at, long from, long to) {
        ensure(runs + 1);
        System.arraycopy(bounds, 2 * at, bounds, 2 * at + 2, 2 * (runs - at));
        bounds[2 * at] = from;
        bounds[2 * at + 1] = to;
        runs++;
    }

    private void ensure(int n) {
        if (2 * n > bounds.length) {
            bounds = Arrays.copyOf(bounds, Math.max(2 * n, bounds.length * 2));
        }
    }

    /** The index of the first run whose end is at least {@code seq}, or {@code runs}. */
    private int firstEndingAtOrAfter(long seq) {
        int lo = 0;
        int hi = runs;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bounds[2 * mid + 1] < seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The index of the first run whose start is above {@code seq}, or {@code runs}. */
    private int firstStartingAfter(long seq) {
        int lo = 0;
        int hi = runs;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bounds[2 * mid] <= seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
