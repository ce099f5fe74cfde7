package io.fleetbench.simulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceQueueTest {

    @Test
    void pollsDevicesInDueOrderAcrossLapsOfTheRing() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 10_000;
        long[] due = new long[n];
        long start = 1_000_000;
        DeviceQueue q = new DeviceQueue(due, start);
        for (int d = 0; d < n; d++) {
            // Up to three days ahead: far beyond the ring's 70 minutes.
            due[d] = start + r.nextLong(3 * 86_400_000L);
            q.add(d);
        }
        long last = Long.MIN_VALUE;
        List<Integer> polled = new ArrayList<>();
        int d;
        while ((d = q.poll(start + 4 * 86_400_000L)) >= 0) {
            assertTrue(due[d] >= last, "due times come out in order");
            last = due[d];
            polled.add(d);
        }
        assertEquals(n, polled.size());
        assertEquals(0, q.size());
    }

    @Test
    void onlyHandsOutWhatIsDueAndRequeuesForLater() {
        long[] due = {105, 100, 5_000_000_000L};
        DeviceQueue q = new DeviceQueue(due, 0);
        for (int d = 0; d < 3; d++) {
            q.add(d);
        }
        assertEquals(-1, q.poll(99));
        assertFalse(q.hasDue(99));
        assertEquals(1, q.poll(104));
        assertEquals(-1, q.poll(104));
        due[1] = 50;
        q.add(1);
        // A device due in the past comes out at the first unpolled millisecond, beside those due then.
        assertEquals(Set.of(0, 1), Set.of(q.poll(105), q.poll(105)));
        assertTrue(q.hasDue(5_000_000_000L));
        assertEquals(2, q.poll(5_000_000_000L));
    }

    @Test
    void peeksAtTheNextDeviceAndHandsOutTheEarliestWithoutALimit() {
        long[] due = {5_000_000_000L, 300, 20_000_000_000L};
        DeviceQueue q = new DeviceQueue(due, 0);
        for (int d = 0; d < 3; d++) {
            q.add(d);
        }
        assertEquals(-1, q.peek(299));
        assertEquals(1, q.peek(DeviceQueue.ANY_TIME));
        assertEquals(1, q.peek(DeviceQueue.ANY_TIME), "peeking leaves the device queued");
        assertEquals(3, q.size());
        assertEquals(1, q.poll(DeviceQueue.ANY_TIME));
        // Beyond many laps of the ring.
        assertEquals(0, q.poll(DeviceQueue.ANY_TIME));
        assertEquals(2, q.peek(DeviceQueue.ANY_TIME));
        assertEquals(2, q.poll(DeviceQueue.ANY_TIME));
        assertEquals(-1, q.peek(DeviceQueue.ANY_TIME));
        assertEquals(-1, q.poll(DeviceQueue.ANY_TIME));
    }
}
