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
import java.util.stream.IntStream;

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
        Fleet otherSeed = new Fleet(CONFIG.withSeed(43));
        TelemetryEvent other;
        do {
            other = otherSeed.next(START);
        } while (!other.deviceId().equals(first.deviceId()));
        assertEquals(1, other.seq());
        assertNotEquals(first.eventId(), other.eventId());
        assertNotEquals(Events.withProducedAt(first, 0), Events.withProducedAt(other, 0));
    }

    @Test
    void aDevicesEventsAreTheSameInEitherModeAndWhateverTheRestOfTheFleet() {
        Fleet arrival = new Fleet(CONFIG.withDevices(3, 2));
        Map<String, List<TelemetryEvent>> byArrival = new HashMap<>();
        TelemetryEvent e;
        do {
            e = arrival.next(0);
            byArrival.computeIfAbsent(e.deviceId(), k -> new ArrayList<>()).add(e);
        } while (e.eventTimeMillis() < START + 86_400_000L);
        Fleet driven = new Fleet(CONFIG.withDevices(10, 12));
        driven.prepareFleetDriven();
        Map<String, List<TelemetryEvent>> byDriven = new HashMap<>();
        int d;
        while ((d = driven.pollDue(START + 2 * 86_400_000L)) >= 0) {
            TelemetryEvent x = driven.advance(d, 0);
            byDriven.computeIfAbsent(x.deviceId(), k -> new ArrayList<>()).add(x);
        }
        for (String device : List.of("car-000001", "car-000002", "bike-000001")) {
            List<TelemetryEvent> x = byArrival.get(device);
            List<TelemetryEvent> y = byDriven.get(device);
            assertTrue(x.size() >= 100, device + " sent " + x.size() + " events in a day");
            assertTrue(y.size() > x.size(), device + " sent " + y.size() + " events in two days");
            assertEquals(x, y.subList(0, x.size()), device);
        }
    }

    @Test
    void underAFixedRateTheDeviceDueEarliestSendsNext() {
        // From 07:00, so that cars drive as well as bikes ride.
        Fleet fleet = new Fleet(CONFIG.withDevices(30, 20).withStartEpochMillis(START + 7 * 3_600_000L));
        Set<Integer> senders = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < 50_000; i++) {
            long[] dueBefore = new long[fleet.devices()];
            long earliest = Long.MAX_VALUE;
            for (int d = 0; d < fleet.devices(); d++) {
                dueBefore[d] = fleet.dueMillis(d);
                earliest = Math.min(earliest, dueBefore[d]);
            }
            TelemetryEvent e = fleet.next(START);
            int sender = fleet.lastDevice();
            assertEquals(fleet.deviceId(sender), e.deviceId());
            assertEquals(earliest, e.eventTimeMillis(), "event " + i + " of device " + sender);
            assertEquals(earliest, dueBefore[sender], "event " + i + " of device " + sender);
            assertTrue(fleet.dueMillis(sender) > earliest, "event " + i + ": the sender's next event is due later");
            assertTrue(e.eventTimeMillis() >= previous, "event " + i + " went back in device time");
            previous = e.eventTimeMillis();
            senders.add(sender);
        }
        assertTrue(senders.stream().anyMatch(d -> d < 30) && senders.stream().anyMatch(d -> d >= 30),
                "cars and bikes sent: " + senders);
        assertEquals("car-1234567", Fleet.deviceId(true, 1_234_567));
    }

    @Test
    void underAFixedRateTheFleetsDeviceTimeAdvancesAsAWhole() {
        // The steady-1b-per-day fleet from 10:00: events are taken far faster than the fleet sends by
        // itself, so device time runs ahead of the wall clock, but the whole fleet moves together.
        long tenOClock = START + 10 * 3_600_000L;
        Fleet fleet = new Fleet(CONFIG.withDevices(40_000, 10_000).withStartEpochMillis(tenOClock));
        int n = 200_000;
        int window = 10_000;
        long first = 0;
        long last = 0;
        long previous = Long.MIN_VALUE;
        long widest = 0;
        long windowMin = Long.MAX_VALUE;
        long windowMax = Long.MIN_VALUE;
        Set<Long> hours = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long t = fleet.next(tenOClock).eventTimeMillis();
            assertTrue(t >= previous, "event " + i + " at " + t + " went back from " + previous);
            previous = t;
            if (i == 0) {
                first = t;
            }
            last = t;
            hours.add(t / 3_600_000L);
            windowMin = Math.min(windowMin, t);
            windowMax = Math.max(windowMax, t);
            if ((i + 1) % window == 0) {
                widest = Math.max(widest, windowMax - windowMin);
                windowMin = Long.MAX_VALUE;
                windowMax = Long.MIN_VALUE;
            }
        }
        assertTrue(first >= tenOClock && first < tenOClock + 60_000, "first event at " + first);
        assertTrue(last - first < 30 * 60_000L, "the fleet ran " + (last - first) + " ms of device time");
        assertTrue(last - first > 60_000L, "the fleet ran only " + (last - first) + " ms of device time");
        assertTrue(widest < 2 * 60_000L, "10,000 consecutive events spanned " + widest + " ms of device time");
        assertTrue(hours.size() <= 2, "events in " + hours.size() + " hours");
    }

    @Test
    void hotDevicesTakeTheirShareOfTrafficTogetherAheadOfTheFleet() {
        int devices = 10_000;
        Fleet fleet = new Fleet(CONFIG.withDevices(5_000, 5_000).withHotDevices(new HotDevices(0.001, 0.3)));
        Set<Integer> hotDevices = new HashSet<>();
        for (int j = 0; j < 10; j++) {
            hotDevices.add(j * devices / 10);
        }
        int n = 200_000;
        int[] perDevice = new int[devices];
        int hot = 0;
        long fleetTime = Long.MIN_VALUE;
        long hotTime = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long t = fleet.next(0).eventTimeMillis();
            int d = fleet.lastDevice();
            perDevice[d]++;
            assertTrue(t >= fleetTime, "event " + i + " of device " + d + " at " + t + " is behind the fleet at " + fleetTime);
            if (hotDevices.contains(d)) {
                assertTrue(t >= hotTime, "event " + i + " of hot device " + d + " at " + t + " went back from " + hotTime);
                hot++;
                hotTime = t;
            } else {
                fleetTime = t;
            }
        }
        double share = hot / (double) n;
        // The hot devices take 30 % of the events, plus the few they send in due order among all.
        assertTrue(share > 0.29 && share < 0.32, "hot share " + share);
        int busiest = IntStream.range(0, devices).filter(d -> !hotDevices.contains(d)).map(d -> perDevice[d]).max().orElseThrow();
        long hotterThanAnyOther = hotDevices.stream().filter(d -> perDevice[d] > 2 * busiest).count();
        assertTrue(hotterThanAnyOther >= 5, hotterThanAnyOther + " hot devices sent more than twice the "
                + busiest + " events of the busiest other device");
        assertTrue(IntStream.range(5_000, devices).anyMatch(d -> perDevice[d] > 0 && !hotDevices.contains(d)),
                "bikes still send");
        assertTrue(hotTime > fleetTime + 3_600_000L, "hot devices at " + hotTime + " run ahead of the fleet at " + fleetTime);
    }

    @Test
    void aFleetOfHotDevicesOnlySendsInDueOrder() {
        Fleet fleet = new Fleet(CONFIG.withDevices(1, 1).withHotDevices(new HotDevices(0.9, 0.5)));
        long previous = Long.MIN_VALUE;
        Set<String> senders = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            TelemetryEvent e = fleet.next(START);
            assertTrue(e.eventTimeMillis() >= previous, "event " + i + " went back in device time");
            previous = e.eventTimeMillis();
            senders.add(e.deviceId());
        }
        assertEquals(Set.of("car-000000", "bike-000000"), senders);
    }

    @Test
    void aFleetIsDrivenOneWayOnly() {
        Fleet arrival = new Fleet(CONFIG);
        arrival.next(START);
        assertThrows(IllegalStateException.class, arrival::prepareFleetDriven);
        assertThrows(IllegalStateException.class, () -> arrival.pollDue(START));
        assertThrows(IllegalStateException.class, () -> arrival.advance(0, START));
        Fleet driven = new Fleet(CONFIG);
        driven.pollDue(START);
        assertThrows(IllegalStateException.class, () -> driven.next(START));
        assertThrows(IllegalStateException.class, () -> new Fleet(CONFIG.withFleetDriven(new FleetDriven(1))).next(START));
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
        // From 07:00, when cars start their morning trips.
        Fleet fleet = new Fleet(CONFIG.withStartEpochMillis(START + 7 * 3_600_000L));
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
