package io.fleetbench.runner.audit;

/**
 * One bit per event of a fleet, indexed as {@link ExpectedEvents#index} numbers them: a billion
 * events cost 125 MB. Not thread-safe.
 */
final class EventBitmap {
    private final long[] words;
    private final long size;

    EventBitmap(long size) {
        if (size < 0 || size > (long) Integer.MAX_VALUE * 64 - 64) {
            throw new IllegalArgumentException("a bitmap holds 0 to " + ((long) Integer.MAX_VALUE * 64 - 64)
                    + " bits, asked for " + size);
        }
        this.size = size;
        this.words = new long[(int) ((size + 63) >>> 6)];
    }

    long size() {
        return size;
    }

    boolean get(long i) {
        return (words[(int) (i >>> 6)] & 1L << i) != 0;
    }

    void set(long i) {
        words[(int) (i >>> 6)] |= 1L << i;
    }

    /** Sets bit {@code i} and says whether it was set before. */
    boolean getAndSet(long i) {
        int w = (int) (i >>> 6);
        long mask = 1L << i;
        boolean was = (words[w] & mask) != 0;
        words[w] |= mask;
        return was;
    }

    /** Sets bits {@code from} to {@code to}, both included. */
    void setRange(long from, long to) {
        for (long i = from; i <= to; i++) {
            if ((i & 63) == 0 && to - i >= 63) {
                words[(int) (i >>> 6)] = -1L;
                i += 63;
            } else {
                set(i);
            }
        }
    }

    long cardinality() {
        long n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** The word {@code w}: bits {@code 64w} to {@code 64w + 63}. */
    long word(int w) {
        return words[w];
    }

    int wordCount() {
        return words.length;
    }
}
