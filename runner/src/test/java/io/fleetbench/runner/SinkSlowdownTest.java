package io.fleetbench.runner;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sink slowdown as the system property gives it. */
class SinkSlowdownTest {

    @Test
    void unsetOrBlankIsNoSlowdown() {
        assertEquals(0, SinkSlowdown.parse(null));
        assertEquals(0, SinkSlowdown.parse(" "));
    }

    @Test
    void readsAFraction() {
        assertEquals(0.3, SinkSlowdown.parse("0.3"));
        assertEquals(2.0, SinkSlowdown.parse(" 2 "));
    }

    @Test
    void refusesAnythingButAFiniteFractionNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SinkSlowdown.parse("-0.3"));
        assertEquals("system property fleetbench.test.sinkSlowdown must be a fraction >= 0, such as 0.3; found \"-0.3\"",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SinkSlowdown.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> SinkSlowdown.parse("NaN"));
        assertThrows(IllegalArgumentException.class, () -> SinkSlowdown.parse("Infinity"));
    }
}
