package io.fleetbench.lakesink;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentEventIdsTest {

    @Test
    void remembersTheLastNIdsAndForgetsTheOldest() {
        RecentEventIds ids = new RecentEventIds(3);
        assertFalse(ids.seenBefore("a"));
        assertFalse(ids.seenBefore("b"));
        assertTrue(ids.seenBefore("a"));
        assertFalse(ids.seenBefore("c"));
        assertFalse(ids.seenBefore("d"), "a is forgotten now");
        assertFalse(ids.seenBefore("a"), "so it counts as new");
        assertTrue(ids.seenBefore("c"));
        assertEquals(3, ids.size());
    }

    @Test
    void agreesWithAPlainSetOverAMillionRandomIds() {
        int capacity = 1_000;
        RecentEventIds ids = new RecentEventIds(capacity);
        ArrayDeque<String> order = new ArrayDeque<>();
        Set<String> window = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 1_000_000; i++) {
            // Draw from 3x the capacity, so ids both repeat within the window and fall out of it.
            String id = "evt-" + random.nextInt(3 * capacity);
            boolean expected = window.contains(id);
            assertEquals(expected, ids.seenBefore(id), "id " + id + " at step " + i);
            if (!expected) {
                if (order.size() == capacity) {
                    window.remove(order.removeFirst());
                }
                order.addLast(id);
                window.add(id);
            }
        }
        assertEquals(window.size(), ids.size());
    }
}
