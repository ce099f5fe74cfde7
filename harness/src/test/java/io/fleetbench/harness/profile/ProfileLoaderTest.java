package io.fleetbench.harness.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileLoaderTest {
    private final ProfileLoader loader = new ProfileLoader();

    private String error(String yaml) {
        return assertThrows(ProfileException.class, () -> loader.parse("p.yaml", yaml)).getMessage();
    }

    @Test
    void readsAFullProfileWithUnits() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", """
                name: steady
                duration: 1h30m
                rate: 11574
                fleet: {seed: 7, cars: 10, bikes: 0}
                stream: {name: s1, shards: 4}
                sink: {maxLatency: 500ms, targetFileSize: 64MiB}
                drain: {timeout: 2m}
                """);
        assertEquals(Duration.ofMinutes(90), p.duration());
        assertEquals(11574, p.rate());
        assertEquals(10, p.fleet().cars());
        assertEquals(4, p.stream().shards());
        assertEquals(Duration.ofMillis(500), p.sink().maxLatency());
        assertEquals(64L << 20, p.sink().targetFileSize().bytes());
        assertEquals(11574L * 5400, p.targetEvents());
    }

    @Test
    void appliesDocumentedDefaults() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", "name: tiny\nduration: 10s\nrate: 100\n");
        assertEquals(1_000, p.fleet().cars());
        assertEquals(500, p.fleet().bikes());
        assertEquals(2, p.stream().shards());
        assertEquals(Duration.ofSeconds(5), p.sink().maxLatency());
        assertEquals(Duration.ofSeconds(60), p.drain().timeout());
    }

    @Test
    void namesFileLineAndKeyOfAnUnknownKey() {
        String m = error("name: x\nduration: 10s\nrate: 5\nfleet:\n  cars: 3\n  colour: red\n");
        assertTrue(m.startsWith("p.yaml:6: unknown key \"fleet.colour\""), m);
        assertTrue(m.contains("bikes, cars, seed"), m);
    }

    @Test
    void namesTheFieldOfABadUnit() {
        String m = error("name: x\nduration: 10 parsecs\nrate: 5\n");
        assertTrue(m.startsWith("p.yaml:2: duration: "), m);
        assertTrue(m.contains("10 parsecs"), m);
    }

    @Test
    void namesTheLineOfAnImpossibleValue() {
        String m = error("name: x\nduration: 10s\nrate: 5\nfleet:\n  cars: -3\n");
        assertEquals("p.yaml:5: fleet.cars must not be negative, found -3", m);
        assertEquals("p.yaml:3: rate must be in (0, 10000000] events/s, found 0.0", error("name: x\nduration: 10s\nrate: 0\n"));
    }

    @Test
    void refusesAWrongTypeAndAMissingKey() {
        assertTrue(error("name: x\nduration: 10s\nrate: fast\n").startsWith("p.yaml:3: rate: "));
        String m = error("name: x\nrate: 5\n");
        assertTrue(m.contains("duration"), m);
    }

    @Test
    void namesAMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        String m = assertThrows(ProfileException.class, () -> loader.load(missing)).getMessage();
        assertEquals(missing + ": no such load profile file", m);
    }

    @Test
    void everyShippedProfileLoads() throws Exception {
        Path dir = io.fleetbench.harness.stack.ProjectHome.locate().resolve("loadprofiles");
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                assertTrue(loader.load(f).targetEvents() > 0, f.toString());
            }
        }
    }
}
