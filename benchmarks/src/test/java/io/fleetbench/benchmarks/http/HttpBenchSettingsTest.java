package io.fleetbench.benchmarks.http;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpBenchSettingsTest {
    @Test
    void optionsOverrideTheDefaults() {
        HttpBenchSettings s = HttpBenchSettings.parse(List.of("--connections", "32", "--duration", "10s", "--warmup",
                "0", "--tick", "1ms", "--out", "/tmp/x"));

        assertEquals(32, s.connections());
        assertEquals(Duration.ofSeconds(10), s.duration());
        assertEquals(Duration.ZERO, s.warmup());
        assertEquals(Duration.ofMillis(1), s.tick());
        assertEquals(Path.of("/tmp/x"), s.out());
        assertEquals(HttpBenchSettings.defaults().rounds(), s.rounds());
    }

    @Test
    void badOptionsAreNamedInTheMessage() {
        assertMessage("unknown option \"--rate\"", "--rate", "5");
        assertMessage("--duration must be whole seconds such as 20s, found \"1.5s\"", "--duration", "1.5s");
        assertMessage("--connections must be in [1, 10000], found 0", "--connections", "0");
        assertMessage("--rounds needs a value", "--rounds");
        assertMessage("--tick must be whole milliseconds in [1ms, 1000ms], found PT0S", "--tick", "0ms");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpBenchSettings.parse(List.of(args)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
