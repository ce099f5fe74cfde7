package io.fleetbench.simulator;

import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.InvalidEventException.Reason;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectorTest {
    /** From 08:00, at the morning commute's peak, so that many of the devices send. */
    private static final FleetConfig FLEET = FleetConfig.defaults().withDevices(500, 500)
            .withStartEpochMillis(FleetTest.START + 8 * 3_600_000L);
    private final JsonCodec codec = new JsonCodec();

    /** Sends {@code n} events, one per millisecond of run time, and returns every record that came out. */
    private List<OutgoingRecord> run(FaultInjector faults, int n) {
        Fleet fleet = new Fleet(FLEET);
        List<OutgoingRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long now = i * 1_000_000L;
            TelemetryEvent e = fleet.next(1);
            faults.accept(new ScheduledEvent(now, fleet.lastDevice(), e), now);
            OutgoingRecord r;
            while ((r = faults.poll(now)) != null) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void withoutFaultsEveryEventIsSentOnceAsEncoded() throws InvalidEventException {
        FaultInjector faults = new FaultInjector(FaultConfig.none(), 42, 0, new SimpleMeterRegistry());
        List<OutgoingRecord> out = run(faults, 10_000);
        assertEquals(10_000, out.size());
        TelemetryEvent first = codec.decode(out.get(0).data());
        assertEquals(first.deviceId(), out.get(0).partitionKey());
        assertEquals(FaultCounts.NONE, faults.counts());
    }

    @Test
    void countsEveryFaultSoThePipelineCanBeAuditedAgainstIt() {
        FaultConfig config = FaultConfig.none().withDuplicates(0.01).withMalformed(0.005)
                .withClockDrift(0.1, Duration.ofMinutes(2)).withSchemaChange(Duration.ofSeconds(50), 2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FaultInjector faults = new FaultInjector(config, 42, 0, registry);
        int n = 100_000;
        List<OutgoingRecord> out = run(faults, n);
        FaultCounts c = faults.counts();

        long malformed = 0;
        long v2 = 0;
        long drifted = 0;
        Map<String, Integer> ids = new HashMap<>();
        Fleet reference = new Fleet(FLEET);
        Map<String, Long> trueTimes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            TelemetryEvent e = reference.next(1);
            trueTimes.put(e.eventId(), e.eventTimeMillis());
        }
        for (OutgoingRecord r : out) {
            try {
                TelemetryEvent e = codec.decode(r.data());
                ids.merge(e.eventId(), 1, Integer::sum);
                if (e.schemaVersion() == 2) {
                    v2++;
                }
                if (e.eventTimeMillis() != trueTimes.get(e.eventId())) {
                    drifted++;
                    assertTrue(Math.abs(e.eventTimeMillis() - trueTimes.get(e.eventId())) <= 120_000);
                }
            } catch (InvalidEventException e) {
                assertEquals(Reason.MALFORMED_JSON, e.reason(), e.getMessage());
                malformed++;
            }
        }
        long duplicates = ids.values().stream().filter(k -> k > 1).mapToLong(k -> k - 1).sum();
        assertEquals(n + c.duplicates(), out.size(), "sent = generated + duplicates");
        assertEquals(c.malformed(), malformed);
        assertEquals(c.schemaChanged(), v2);
        assertEquals(c.duplicates(), duplicates);
        assertTrue(drifted <= c.clockDrift() && drifted > 0.8 * c.clockDrift() * ids.size() / out.size(),
                "drifted rows " + drifted + ", counted " + c.clockDrift());
        // Only records of the current schema version, the first half of the run, are duplicated.
        assertTrue(c.duplicates() > 0.003 * n && c.duplicates() < 0.007 * n, c.toString());
        assertTrue(c.malformed() > 0.003 * n && c.malformed() < 0.007 * n, c.toString());
        assertTrue(c.schemaChanged() > 0.45 * n && c.schemaChanged() < 0.55 * n, "half the run after the change: " + c);
        assertEquals((double) c.duplicates(), registry.counter("fleetbench.simulator.faults", "fault", "duplicate").count());
        assertEquals((double) c.malformed(), registry.counter("fleetbench.simulator.faults", "fault", "malformed").count());
    }

    @Test
    void offlineDevicesFlushStoredEventsLateAndOutOfOrder() throws InvalidEventException {
        FaultConfig config = FaultConfig.none().withOffline(0.05, Duration.ofSeconds(10));
        FaultInjector faults = new FaultInjector(config, 42, 0, new SimpleMeterRegistry());
        int n = 100_000;
        List<OutgoingRecord> out = run(faults, n);
        FaultCounts c = faults.counts();
        assertEquals(n, out.size() + c.offlinePending() + c.offlineDropped(), "generated = sent + pending + dropped");
        assertTrue(c.offlineDelayed() > 0, c.toString());

        Map<String, Long> acceptedAt = new HashMap<>();
        Fleet reference = new Fleet(FLEET);
        for (int i = 0; i < n; i++) {
            acceptedAt.put(reference.next(1).eventId(), i * 1_000_000L);
        }
        Map<String, Long> lastSeq = new HashMap<>();
        Set<String> devicesOutOfOrder = new HashSet<>();
        long lateRecords = 0;
        for (OutgoingRecord r : out) {
            TelemetryEvent e = codec.decode(r.data());
            Long before = lastSeq.put(e.deviceId(), e.seq());
            if (before != null && e.seq() < before) {
                devicesOutOfOrder.add(e.deviceId());
            }
            long lateBy = r.intendedNanos() - acceptedAt.get(e.eventId());
            if (lateBy > 0) {
                lateRecords++;
                assertTrue(lateBy <= 10_000_000_000L, "flushed within one offline spell: " + lateBy + " ns");
            }
        }
        assertTrue(devicesOutOfOrder.size() > 5, "devices that flushed out of order: " + devicesOutOfOrder.size());
        assertTrue(devicesOutOfOrder.size() <= 0.05 * 1_000 * 2, devicesOutOfOrder.toString());
        assertEquals(c.offlineDelayed(), lateRecords, "exactly the delayed records are sent late");
    }

    @Test
    void aFullOfflineStoreDropsAndCounts() {
        FaultConfig config = FaultConfig.none().withOffline(0.5, Duration.ofSeconds(30)).withOfflineBufferEvents(100);
        FaultInjector faults = new FaultInjector(config, 42, 0, new SimpleMeterRegistry());
        int n = 20_000;
        List<OutgoingRecord> out = run(faults, n);
        FaultCounts c = faults.counts();
        assertTrue(c.offlineDropped() > 0, c.toString());
        assertTrue(c.offlinePending() <= 100, c.toString());
        assertEquals(n, out.size() + c.offlinePending() + c.offlineDropped());
    }
}
