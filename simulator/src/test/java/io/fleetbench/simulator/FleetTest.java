package io.fleetbench.simulator;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetTest {
    private static final long START = 1_767_225_600_000L;
    private static final FleetConfig CONFIG = FleetConfig.defaults().withDevices(100, 100).withStartEpochMillis(START);

    @Test
    void theSameSeedGivesTheSameEventsPerDevice() {
        Fleet a = new Fleet(CONFIG);
        Fleet b = new Fleet(CONFIG);
        for (int i = 0; i < 5_000; i++) {
            TelemetryEvent x = a.next(START + i);
            TelemetryEvent y = b.next(START + 7 * i + 3);
            assertEquals(withProducedAt(x, 0), withProducedAt(y, 0), "event " + i);
        }
        Fleet c = new Fleet(CONFIG.withSeed(43));
        TelemetryEvent first = new Fleet(CONFIG).next(START);
        TelemetryEvent other = c.next(START);
        assertEquals(first.deviceId(), other.deviceId());
        assertNotEquals(first.eventId(), other.eventId());
        assertNotEquals(withProducedAt(first, 0), withProducedAt(other, 0));
    }

    @Test
    void aDevicesEventsDoNotDependOnTheRestOfTheFleet() {
        Fleet small = new Fleet(CONFIG.withDevices(3, 2));
        Fleet large = new Fleet(CONFIG.withDevices(50, 70));
        List<TelemetryEvent> fromSmall = events(small, 5 * 10).stream().filter(e -> e.deviceId().equals("bike-000001")).toList();
        List<TelemetryEvent> fromLarge = events(large, 120 * 10).stream().filter(e -> e.deviceId().equals("bike-000001")).toList();
        assertEquals(10, fromSmall.size());
        for (int i = 0; i < 10; i++) {
            BikeMetrics s = (BikeMetrics) fromSmall.get(i);
            BikeMetrics l = (BikeMetrics) fromLarge.get(i);
            assertEquals(s.eventId(), l.eventId());
            assertEquals(s.powerWatts(), l.powerWatts());
            assertEquals(s.heartRateBpm(), l.heartRateBpm());
        }
    }

    @Test
    void devicesReportInTurnWithRisingSeqAndDeviceTime() {
        Fleet fleet = new Fleet(CONFIG.withDevices(2, 2).withReportingInterval(Duration.ofMillis(1_000)));
        List<TelemetryEvent> events = events(fleet, 8);
        assertEquals(List.of("car-000000", "car-000001", "bike-000000", "bike-000001",
                "car-000000", "car-000001", "bike-000000", "bike-000001"),
                events.stream().map(TelemetryEvent::deviceId).toList());
        assertEquals(List.of(1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L), events.stream().map(TelemetryEvent::seq).toList());
        assertEquals(List.of(0L, 250L, 500L, 750L, 1_000L, 1_250L, 1_500L, 1_750L),
                events.stream().map(e -> e.eventTimeMillis() - START).toList());
        assertEquals(EventFamily.BIKE_METRICS, events.get(2).family());
        assertEquals("car-1234567", Fleet.deviceId(EventFamily.CAR_TELEMETRY, 1_234_567));
    }

    @Test
    void eventIdsAreUniqueVersion8Uuids() {
        Set<String> ids = new HashSet<>();
        for (TelemetryEvent e : events(new Fleet(CONFIG), 100_000)) {
            assertTrue(ids.add(e.eventId()), "duplicate " + e.eventId());
        }
        UUID u = UUID.fromString(ids.iterator().next());
        assertEquals(8, u.version());
        assertEquals(2, u.variant());
    }

    @Test
    void about100kEventsArePhysicallyPlausibleAndValid() throws InvalidEventException {
        JsonCodec codec = new JsonCodec();
        Fleet fleet = new Fleet(CONFIG);
        Map<String, CarTelemetry> lastCar = new HashMap<>();
        Map<String, BikeMetrics> lastBike = new HashMap<>();
        double maxSpeedStep = CarModel.MAX_BRAKING * 3.6 + 0.02;
        int rideRestarts = 0;
        double sumP = 0, sumH = 0, sumPP = 0, sumHH = 0, sumPH = 0;
        int bikes = 0;
        for (TelemetryEvent e : events(fleet, 100_000)) {
            assertEquals(e, codec.decode(codec.encode(e)), "a valid event survives the codec unchanged");
            if (e instanceof CarTelemetry c) {
                assertTrue(c.speedKmh() >= 0 && c.speedKmh() <= CarModel.MAX_SPEED_KMH, c.toString());
                assertEquals(c.speedKmh() < 1 ? 0 : 1, Math.min(1, c.gear()), c.toString());
                assertTrue(c.engineRpm() >= CarModel.IDLE_RPM - 30 && c.engineRpm() <= 6_500, c.toString());
                CarTelemetry prev = lastCar.put(c.deviceId(), c);
                if (prev != null) {
                    assertTrue(c.odometerKm() >= prev.odometerKm(), "odometer fell: " + prev + " -> " + c);
                    assertTrue(Math.abs(c.speedKmh() - prev.speedKmh()) <= maxSpeedStep, prev + " -> " + c);
                    double km = c.odometerKm() - prev.odometerKm();
                    double moved = haversineKm(prev.latitude(), prev.longitude(), c.latitude(), c.longitude());
                    assertTrue(Math.abs(moved - km) <= 0.01 * km + 0.002, "moved " + moved + " km, odometer " + km);
                    if (c.energyLevelPct() > prev.energyLevelPct()) {
                        assertTrue(c.speedKmh() == 0 && prev.energyLevelPct() <= CarModel.REFUEL_BELOW_PCT + 0.01,
                                "energy rose without a refuel stop: " + prev + " -> " + c);
                    }
                }
            } else {
                BikeMetrics b = (BikeMetrics) e;
                assertEquals(BikeModel.power(b.cadenceRpm(), b.resistanceLevel()), b.powerWatts(), b.toString());
                assertTrue(b.cadenceRpm() <= BikeModel.MAX_CADENCE_RPM, b.toString());
                BikeMetrics prev = lastBike.put(b.deviceId(), b);
                if (prev != null) {
                    assertTrue(Math.abs(b.cadenceRpm() - prev.cadenceRpm()) <= BikeModel.MAX_CADENCE_CHANGE_PER_S + 1,
                            prev + " -> " + b);
                    // A first-order lag of 20 s moves at most 1/20 of the way per second.
                    assertTrue(Math.abs(b.heartRateBpm() - prev.heartRateBpm()) <= 9, prev + " -> " + b);
                    if (b.distanceM() < prev.distanceM()) {
                        rideRestarts++;
                        assertTrue(b.distanceM() < 20 && b.energyKcal() < 2, "a new ride starts from zero: " + b);
                    } else {
                        assertTrue(b.energyKcal() >= prev.energyKcal(), prev + " -> " + b);
                    }
                }
                if (b.seq() > 120) {
                    bikes++;
                    sumP += b.powerWatts();
                    sumH += b.heartRateBpm();
                    sumPP += (double) b.powerWatts() * b.powerWatts();
                    sumHH += (double) b.heartRateBpm() * b.heartRateBpm();
                    sumPH += (double) b.powerWatts() * b.heartRateBpm();
                }
            }
        }
        double cov = sumPH / bikes - sumP / bikes * sumH / bikes;
        double corr = cov / Math.sqrt((sumPP / bikes - sq(sumP / bikes)) * (sumHH / bikes - sq(sumH / bikes)));
        assertTrue(corr > 0.5, "heart rate follows power, correlation " + corr);
        assertTrue(rideRestarts > 0, "rides end and restart within 500 s of device time");
    }

    private static double sq(double x) {
        return x * x;
    }

    private static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = sq(Math.sin(dLat / 2))
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * sq(Math.sin(dLon / 2));
        return 2 * 6_371.0 * Math.asin(Math.sqrt(a));
    }

    private static List<TelemetryEvent> events(Fleet fleet, int n) {
        List<TelemetryEvent> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(fleet.next(START + i));
        }
        return out;
    }

    private static TelemetryEvent withProducedAt(TelemetryEvent e, long producedAt) {
        if (e instanceof CarTelemetry c) {
            return new CarTelemetry(c.eventId(), c.deviceId(), c.seq(), c.eventTimeMillis(), producedAt,
                    c.schemaVersion(), c.speedKmh(), c.latitude(), c.longitude(), c.engineRpm(), c.gear(),
                    c.odometerKm(), c.energyLevelPct(), c.coolantTempC(), c.batteryVoltage());
        }
        BikeMetrics b = (BikeMetrics) e;
        return new BikeMetrics(b.eventId(), b.deviceId(), b.seq(), b.eventTimeMillis(), producedAt,
                b.schemaVersion(), b.cadenceRpm(), b.resistanceLevel(), b.powerWatts(), b.heartRateBpm(),
                b.speedKmh(), b.distanceM(), b.energyKcal());
    }
}
