package io.fleetbench.runner;

import io.fleetbench.localstack.ProxyFaults;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.simulator.FaultConfig;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileMappingTest {

    private static SimulatorConfig map(String yaml) throws Exception {
        LoadProfile profile = new ProfileLoader().parse("p.yaml", yaml);
        return ProfileMapping.simulatorConfig(profile, "s");
    }

    @Test
    void fleetStartAtStartsTheDeviceClocksTodayAtThatTimeOfDay() throws Exception {
        long start = map("""
                name: p
                duration: 10s
                rate: 100
                fleet: {startAt: "08:00"}
                """).fleet().startEpochMillis();
        assertEquals(LocalDate.now(ZoneOffset.UTC).atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli(), start);
        assertEquals(0, map("name: p\nduration: 10s\nrate: 100\n").fleet().startEpochMillis(), "0 is now");
    }

    @Test
    void theProducerSectionMapsOntoTheProducersConfig() throws Exception {
        SimulatorConfig c = map("name: p\nduration: 10s\nrate: 100\n"
                + "producer: {maxInFlightRequests: 8, recordTtl: 20s, apiCallTimeout: 4s, aggregation: true}\n");
        assertEquals(8, c.producerConfig().maxInFlightRequests());
        assertEquals(Duration.ofSeconds(20), c.producerConfig().recordTtl());
        assertEquals(Duration.ofSeconds(4), c.producerConfig().apiCallTimeout());
        assertEquals(Duration.ofSeconds(4), c.apiCallTimeout());
        assertTrue(c.producerConfig().aggregation());
        assertTrue(c.manifest().isEmpty(), "the run names the manifest's file, not the profile");
    }

    @Test
    void aMaximumRateSearchWalksTheStepsTheProfileCounts() throws Exception {
        // The profile counts the search's steps (duration, events) without the simulator; both must agree.
        for (String bounds : new String[] {"{start: 1000, factor: 1.5, maxRate: 20000}",
                "{start: 7, factor: 1.1, maxRate: 10000000}", "{start: 500, factor: 2, maxRate: 500}"}) {
            LoadProfile.MaxRateSearch search = new ProfileLoader().parse("p.yaml", """
                    name: p
                    load:
                      maxRateSearch: %s
                    """.formatted(bounds)).load().maxRateSearch();
            assertEquals(search.rates(), ProfileMapping.searchSettings(search).rates(), bounds);
        }
    }

    @Test
    void mapsEveryFaultOntoTheFleet() throws Exception {
        FaultConfig f = map("""
                name: p
                duration: 10m
                rate: 100
                faults:
                  offline: {share: 0.02, duration: 5m}
                  duplicates: 0.01
                  clockDrift: {share: 0.05, max: 90s}
                  malformed: 0.001
                  schemaChange: {at: 25%, version: 3}
                """).fleet().faults();
        assertEquals(0.02, f.offlineShare());
        assertEquals(Duration.ofMinutes(5), f.offlineDuration());
        assertEquals(0.01, f.duplicates());
        assertEquals(0.05, f.clockDriftShare());
        assertEquals(Duration.ofSeconds(90), f.clockDriftMax());
        assertEquals(0.001, f.malformed());
        assertEquals(Duration.ofSeconds(150), f.schemaChangeAt().orElseThrow());
        assertEquals(3, f.schemaChangeVersion());
    }

    @Test
    void aFleetDrivenLoadStartsDeviceClocksTodayAtStartAt() throws Exception {
        FleetConfig fleet = map("""
                name: p
                duration: 1h
                load: {fleetDriven: {timeCompression: 24, startAt: "06:30"}}
                """).fleet();
        assertEquals(24, fleet.fleetDriven().orElseThrow().timeCompression());
        long expected = LocalDate.now(ZoneOffset.UTC).atTime(6, 30).toInstant(ZoneOffset.UTC).toEpochMilli();
        assertEquals(expected, fleet.startEpochMillis());
    }

    @Test
    void mapsTheInfrastructureSectionOntoTheProxysFaults() throws Exception {
        ProxyFaults faults = ProfileMapping.proxyFaults(new ProfileLoader().parse("p.yaml", """
                name: p
                duration: 10m
                rate: 100
                infrastructure:
                  targets: [PutRecords, GetRecords]
                  seed: 9
                  latency: {delay: 40ms, jitter: 10ms}
                  resets: {before: 0.01, after: 0.02}
                  errors: {internalFailure: 0.03, serviceUnavailable: 0.04}
                  stall: {at: 30s, duration: 8s}
                """));

        assertEquals(new ProxyFaults(List.of("PutRecords", "GetRecords"), Duration.ofMillis(40), Duration.ofMillis(10),
                0.01, 0.02, 0.03, 0.04, Duration.ofSeconds(30), Duration.ofSeconds(8), 9), faults);
    }

    @Test
    void noInfrastructureSectionIsNoFaultWithTheFleetsSeed() throws Exception {
        ProxyFaults faults = ProfileMapping.proxyFaults(new ProfileLoader().parse("p.yaml",
                "name: p\nduration: 10s\nrate: 100\nfleet: {seed: 17}\ninfrastructure: {latency: 5ms}\n"));
        assertEquals(ProxyFaults.none().withSeed(17).withLatency(Duration.ofMillis(5), Duration.ZERO), faults);
        assertFalse(ProfileMapping.proxyFaults(new ProfileLoader().parse("p.yaml", "name: p\nduration: 10s\nrate: 100\n"))
                .any());
    }

    @Test
    void anArrivalRateProfileHasNoFleetDrivenModeAndNoFaults() throws Exception {
        FleetConfig fleet = map("name: p\nduration: 10s\nrate: 100\n").fleet();
        assertTrue(fleet.fleetDriven().isEmpty());
        assertEquals(0, fleet.faults().duplicates());
        assertEquals(0, fleet.faults().malformed());
    }
}
