package io.fleetbench.lakesink;

/**
 * The last n event ids a writer saw, as 64-bit fingerprints, to recognise a producer's duplicate: the
 * same {@code event_id} again under a new position. The oldest id is forgotten when a new one comes
 * in, so a duplicate is recognised only while its original is among the last n records; two different
 * ids share a fingerprint with a chance of about n / 2^64. Not thread-safe.
 */
final class RecentEventIds {
    private static final long EMPTY = 0;

    private final long[] order;
    private final long[] slots;
    private final int mask;
    private int next;
    private int size;

    RecentEventIds(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, found " + capacity);
        }
        order = new long[capacity];
        int tableSize = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
        slots = new long[tableSize];
        mask = tableSize - 1;
    }

    /** Whether the id is among the remembered ones; if not, it is remembered from now on. */
    boolean seenBefore(String eventId) {
        long f = fingerprint(eventId);
        int i = slot(f);
        while (slots[i] != EMPTY) {
            if (slots[i] == f) {
                return true;
            }
            i = (i + 1) & mask;
        }
        if (size == order.length) {
            remove(order[next]);
        } else {
            size++;
        }
        insert(f);
        order[next] = f;
        next = (next + 1) % order.length;
        return false;
    }

    int size() {
        return size;
    }

    private void insert(long f) {
        int i = slot(f);
        while (slots[i] != EMPTY && slots[i] != f) {
            i = (i + 1) & mask;
        }
        slots[i] = f;
    }

    /** Removes a fingerprint from the linear-probing table, shifting later entries of its run back. */
    private void remove(long f) {
        int i = slot(f);
        while (slots[i] != f) {
            if (slots[i] == EMPTY) {
                return;
            }
            i = (i + 1) & mask;
        }
        slots[i] = EMPTY;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (slots[j] == EMPTY) {
                return;
            }
            int home = slot(slots[j]);
            // Move slots[j] back into the hole at i unless its home lies cyclically in (i, j].
            boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeBetween) {
                slots[i] = slots[j];
                slots[j] = EMPTY;
                i = j;
            }
        }
    }

    private int slot(long f) {
        return (int) (f ^ (f >>> 32)) & mask;
    }

    /** FNV-1a over the characters, then a 64-bit finaliser; never {@value #EMPTY}. */
    static long fingerprint(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }
}
