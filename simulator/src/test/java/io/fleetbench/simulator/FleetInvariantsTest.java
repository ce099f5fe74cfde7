package io.fleetbench.simulator;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.BikeSession;
import io.fleetbench.telemetry.CarDtc;
import io.fleetbench.telemetry.CarIgnition;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.CarTrip;
import io.fleetbench.telemetry.TelemetryEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over a fleet-driven day of more than a million events, checks the physical and behavioural
 * invariants of every car and bike, event by event.
 */
class FleetInvariantsTest {
    private static final long START = FleetTest.START;
    private static final long DAY = 86_400_000L;
    private static final double G = 9.81;
    private static final BikeClasses CLASSES = new BikeClasses(Duration.ofMinutes(30), Duration.ofMinutes(45),
            Duration.ofMinutes(2), 0.1);
    private static final FleetConfig CONFIG = FleetConfig.defaults().withDevices(260, 60).withStartEpochMillis(START)
            .withClasses(CLASSES);

    private static final Map<String, Car> cars = new HashMap<>();
    private static final Map<String, Bike> bikes = new HashMap<>();
    private static long events;
    private static long telemetrySteps;
    private static long tripEnds;
    private static long dtcRaised;
    private static long dtcCleared;
    private static long electricRows;
    private static final long[] tripStartsByHour = new long[24];
    private static long joins;
    private static long joinsInFirstQuarterOfWindow;
    private static double sumP, sumH, sumPP, sumHH, sumPH, sumLagPH, sumLagPP, sumLagP;
    private static long hrSamples;

    /** What the test remembers of a car between its events. */
    private static final class Car {
        CarTelemetry last;
        double odometer = -1;
        String next = "ignition_on";
        double tripStepsKm;
        int harshBrakingSeen;
        int harshAccelerationSeen;
    }

    /** What the test remembers of a bike between its events. */
    private static final class Bike {
        BikeMetrics last;
        boolean riding;
        final int[] powerHistory = new int[32];
        int samples;
    }

    @BeforeAll
    static void driveADay() {
        Fleet fleet = new Fleet(CONFIG);
        fleet.prepareFleetDriven();
        int d;
        while ((d = fleet.pollDue(START + DAY)) >= 0) {
            check(fleet.advance(d, 0));
            events++;
        }
    }

    private static void check(TelemetryEvent e) {
        if (e instanceof BikeMetrics || e instanceof BikeSession) {
            checkBike(bikes.computeIfAbsent(e.deviceId(), k -> new Bike()), e);
        } else {
            checkCar(cars.computeIfAbsent(e.deviceId(), k -> new Car()), e);
        }
    }

    private static void checkCar(Car car, TelemetryEvent e) {
        double odometer;
        double before = car.odometer;
        if (e instanceof CarIgnition g) {
            odometer = g.odometerKm();
            if (g.lowVoltageSystemState().equals(CarIgnition.ON)) {
                expect(car, "ignition_on", e);
                car.next = "trip_start";
            } else {
                expect(car, "ignition_off", e);
                car.next = "ignition_on";
            }
        } else if (e instanceof CarTrip t) {
            odometer = t.odometerKm();
            if (t.phase().equals(CarTrip.START)) {
                expect(car, "trip_start", e);
                tripStartsByHour[(int) ((t.eventTimeMillis() % DAY) / 3_600_000)]++;
                car.next = "driving";
                car.last = null;
                car.tripStepsKm = 0;
                car.harshBrakingSeen = 0;
                car.harshAccelerationSeen = 0;
            } else {
                expect(car, "driving", e);
                assertTrue(car.last != null && car.last.speedKmh() == 0, () -> "a trip ends standing: " + car.last);
                assertEquals(car.tripStepsKm, t.distanceKm(), 0.01 + car.tripStepsKm * 1e-4, () -> "trip distance " + t);
                // Counts come from unrounded speeds; rounded ones may straddle the threshold.
                assertEquals(car.harshBrakingSeen, t.harshBrakingCount(), 2 + car.harshBrakingSeen * 0.1, () -> t.toString());
                assertEquals(car.harshAccelerationSeen, t.harshAccelerationCount(), 2 + car.harshAccelerationSeen * 0.1, () ->
                        t.toString());
                tripEnds++;
                car.next = "ignition_off";
            }
        } else if (e instanceof CarDtc c) {
            odometer = c.odometerKm();
            assertTrue(c.dtcCode().matches("[PCBU][0-3][0-9A-F]{3}"), () -> "SAE J2012 code: " + c.dtcCode());
            if (c.status().equals(CarDtc.CLEARED)) {
                assertEquals("trip_start", car.next, () -> "codes are cleared after ignition on: " + e);
                dtcCleared++;
            } else {
                assertEquals("driving", car.next, () -> "codes come up while driving: " + e);
                dtcRaised++;
            }
        } else {
            CarTelemetry c = (CarTelemetry) e;
            expect(car, "driving", e);
            odometer = c.odometerKm();
            assertTrue(c.speedKmh() >= 0 && c.speedKmh() <= CarModel.MAX_SPEED_KMH, () -> "speed within limits: " + c);
            if (c.powertrainType().equals(CarTelemetry.ELECTRIC)) {
                electricRows++;
                assertEquals(0, c.engineRpm(), () -> c.toString());
                assertEquals(c.speedKmh() >= 1 ? 1 : 0, c.gear(), () -> c.toString());
            } else {
                assertEquals(c.speedKmh() < 1 ? 0 : 1, Math.min(1, c.gear()), () -> c.toString());
                assertTrue(c.engineRpm() >= CarModel.IDLE_RPM - 30 && c.engineRpm() <= 6_500, () -> c.toString());
            }
            assertTrue(c.tyrePressureFrontLeftKpa() >= 200 && c.tyrePressureRearRightKpa() <= 270, () -> c.toString());
            assertTrue(c.coolantTempC() >= 0 && c.coolantTempC() <= 95, () -> c.toString());
            CarTelemetry prev = car.last;
            if (prev != null) {
                telemetrySteps++;
                double dt = (c.eventTimeMillis() - prev.eventTimeMillis()) / 1000.0;
                double a = (c.speedKmh() - prev.speedKmh()) / 3.6 / dt;
                assertTrue(Math.abs(a) <= G, () -> "acceleration " + a + " m/s² beyond 1 g: " + prev + " -> " + c);
                assertTrue(a <= CarModel.MAX_ACCELERATION + 0.01 && -a <= CarModel.MAX_BRAKING + 0.01, () -> prev + " -> " + c);
                if (a >= CarModel.HARSH_ACCELERATION) {
                    car.harshAccelerationSeen++;
                } else if (-a >= CarModel.HARSH_BRAKING) {
                    car.harshBrakingSeen++;
                }
                double km = c.odometerKm() - prev.odometerKm();
                car.tripStepsKm += km;
                double expectedKm = (prev.speedKmh() + c.speedKmh()) / 2 * dt / 3600;
                // Odometer rounds to 1 m and speeds to 0.01 km/h: allow that beside the 5 %.
                assertTrue(Math.abs(km - expectedKm) <= 0.05 * expectedKm + 0.0011, () ->
                        "odometer step " + km + " km, speed x time " + expectedKm + " km");
                double moved = haversineKm(prev.latitude(), prev.longitude(), c.latitude(), c.longitude());
                assertTrue(Math.abs(moved - expectedKm) <= 0.05 * expectedKm + 0.0011, () ->
                        "position step " + moved + " km, speed x time " + expectedKm + " km: " + prev + " -> " + c);
                assertTrue(c.energyLevelPct() <= prev.energyLevelPct(), () ->
                        "fuel or charge rose while driving: " + prev + " -> " + c);
                assertTrue(c.coolantTempC() >= prev.coolantTempC() - 0.1, "coolant warms while driving");
            }
            car.last = c;
        }
        double after = odometer;
        assertTrue(after >= before, () -> "odometer fell to " + after + " from " + before + ": " + e);
        car.odometer = odometer;
    }

    private static void expect(Car car, String state, TelemetryEvent e) {
        assertEquals(car.next, state, () -> "lifecycle of " + e.deviceId() + " at " + e);
    }

    private static void checkBike(Bike bike, TelemetryEvent e) {
        if (e instanceof BikeSession s) {
            if (s.phase().equals(BikeSession.START)) {
                assertTrue(!bike.riding, () -> "a ride starts after the last one ended: " + s);
                bike.riding = true;
                bike.last = null;
                bike.samples = 0;
                assertEquals(0, s.classStartMillis() % CLASSES.every().toMillis(), "classes start on the half hour");
                long late = s.eventTimeMillis() - s.classStartMillis();
                assertTrue(late >= 0 && late <= CLASSES.joinWindow().toMillis(), () -> "joined " + late + " ms after the start");
                joins++;
                if (late <= CLASSES.joinWindow().toMillis() / 4) {
                    joinsInFirstQuarterOfWindow++;
                }
            } else {
                assertTrue(bike.riding, () -> "a ride ends after it started: " + s);
                bike.riding = false;
                BikeMetrics last = bike.last;
                assertTrue(last != null && s.distanceM() >= last.distanceM() && s.energyKcal() >= last.energyKcal() - 0.01, () ->
                        "totals at the end: " + last + " -> " + s);
                assertTrue(s.maxHeartRateBpm() >= last.heartRateBpm(), () -> s.toString());
                long length = s.eventTimeMillis() - s.classStartMillis();
                assertTrue(Math.abs(length - CLASSES.length().toMillis()) <= 61_000, () -> "rides last about a class: " + s);
            }
            return;
        }
        BikeMetrics b = (BikeMetrics) e;
        assertTrue(bike.riding, () -> "metrics only during a ride: " + b);
        assertEquals(BikeModel.power(b.cadenceRpm(), b.resistanceLevel()), b.powerWatts(), "power = cadence x resistance");
        assertTrue(b.cadenceRpm() >= 0 && b.cadenceRpm() <= BikeModel.MAX_CADENCE_RPM, () -> b.toString());
        assertEquals(b.cadenceRpm() * BikeModel.KMH_PER_RPM, b.speedKmh(), 0.006, "speed follows cadence");
        BikeMetrics prev = bike.last;
        if (prev != null) {
            assertTrue(Math.abs(b.cadenceRpm() - prev.cadenceRpm()) <= BikeModel.MAX_CADENCE_CHANGE_PER_S + 1, () -> prev + " -> " + b);
            // A first-order lag of 20 s moves at most 1/20 of the way per second.
            assertTrue(Math.abs(b.heartRateBpm() - prev.heartRateBpm()) <= 9, () -> prev + " -> " + b);
            assertTrue(b.distanceM() >= prev.distanceM() && b.energyKcal() >= prev.energyKcal(), () -> prev + " -> " + b);
        }
        int n = bike.samples++;
        int[] h = bike.powerHistory;
        if (n >= 120) {
            int lagged = h[(n - 20) & 31];
            hrSamples++;
            sumP += b.powerWatts();
            sumH += b.heartRateBpm();
            sumPP += (double) b.powerWatts() * b.powerWatts();
            sumHH += (double) b.heartRateBpm() * b.heartRateBpm();
            sumPH += (double) b.powerWatts() * b.heartRateBpm();
            sumLagP += lagged;
            sumLagPP += (double) lagged * lagged;
            sumLagPH += (double) lagged * b.heartRateBpm();
        }
        h[n & 31] = b.powerWatts();
        bike.last = b;
    }

    @Test
    void moreThanAMillionEventsWereChecked() {
        assertTrue(events >= 1_000_000, "events " + events);
        assertTrue(telemetrySteps > 500_000, "telemetry steps " + telemetrySteps);
        assertTrue(tripEnds > 300, "trips " + tripEnds);
        assertTrue(joins > 100, "rides " + joins);
    }

    @Test
    void theFleetMixesCombustionAndElectricCarsAndRaisesAndClearsTroubleCodes() {
        assertTrue(electricRows > 0.15 * telemetrySteps && electricRows < 0.45 * telemetrySteps,
                "electric share of rows " + electricRows / (double) telemetrySteps);
        assertTrue(dtcRaised > 0 && dtcCleared > 0, "raised " + dtcRaised + ", cleared " + dtcCleared);
    }

    @Test
    void tripsStartOnTheCommuteCurve() {
        long morning = tripStartsByHour[7] + tripStartsByHour[8];
        long evening = tripStartsByHour[17] + tripStartsByHour[18];
        long midday = tripStartsByHour[12] + tripStartsByHour[13];
        long night = tripStartsByHour[2] + tripStartsByHour[3];
        assertTrue(morning > 2 * midday && evening > 2 * midday, "morning " + morning + ", midday " + midday
                + ", evening " + evening);
        assertTrue(night < midday / 4 + 2, "night " + night + ", midday " + midday);
    }

    @Test
    void classJoinsClusterAtTheClassStart() {
        assertTrue(joinsInFirstQuarterOfWindow > 0.5 * joins,
                joinsInFirstQuarterOfWindow + " of " + joins + " riders joined in the first quarter of the window");
    }

    @Test
    void heartRateFollowsPowerWithALag() {
        double now = correlation(sumP, sumPP, sumPH);
        double lagged = correlation(sumLagP, sumLagPP, sumLagPH);
        assertTrue(now > 0.5, "heart rate and power correlate: " + now);
        assertTrue(lagged > now, "heart rate matches power 20 s earlier (" + lagged + ") better than now (" + now + ")");
    }

    private static double correlation(double sumX, double sumXX, double sumXH) {
        double n = hrSamples;
        double cov = sumXH / n - sumX / n * sumH / n;
        return cov / Math.sqrt((sumXX / n - sq(sumX / n)) * (sumHH / n - sq(sumH / n)));
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
}
