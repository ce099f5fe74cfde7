package io.fleetbench.profile;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code infrastructure} section: faults on the Kinesis API path, read, defaulted and refused with file, line and key. */
class InfrastructureProfileTest {
    private static final String HEAD = "name: x\nduration: 1m\nrate: 100\nfleet: {seed: 42}\n";
    private final ProfileLoader loader = new ProfileLoader();

    private LoadProfile parse(String section) throws ProfileException {
        return loader.parse("p.yaml", HEAD + section);
    }

    private String error(String section) {
        return assertThrows(ProfileException.class, () -> loader.parse("p.yaml", HEAD + section)).getMessage();
    }

    @Test
    void noSectionMeansNoFaultsOnThePutsWithTheFleetsSeed() throws ProfileException {
        LoadProfile.Infrastructure inf = parse("").infrastructure();

        assertFalse(inf.any());
        assertEquals(List.of("PutRecords", "PutRecord"), inf.targets());
        assertEquals(42L, inf.seed());
        assertNull(inf.latency());
        assertNull(inf.stall());
        assertEquals(0.0, inf.resets().before());
        assertEquals(0.0, inf.errors().serviceUnavailable());
        assertFalse(ProfileSummary.describe(parse("")).contains("infrastructure"));
    }

    @Test
    void readsEveryFault() throws ProfileException {
        LoadProfile p = parse("""
                infrastructure:
                  targets: [PutRecords, GetRecords]
                  seed: 7
                  latency: {delay: 50ms, jitter: 20ms}
                  resets: {before: 0.01, after: 0.02}
                  errors: {internalFailure: 0.03, serviceUnavailable: 0.04}
                  stall: {at: 20s, duration: 5s}
                """);
        LoadProfile.Infrastructure inf = p.infrastructure();

        assertTrue(inf.any());
        assertEquals(List.of("PutRecords", "GetRecords"), inf.targets());
        assertEquals(7L, inf.seed());
        assertEquals(Duration.ofMillis(50), inf.latency().delay());
        assertEquals(Duration.ofMillis(20), inf.latency().jitter());
        assertEquals(0.01, inf.resets().before());
        assertEquals(0.02, inf.resets().after());
        assertEquals(0.03, inf.errors().internalFailure());
        assertEquals(0.04, inf.errors().serviceUnavailable());
        assertEquals(Duration.ofSeconds(20), inf.stall().at());
        assertEquals(Duration.ofSeconds(5), inf.stall().duration());
        String summary = ProfileSummary.describe(p);
        assertTrue(summary.contains("infrastructure faults on PutRecords, GetRecords: a stall of 5s from 20s after the"
                + " first put, latency 50ms + up to 20ms, 1.00 % reset before forwarding, 2.00 % reset after forwarding,"
                + " 3.00 % HTTP 500, 4.00 % HTTP 503 (seed 7)"), summary);
    }

    @Test
    void aLatencyCanBeOnlyItsDelayAndEachFaultStandsAlone() throws ProfileException {
        LoadProfile.Infrastructure latency = parse("infrastructure: {latency: 80ms}\n").infrastructure();
        assertEquals(Duration.ofMillis(80), latency.latency().delay());
        assertEquals(Duration.ZERO, latency.latency().jitter());
        assertTrue(latency.any());

        assertTrue(parse("infrastructure: {resets: {after: 0.5}}\n").infrastructure().any());
        assertTrue(parse("infrastructure: {errors: {serviceUnavailable: 1}}\n").infrastructure().any());
        assertTrue(parse("infrastructure: {stall: {at: 10s, duration: 3s}}\n").infrastructure().any());
        assertFalse(parse("infrastructure: {targets: [GetRecords]}\n").infrastructure().any(), "targets alone inject nothing");
    }

    @Test
    void refusesSharesOutsideZeroToOneAndSharesThatAddUpToMoreThanOne() {
        assertEquals("p.yaml:7: infrastructure.resets.before must be a share in [0, 1], found 1.5",
                error("infrastructure:\n  resets:\n    before: 1.5\n"));
        assertEquals("p.yaml:7: infrastructure.errors.internalFailure must be a share in [0, 1], found -0.1",
                error("infrastructure:\n  errors:\n    internalFailure: -0.1\n"));
        String m = error("infrastructure:\n  resets: {before: 0.5, after: 0.3}\n  errors: {internalFailure: 0.3}\n");
        assertTrue(m.startsWith("p.yaml:5: infrastructure resets.before + resets.after + errors.internalFailure"
                + " + errors.serviceUnavailable must be at most 1 (a call meets at most one of them), found 1.1"), m);
    }

    @Test
    void refusesDurationsThatAreNotPositive() {
        String m = error("infrastructure:\n  latency: {delay: 0s}\n");
        assertTrue(m.startsWith("p.yaml:6: infrastructure.latency.delay: a duration must be positive"), m);
        m = error("infrastructure:\n  stall: {at: 10s, duration: 0ms}\n");
        assertTrue(m.startsWith("p.yaml:6: infrastructure.stall.duration: a duration must be positive"), m);
        m = error("infrastructure:\n  latency: {delay: 10s, jitter: soon}\n");
        assertTrue(m.startsWith("p.yaml:6: infrastructure.latency.jitter: "), m);
        assertEquals("p.yaml:6: infrastructure.latency must be a positive duration such as 50ms, or {delay, jitter},"
                + " found \"0s\"", error("infrastructure:\n  latency: 0s\n"));
    }

    @Test
    void aStallNeedsItsStartAndItsLength() {
        String m = error("infrastructure:\n  stall: {duration: 5s}\n");
        assertTrue(m.contains("infrastructure.stall") && m.contains("required key is missing: at"), m);
    }

    @Test
    void refusesUnknownKeysAndOperationsWithTheirLine() {
        String m = error("infrastructure:\n  latency: 10ms\n  drops: 0.1\n");
        assertTrue(m.startsWith("p.yaml:7: unknown key \"infrastructure.drops\""), m);
        assertTrue(m.contains("errors, latency, resets, restarts, seed, stall, targets"), m);
        m = error("infrastructure:\n  resets: {before: 0.1, during: 0.1}\n");
        assertTrue(m.startsWith("p.yaml:6: unknown key \"infrastructure.resets.during\""), m);
        m = error("infrastructure:\n  targets:\n    - PutRecords\n    - PutRecordz\n");
        assertTrue(m.startsWith("p.yaml:6: infrastructure.targets[1] names no Kinesis operation: \"PutRecordz\";"
                + " the operations are PutRecords, PutRecord, GetRecords"), m);
        m = error("infrastructure:\n  targets: []\n");
        assertTrue(m.startsWith("p.yaml:6: infrastructure.targets must list at least one Kinesis operation"), m);
    }

    @Test
    void readsTheRestartsOfTheEmulatorsInTheirOrder() throws ProfileException {
        LoadProfile p = parse("""
                infrastructure:
                  restarts:
                    - {emulator: kinesalite, at: 30s}
                    - {emulator: dynalite, at: 8s}
                """);
        LoadProfile.Infrastructure inf = p.infrastructure();

        assertEquals(List.of(new LoadProfile.Restart("kinesalite", Duration.ofSeconds(30)),
                new LoadProfile.Restart("dynalite", Duration.ofSeconds(8))), inf.restarts());
        assertTrue(inf.restarts("dynalite"));
        assertFalse(inf.any(), "a restart is no fault of the proxy");
        assertTrue(ProfileSummary.describe(p).contains("; emulators restarted: kinesalite at 30s, dynalite at 8s"),
                ProfileSummary.describe(p));
        assertEquals(List.of(), parse("").infrastructure().restarts());
        assertFalse(parse("").infrastructure().restarts("kinesalite"));
    }

    @Test
    void refusesARestartOfAnUnknownEmulatorOrOutsideTheLoadWithItsLine() {
        String m = error("infrastructure:\n  restarts:\n    - {emulator: dynalite, at: 5s}\n    - emulator: redis\n      at: 5s\n");
        assertEquals("p.yaml:8: infrastructure.restarts[1].emulator names no emulator of the local stack that can be"
                + " restarted: \"redis\"; the emulators are dynalite, kinesalite", m);
        m = error("infrastructure:\n  restarts:\n    - emulator: dynalite\n      at: 1m\n");
        assertEquals("p.yaml:8: infrastructure.restarts[0].at must be within the load's duration (1m), found 1m", m);
        m = error("infrastructure:\n  restarts:\n    - emulator: dynalite\n      at: 0s\n");
        assertTrue(m.startsWith("p.yaml:8: infrastructure.restarts[0].at: a duration must be positive"), m);
        m = error("infrastructure:\n  restarts:\n    - {emulator: dynalite}\n");
        assertTrue(m.contains("infrastructure.restarts[0]") && m.contains("required key is missing: at"), m);
        m = error("infrastructure:\n  restarts:\n    - {emulator: dynalite, at: 5s, for: 2s}\n");
        assertTrue(m.startsWith("p.yaml:7: unknown key \"infrastructure.restarts[0].for\""), m);
    }
}
