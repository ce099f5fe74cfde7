package io.fleetbench.simulator;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DueHeapTest {

    @Test
    void topIsTheEarliestDueLowestIndexFirstAlsoAfterOutOfOrderMoves() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 17, 1_000}) {
            long[] due = new long[n];
            for (int d = 0; d < n; d++) {
                // Few distinct times, so many devices are due together.
                due[d] = r.nextLong(n / 4 + 2);
            }
            // Every third device, in no particular order, and all of them.
            int[] some = IntStream.range(0, n).filter(d -> d % 3 == 0).map(d -> n - 1 - d).toArray();
            int[] all = IntStream.range(0, n).toArray();
            DueHeap part = new DueHeap(due, some.clone());
            DueHeap whole = new DueHeap(due, all.clone());
            for (int step = 0; step < 20 * n; step++) {
                int top = whole.peek();
                assertEquals(earliest(due, all), top, "n=" + n + ", step " + step);
                int partTop = part.peek();
                assertEquals(earliest(due, some), partTop, "part of n=" + n + ", step " + step);
                // Mostly the top moves on; now and then the top of the part or any device does, out of heap order.
                int moved = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt(n);
                    case 1 -> partTop;
                    default -> top;
                };
                due[moved] += 1 + r.nextLong(n / 4 + 2);
            }
        }
    }

    @Test
    void refusesAnEmptyHeap() {
        assertThrows(IllegalArgumentException.class, () -> new DueHeap(new long[3], new int[0]));
    }

    private static int earliest(long[] due, int[] devices) {
        int best = Integer.MAX_VALUE;
        for (int d : devices) {
            if (best == Integer.MAX_VALUE || due[d] < due[best] || due[d] == due[best] && d < best) {
                best = d;
            }
        }
        return best;
    }
}
