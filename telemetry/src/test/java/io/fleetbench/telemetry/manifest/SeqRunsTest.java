package io.fleetbench.telemetry.manifest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqRunsTest {

    @Test
    void inOrderAddsMakeOneRun() {
        SeqRuns s = new SeqRuns();
        for (long i = 1; i <= 1000; i++) {
            s.add(i);
        }
        assertEquals("1-1000", s.toString());
        assertEquals(1, s.runCount());
        assertEquals(1000, s.count());
    }

    @Test
    void gapsSplitRunsAndFillingAGapJoinsThem() {
        SeqRuns s = new SeqRuns();
        s.addRun(1, 5);
        s.add(8);
        s.addRun(10, 12);
        assertEquals("1-5,8,10-12", s.toString());
        s.add(9);
        assertEquals("1-5,8-12", s.toString());
        s.addRun(6, 7);
        assertEquals("1-12", s.toString());
        s.add(3);
        assertEquals("1-12", s.toString());
        s.addRun(20, 30);
        s.addRun(15, 16);
        s.addRun(14, 25);
        assertEquals("1-12,14-30", s.toString());
        assertTrue(s.contains(14));
        assertFalse(s.contains(13));
        assertFalse(s.contains(31));
    }

    @Test
    void anyOrderOfAddsGivesTheSameSetAsASortedSet() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Long> values = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                values.add(1L + random.nextInt(80));
            }
            Collections.shuffle(values, random);
            SeqRuns s = new SeqRuns();
            TreeSet<Long> expected = new TreeSet<>();
            for (long v : values) {
                s.add(v);
                expected.add(v);
            }
            assertEquals(expected.size(), s.count());
            for (long v = 0; v <= 82; v++) {
                assertEquals(expected.contains(v), s.contains(v), "value " + v + " in " + s);
            }
            for (int i = 1; i < s.runCount(); i++) {
                assertTrue(s.start(i) > s.end(i - 1) + 1, "runs must not touch: " + s);
            }
            assertEquals(s, SeqRuns.parse(s.toString()));
        }
    }

    @Test
    void badRunsAreRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> new SeqRuns().addRun(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new SeqRuns().addRun(5, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeqRuns.parse("1-3,x"));
        assertTrue(e.getMessage().contains("\"x\""), e.getMessage());
    }
}
