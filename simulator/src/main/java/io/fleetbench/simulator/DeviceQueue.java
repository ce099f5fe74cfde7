package io.fleetbench.simulator;

import java.util.Arrays;

/**
 * The devices ordered by when their next event is due: a calendar queue of one-millisecond buckets
 * in a ring, each bucket a singly linked list threaded through an {@code int} per device, so the
 * queue costs 12 bytes per device and no object. A device due beyond the ring's horizon waits in
 * its bucket for as many laps as it needs. Devices due in the same millisecond come out in no
 * particular but reproducible order. Not thread-safe.
 */
final class DeviceQueue {
    /** A time limit no device is due after: {@code poll(ANY_TIME)} hands out the earliest device. */
    static final long ANY_TIME = Long.MAX_VALUE - 1;
    private static final int NONE = -1;
    /** About 70 minutes of one-millisecond buckets, 16 MiB of heads. */
    private static final int RING = 1 << 22;
    private static final int MASK = RING - 1;

    private final int[] heads = new int[RING];
    /** One bit per bucket that holds a device, so runs of empty buckets are skipped 64 at a time. */
    private final long[] occupied = new long[RING / 64];
    private final int[] next;
    private final long[] due;
    private long cursor;
    private int ready = NONE;
    private int size;

    /**
     * An empty queue for devices {@code 0} to {@code due.length - 1}.
     *
     * @param due         when each device is due, epoch milliseconds; shared with the caller, who
     *                    sets a device's entry before {@link #add(int)}
     * @param startMillis the first millisecond that is polled; nothing can be due before it
     */
    DeviceQueue(long[] due, long startMillis) {
        Arrays.fill(heads, NONE);
        this.next = new int[due.length];
        this.due = due;
        cursor = startMillis;
    }

    /**
     * Queues a device that is not queued, due at its entry in the shared due array, moved up to the
     * first unpolled millisecond if that is earlier.
     */
    void add(int device) {
        long d = Math.max(due[device], cursor);
        due[device] = d;
        int b = (int) (d & MASK);
        next[device] = heads[b];
        heads[b] = device;
        occupied[b >>> 6] |= 1L << b;
        size++;
    }

    /** Number of queued devices. */
    int size() {
        return size;
    }

    /**
     * Removes and returns a device due at or before {@code untilMillis}, earliest millisecond first,
     * or -1 if none is.
     */
    int poll(long untilMillis) {
        if (!hasDue(untilMillis)) {
            return NONE;
        }
        int d = ready;
        ready = next[d];
        size--;
        return d;
    }

    /**
     * The device that {@link #poll(long)} would return next, left in the queue, or -1 if none is due
     * at or before {@code untilMillis}.
     */
    int peek(long untilMillis) {
        return hasDue(untilMillis) ? ready : NONE;
    }

    /** Whether a device is due at or before {@code untilMillis}; moves the cursor up to the first due bucket. */
    boolean hasDue(long untilMillis) {
        while (ready == NONE) {
            if (cursor > untilMillis || size == 0) {
                return false;
            }
            long m = nextOccupied(cursor, untilMillis);
            if (m > untilMillis) {
                cursor = untilMillis + 1;
                return false;
            }
            collect(m);
            cursor = m + 1;
        }
        return true;
    }

    /** The first millisecond in [from, until] whose bucket holds a device, or {@code until + 1}. */
    private long nextOccupied(long from, long until) {
        long m = from;
        while (m <= until) {
            int b = (int) (m & MASK);
            long bits = occupied[b >>> 6] >>> (b & 63);
            if (bits != 0) {
                return Math.min(until + 1, m + Long.numberOfTrailingZeros(bits));
            }
            m += 64 - (b & 63);
        }
        return until + 1;
    }

    /** Moves the devices of one bucket that are due at {@code millis} to the ready list. */
    private void collect(long millis) {
        int b = (int) (millis & MASK);
        int prev = NONE;
        int x = heads[b];
        while (x != NONE) {
            int n = next[x];
            if (due[x] <= millis) {
                if (prev == NONE) {
                    heads[b] = n;
                } else {
                    next[prev] = n;
                }
                next[x] = ready;
                ready = x;
            } else {
                prev = x;
            }
            x = n;
        }
        if (heads[b] == NONE) {
            occupied[b >>> 6] &= ~(1L << b);
        }
    }
}
