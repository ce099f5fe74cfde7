package io.fleetbench.lakesink;

import java.util.Arrays;

/**
 * When the uncommitted rows of a table were produced, in 10 ms buckets, run-length encoded in arrival
 * order: enough to record each row's end-to-end freshness when its commit lands, without holding the
 * rows. Rows mostly arrive in production order, so the runs are few. Not thread-safe.
 */
final class ProducedTimes {
    /** The bucket width in milliseconds. */
    static final long BUCKET_MILLIS = 10;

    /** Receives the freshness of a run of rows: how long after their production they became visible. */
    interface Sink {
        void visibleAfter(long millis, long rows);
    }

    private long[] buckets = new long[16];
    private long[] counts = new long[16];
    private int runs;

    void add(long producedAtMillis) {
        long bucket = Math.floorDiv(producedAtMillis, BUCKET_MILLIS);
        if (runs > 0 && buckets[runs - 1] == bucket) {
            counts[runs - 1]++;
            return;
        }
        if (runs == buckets.length) {
            buckets = Arrays.copyOf(buckets, runs * 2);
            counts = Arrays.copyOf(counts, runs * 2);
        }
        buckets[runs] = bucket;
        counts[runs] = 1;
        runs++;
    }

    /** Reports every row as visible at {@code committedAtMillis}, from the middle of its bucket, and forgets them. */
    void committed(long committedAtMillis, Sink sink) {
        for (int i = 0; i < runs; i++) {
            long producedAt = buckets[i] * BUCKET_MILLIS + BUCKET_MILLIS / 2;
            sink.visibleAfter(committedAtMillis - producedAt, counts[i]);
        }
        clear();
    }

    void clear() {
        runs = 0;
        if (buckets.length > 1024) {
            buckets = new long[16];
            counts = new long[16];
        }
    }

    /** The bytes this holds, for the memory budget. */
    long bytes() {
        return 16L * buckets.length;
    }
}
