package io.fleetbench.simulator;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetTest {
    /** 2026-01-01T00:00Z. */
    static final long START = 1_767_225_600_000L;
    private static final FleetConfig CONFIG = FleetConfig.defaults().withDevices(100, 100).withStartEpochMillis(START);

    @Test
    void theSameSeedGivesTheSameEventsPerDevice() {
        Fleet a = new Fleet(CONFIG);
        Fleet b = new Fleet(CONFIG);
        for (int i = 0; i < 20_000; i++) {
            TelemetryEvent x = a.next(START + i);
            TelemetryEvent y = b.next(START + 7 * i + 3);
            assertEquals(Events.withProducedAt(x, 0), Events.withProducedAt(y, 0), "event " + i);
        }
        TelemetryEvent first = new Fleet(CONFIG).next(START);
        TelemetryEvent other = new Fleet(CONFIG.withSeed(43)).next(START);
        assertEquals(first.deviceId(), other.deviceId());
        assertNotEquals(first.eventId(), other.eventId());
        assertNotEquals(Events.withProducedAt(first, 0), Events.withProducedAt(other, 0));
    }

    @Test
    void aDevicesEventsAreTheSameInEitherModeAndWhateverTheRestOfTheFleet() {
        Fleet arrival = new Fleet(CONFIG.withDevices(3, 2));
        Map<String, List<TelemetryEvent>> byArrival = new HashMap<>();
        for (int i = 0; i < 5 * 400; i++) {
            TelemetryEvent e = arrival.next(0);
            byArrival.computeIfAbsent(e.deviceId(), k -> new ArrayList<>()).add(e);
        }
        Fleet driven = new Fleet(CONFIG.withDevices(10, 12));
        driven.prepareFleetDriven();
        Map<String, List<TelemetryEvent>> byDriven = new HashMap<>();
        int d;
        while ((d = driven.pollDue(START + 2 * 86_400_000L)) >= 0) {
            TelemetryEvent e = driven.advance(d, 0);
            byDriven.computeIfAbsent(e.deviceId(), k -> new ArrayList<>()).add(e);
        }
        for (String device : List.of("car-000001", "car-000002", "bike-000001")) {
            List<TelemetryEvent> x = byArrival.get(device);
            List<TelemetryEvent> y = byDriven.get(device);
            assertEquals(400, x.size());
            assertTrue(y.size() >= 400, device + " sent " + y.size() + " events in two days");
            assertEquals(x, y.subList(0, 400), device);
        }
    }

    @Test
    void underAFixedRateDevicesSendInTurnEachOnItsOwnTimeline() {
        Fleet fleet = new Fleet(CONFIG.withDevices(2, 2));
        List<TelemetryEvent> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            events.add(fleet.next(START));
        }
        assertEquals(List.of("car-000000", "car-000001", "bike-000000", "bike-000001",
                "car-000000", "car-000001", "bike-000000", "bike-000001"),
                events.stream().map(TelemetryEvent::deviceId).toList());
        assertEquals(List.of(1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L), events.stream().map(TelemetryEvent::seq).toList());
        assertTrue(events.get(4).eventTimeMillis() > events.get(0).eventTimeMillis());
        assertEquals("car-1234567", Fleet.deviceId(true, 1_234_567));
        assertThrows(IllegalStateException.class, fleet::prepareFleetDriven);
    }

    @Test
    void hotDevicesTakeTheirShareOfTraffic() {
        Fleet fleet = new Fleet(CONFIG.withDevices(5_000, 5_000).withHotDevices(new HotDevices(0.001, 0.3)));
        Map<String, Integer> perDevice = new HashMap<>();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            perDevice.merge(fleet.next(0).deviceId(), 1, Integer::sum);
        }
        List<Integer> counts = new ArrayList<>(perDevice.values());
        counts.sort(null);
        int hot = counts.subList(counts.size() - 10, counts.size()).stream().mapToInt(Integer::intValue).sum();
        double share = hot / (double) n;
        // The 10 hot devices take 30 % of the events plus their round-robin turns (0.1 % of the rest).
        assertTrue(share > 0.28 && share < 0.32, "hot share " + share);
        assertTrue(perDevice.keySet().stream().anyMatch(k -> k.startsWith("bike-")), "bikes still send");
    }

    @Test
    void eventIdsAreUniqueVersion8Uuids() {
        Set<String> ids = new HashSet<>();
        Fleet fleet = new Fleet(CONFIG);
        for (int i = 0; i < 100_000; i++) {
            String id = fleet.next(0).eventId();
            assertTrue(ids.add(id), "duplicate " + id);
        }
        UUID u = UUID.fromString(ids.iterator().next());
        assertEquals(8, u.version());
        assertEquals(2, u.variant());
    }

    @Test
    void everyEventSurvivesTheCodecUnchanged() throws InvalidEventException {
        JsonCodec codec = new JsonCodec();
        Fleet fleet = new Fleet(CONFIG);
        Set<String> families = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            TelemetryEvent e = fleet.next(START + i);
            families.add(e.family().wireName());
            assertEquals(e, codec.decode(codec.encode(e)));
        }
        assertEquals(Set.of("car_telemetry", "car_trip", "car_ignition", "bike_metrics", "bike_session"), families);
        assertTrue(CarTelemetry.class.isRecord() && BikeMetrics.class.isRecord());
    }
}
