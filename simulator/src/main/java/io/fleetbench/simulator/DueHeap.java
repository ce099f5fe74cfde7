package io.fleetbench.simulator;

/**
 * Some devices of a fleet (the hot devices under a fixed arrival rate), ordered by when their next
 * event is due: a 4-ary heap of device indexes, each slot keyed by the due time its device had when
 * the slot was last placed, so a slot's children share a cache line of keys and the heap costs 12
 * bytes per device and no object. Devices due in the same millisecond come out lowest index first.
 *
 * <p>Devices stay in the heap when they send: the caller moves a device's due time on, and its slot's
 * key then says it is due earlier than it is. Keys are therefore lower bounds, never too late:
 * {@link #peek()} re-places the top slot until its key is current, after which no device in the heap
 * is due earlier. Not thread-safe.
 */
final class DueHeap {
    private static final int ARITY = 4;

    private final long[] due;
    private final int[] devices;
    private final long[] keys;
    /** The last slot that has children, -1 for a heap of one. */
    private final int lastParent;

    /**
     * A heap of the given devices.
     *
     * @param due     when each device is due, epoch milliseconds; shared with the caller, who may
     *                only move a device's entry later
     * @param devices the distinct indexes into {@code due} of the devices in the heap, at least one;
     *                the heap takes the array over
     */
    DueHeap(long[] due, int[] devices) {
        int n = devices.length;
        if (n == 0) {
            throw new IllegalArgumentException("a heap of due devices needs at least one device");
        }
        this.due = due;
        this.devices = devices;
        this.keys = new long[n];
        this.lastParent = (n - 2) >> 2;
        for (int i = 0; i < n; i++) {
            keys[i] = due[devices[i]];
        }
        for (int i = lastParent; i >= 0; i--) {
            siftDown(i, devices[i], keys[i]);
        }
    }

    /**
     * The device whose next event is due earliest, lowest index first among equals. It stays in
     * the heap: once it has moved its due time on, the next call places it again.
     */
    int peek() {
        int d = devices[0];
        long k = due[d];
        while (keys[0] != k) {
            siftDown(0, d, k);
            d = devices[0];
            k = due[d];
        }
        return d;
    }

    /** Places device {@code d}, keyed {@code k}, at slot {@code i} or below, moving earlier children up. */
    private void siftDown(int i, int d, long k) {
        while (i <= lastParent) {
            int first = i * ARITY + 1;
            int end = Math.min(first + ARITY, devices.length);
            int best = first;
            long bestKey = keys[first];
            for (int c = first + 1; c < end; c++) {
                long ck = keys[c];
                if (ck < bestKey || ck == bestKey && devices[c] < devices[best]) {
                    best = c;
                    bestKey = ck;
                }
            }
            if (k < bestKey || k == bestKey && d < devices[best]) {
                break;
            }
            keys[i] = bestKey;
            devices[i] = devices[best];
            i = best;
        }
        keys[i] = k;
        devices[i] = d;
    }
}
