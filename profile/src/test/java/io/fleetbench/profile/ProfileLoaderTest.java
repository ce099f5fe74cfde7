package io.fleetbench.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertEquals(10, p.fleet().cars().count());
        assertEquals(4, p.stream().shards());
        assertEquals(Duration.ofMillis(500), p.sink().maxLatency());
        assertEquals(64L << 20, p.sink().targetFileSize().bytes());
        assertEquals(11574L * 5400, p.targetEvents());
    }

    @Test
    void appliesDocumentedDefaults() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", "name: tiny\nduration: 10s\nrate: 100\n");
        assertEquals(1_000, p.fleet().cars().count());
        assertEquals(500, p.fleet().bikes().count());
        assertEquals(0.3, p.fleet().cars().electricShare());
        assertEquals(Duration.ofMinutes(30), p.fleet().bikes().classes().every());
        assertEquals(16, p.producer().maxInFlightRequests());
        assertFalse(p.producer().aggregation());
        assertFalse(p.faults().any());
        assertEquals(2, p.stream().shards());
        assertEquals(Duration.ofSeconds(5), p.sink().maxLatency());
        assertEquals(Duration.ofSeconds(60), p.drain().timeout());
    }

    @Test
    void compactionIsOnByDefaultAndAimsAtTheSinksFileSize() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", "name: tiny\nduration: 10s\nrate: 100\nsink: {targetFileSize: 64MiB}\n");
        LoadProfile.Compaction c = p.compaction();
        assertTrue(c.enabled());
        assertEquals(Duration.ofSeconds(30), c.interval());
        assertEquals(Duration.ofMinutes(1), c.closedAfter());
        assertFalse(c.includeOpenPartitions());
        assertEquals(4, c.binsPerCommit());
        assertEquals(64L << 20, c.targetFileBytes(p.sink()));
        assertTrue(ProfileSummary.describe(p).contains("compaction every 30s toward 64MiB files, partitions closed for 1m"),
                ProfileSummary.describe(p));
    }

    @Test
    void readsCompactionSettingsAndRefusesATableTheLakeDoesNotHave() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", """
                name: c
                duration: 10s
                rate: 100
                compaction:
                  interval: 5s
                  targetFileSize: 32MiB
                  targetFileSizeByTable: {bike_metrics: 8MiB}
                  closedAfter: 10m
                  includeOpenPartitions: true
                  binsPerCommit: 2
                """);
        LoadProfile.Compaction c = p.compaction();
        assertEquals(Duration.ofSeconds(5), c.interval());
        assertEquals(32L << 20, c.targetFileBytes(p.sink()));
        assertEquals(8L << 20, c.targetFileSizeByTable().get("bike_metrics").bytes());
        assertEquals(Duration.ofMinutes(10), c.closedAfter());
        assertTrue(c.includeOpenPartitions());
        assertEquals(2, c.binsPerCommit());
        assertFalse(loader.parse("p.yaml", "name: c\nduration: 10s\nrate: 100\ncompaction: {enabled: false}\n")
                .compaction().enabled());

        String m = error("name: c\nduration: 10s\nrate: 100\ncompaction:\n  targetFileSizeByTable:\n    bikes: 8MiB\n");
        assertTrue(m.startsWith("p.yaml:6: compaction.targetFileSizeByTable.bikes names no table of the lake; the tables are"
                + " car_telemetry, bike_metrics"), m);
        assertEquals("p.yaml:5: compaction.interval must be at least 1s, found 500ms",
                error("name: c\nduration: 10s\nrate: 100\ncompaction:\n  interval: 500ms\n"));
        assertTrue(error("name: c\nduration: 10s\nrate: 100\ncompaction: {every: 5s}\n")
                .startsWith("p.yaml:4: unknown key \"compaction.every\""));
    }

    @Test
    void namesFileLineAndKeyOfAnUnknownKey() {
        String m = error("name: x\nduration: 10s\nrate: 5\nfleet:\n  cars: 3\n  colour: red\n");
        assertTrue(m.startsWith("p.yaml:6: unknown key \"fleet.colour\""), m);
        assertTrue(m.contains("bikes, cars, hotDevices, seed"), m);
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
        assertEquals("p.yaml:5: fleet.cars must be in [0, 536870912], found -3", m);
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
        Path dir = Path.of("..", "loadprofiles");
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                assertTrue(loader.load(f).targetEvents() > 0, f.toString());
            }
        }
    }

    @Test
    void readsArrivalRateStagesAndDerivesTheDuration() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", """
                name: rush
                load:
                  arrivalRate:
                    stages: [{duration: 1m, target: 5000}, {duration: 5m, target: 5000}, {duration: 10s, target: 20000}]
                """);
        assertEquals(Duration.ofSeconds(370), p.duration());
        // 0->5000 over 60 s, 5000 for 300 s, 5000->20000 over 10 s.
        assertEquals(150_000 + 1_500_000 + 125_000, p.targetEvents());
        assertEquals(0, p.load().arrivalRate().startRate());
    }

    @Test
    void aTopLevelRateIsAOneStageConstantArrivalRate() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", "name: c\nduration: 30s\nrate: 4000\n");
        assertEquals(1, p.load().arrivalRate().stages().size());
        assertEquals(4000, p.load().arrivalRate().startRate());
        assertEquals(120_000, p.targetEvents());
        assertEquals(4000, p.rate(), 1e-9);
    }

    @Test
    void refusesConflictingOrIncompleteLoads() {
        assertEquals("p.yaml:3: rate and load are exclusive: give a constant rate or a load, not both",
                error("name: x\nduration: 10s\nrate: 5\nload:\n  fleetDriven: {}\n"));
        assertEquals("p.yaml:2: load must have exactly one of arrivalRate, fleetDriven, maxRateSearch, found 2",
                error("name: x\nload:\n  fleetDriven: {}\n  maxRateSearch: {}\nduration: 1m\n"));
        assertTrue(error("name: x\nduration: 10s\n").contains("rate or load is required"));
        String m = error("name: x\nload: {fleetDriven: {}}\n");
        assertTrue(m.contains("duration is required with load.fleetDriven"), m);
    }

    @Test
    void refusesStagesThatDoNotAddUpOrGoBelowZero() {
        String m = error("name: x\nduration: 2m\nload:\n  arrivalRate:\n    stages:\n      - {duration: 1m, target: 10}\n");
        assertEquals("p.yaml:2: duration must equal the sum of load.arrivalRate.stages' durations (1m) or be left out, found 2m", m);
        m = error("name: x\nload:\n  arrivalRate:\n    stages:\n      - {duration: 1m, target: 10}\n      - {duration: 1m, target: -5}\n");
        assertTrue(m.startsWith("p.yaml:6: load.arrivalRate.stages[1].target must be in [0, 10000000] events/s (a ramp cannot go below 0), found -5.0"), m);
        m = error("name: x\nload:\n  arrivalRate:\n    stages:\n      - {duration: 1m, target: 10, hold: 1}\n");
        assertTrue(m.startsWith("p.yaml:5: unknown key \"load.arrivalRate.stages[0].hold\""), m);
        m = error("name: x\nload:\n  arrivalRate:\n    stages:\n      - {duration: 1 minute, target: 10}\n");
        assertTrue(m.startsWith("p.yaml:5: load.arrivalRate.stages[0].duration: "), m);
        assertTrue(error("name: x\nload:\n  arrivalRate:\n    stages:\n      - {duration: 1m, target: 0}\n")
                .contains("must intend at least one event"));
    }

    @Test
    void readsTheFleetAsCountsOrMaps() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", """
                name: f
                duration: 1m
                rate: 10
                fleet:
                  cars: {count: 100000, electricShare: 0.5, reportingInterval: 2s}
                  bikes: {count: 20000, classes: {every: 1h, length: 45m, joinWindow: 2m, riders: 0.6}}
                  hotDevices: {share: 0.001, trafficShare: 0.2}
                """);
        assertEquals(100_000, p.fleet().cars().count());
        assertEquals(0.5, p.fleet().cars().electricShare());
        assertEquals(Duration.ofSeconds(2), p.fleet().cars().reportingInterval());
        assertEquals(Duration.ofHours(1), p.fleet().bikes().classes().every());
        assertEquals(0.6, p.fleet().bikes().classes().riders());
        assertEquals(0.2, p.fleet().hotDevices().trafficShare());
    }

    @Test
    void refusesSharesOutsideZeroToOne() {
        assertEquals("p.yaml:5: fleet.cars.electricShare must be a share in [0, 1], found 1.5",
                error("name: x\nduration: 1m\nrate: 1\nfleet:\n  cars: {count: 1, electricShare: 1.5}\n"));
        assertEquals("p.yaml:5: faults.duplicates must be a share in [0, 1], found -0.1",
                error("name: x\nduration: 1m\nrate: 1\nfaults:\n  duplicates: -0.1\n"));
        assertTrue(error("name: x\nduration: 1m\nrate: 1\nfleet:\n  hotDevices: {share: 0.01}\n")
                .startsWith("p.yaml:5: fleet.hotDevices needs both share and trafficShare"));
        assertTrue(error("name: x\nduration: 1m\nrate: 1\nfaults:\n  schemaChange: {at: 150%}\n")
                .startsWith("p.yaml:5: faults.schemaChange.at must be a percentage"));
    }

    @Test
    void readsFaultsProducerAndSearch() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", """
                name: s
                load:
                  maxRateSearch: {start: 1000, factor: 2, stepDuration: 10s, maxRate: 8000}
                faults:
                  offline: {share: 0.01, duration: 10m}
                  duplicates: 0.001
                  clockDrift: {share: 0.05, max: 2m}
                  malformed: 0.0005
                  schemaChange: {at: 50%, version: 2}
                producer: {aggregation: true, maxInFlightRequests: 8, recordTtl: 1m, shardLimits: true}
                """);
        // Steps of 10 s at 1,000, 2,000, 4,000 and 8,000 events/s.
        assertEquals(Duration.ofSeconds(40), p.duration());
        assertEquals(150_000, p.targetEvents());
        assertEquals(0.5, p.faults().schemaChange().share());
        assertTrue(p.faults().any());
        assertTrue(p.producer().aggregation() && p.producer().shardLimits());
        assertEquals(Duration.ofSeconds(1), p.load().maxRateSearch().maxP99());
        assertTrue(ProfileSummary.describe(p).contains("1,000, 2,000, 4,000, 8,000 events/s"), ProfileSummary.describe(p));
    }

    @Test
    void aFleetDrivenLoadCountsAtMostEveryDeviceAtEveryInterval() throws ProfileException {
        LoadProfile p = loader.parse("p.yaml", """
                name: day
                duration: 1h
                load: {fleetDriven: {timeCompression: 24, startAt: "06:00"}}
                fleet: {cars: 1000, bikes: 0}
                """);
        assertEquals(java.time.LocalTime.of(6, 0), p.load().fleetDriven().startAt());
        assertEquals(1000L * 3600 * 24, p.targetEvents());
        assertTrue(error("name: x\nduration: 1h\nload: {fleetDriven: {startAt: \"25:00\"}}\n")
                .startsWith("p.yaml:3: load.fleetDriven.startAt: "));
    }

    @Test
    void theApiCallTimeoutIsAProducerOptionShorterThanTheRecordTimeToLive() throws ProfileException {
        assertEquals(Duration.ofSeconds(10), loader.parse("p.yaml", "name: x\nduration: 1m\nrate: 1\n")
                .producer().apiCallTimeout());
        assertEquals(Duration.ofSeconds(3), loader.parse("p.yaml", "name: x\nduration: 1m\nrate: 1\n"
                + "producer: {apiCallTimeout: 3s}\n").producer().apiCallTimeout());
        assertEquals(Duration.ofMillis(2_500), loader.parse("p.yaml", "name: x\nduration: 1m\nrate: 1\n"
                + "producer: {recordTtl: 5s}\n").producer().apiCallTimeout(), "by default half a short time-to-live");
        LoadProfile p = loader.parse("p.yaml", "name: x\nduration: 1m\nrate: 1\nproducer: {apiCallTimeout: 1500ms}\n");
        assertTrue(ProfileSummary.describe(p).contains("ttl 30s, call timeout 1500ms"), ProfileSummary.describe(p));

        String m = error("name: x\nduration: 1m\nrate: 1\nproducer:\n  recordTtl: 30s\n  apiCallTimeout: 40s\n");
        assertTrue(m.startsWith("p.yaml:6: producer.apiCallTimeout must be shorter than producer.recordTtl (30s),"
                + " found 40s: a call that times out is retried only while its records' time-to-live lasts"), m);
        m = error("name: x\nduration: 1m\nrate: 1\nproducer:\n  apiCallTimeout: 30s\n");
        assertTrue(m.startsWith("p.yaml:5: producer.apiCallTimeout must be shorter than producer.recordTtl"), m);
        m = error("name: x\nduration: 1m\nrate: 1\nproducer:\n  apiCallTimeout: 0s\n");
        assertTrue(m.startsWith("p.yaml:5: producer.apiCallTimeout"), m);
        m = error("name: x\nduration: 1m\nrate: 1\nproducer:\n  apiCallTimeout: soon\n");
        assertTrue(m.startsWith("p.yaml:5: producer.apiCallTimeout") && m.contains("a duration such as 30s"), m);
    }
}
