package io.fleetbench.simulator;

import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;

/**
 * Cars that alternate between stops, city, rural and highway stretches. Speed approaches each
 * stretch's target with bounded acceleration and braking; position follows speed and a slowly
 * wandering heading; the odometer only rises; fuel falls with distance and is refilled only at a
 * stop when nearly empty; gear and engine speed follow road speed; coolant warms up after a cold
 * start.
 */
final class CarModel implements DeviceModel {
    /** Top speed, km/h. */
    static final double MAX_SPEED_KMH = 180;
    /** Largest acceleration, m/s². */
    static final double MAX_ACCELERATION = 3.0;
    /** Largest deceleration, m/s². */
    static final double MAX_BRAKING = 5.0;
    /** Fuel level at or below which a stopped car refuels, percent. */
    static final double REFUEL_BELOW_PCT = 8;
    /** Fuel used per km, percent of the tank (about 7 l/100 km from a 55 l tank). */
    static final double FUEL_PCT_PER_KM = 0.13;
    static final int IDLE_RPM = 800;

    private static final double METRES_PER_DEGREE = 111_320;
    private static final double MAX_ABS_LATITUDE = 80;
    private static final double OPERATING_COOLANT_C = 90;
    private static final double COOLANT_WARMUP_SECONDS = 300;
    /** Highest road speed of each gear, km/h; the last gear has no limit. */
    private static final double[] GEAR_TOP_KMH = {20, 35, 55, 75, 100, Double.MAX_VALUE};
    /** Engine speed per road speed in each gear, rpm per km/h. */
    private static final double[] GEAR_RPM_PER_KMH = {130, 80, 55, 42, 33, 27};

    private final double dt;
    private final long[] random;
    private final double[] speedKmh;
    private final double[] targetKmh;
    private final double[] stretchLeftS;
    private final double[] latitude;
    private final double[] longitude;
    private final double[] heading;
    private final double[] odometerKm;
    private final double[] fuelPct;
    private final double[] coolantC;

    CarModel(long seed, int cars, double intervalSeconds) {
        this.dt = intervalSeconds;
        random = new long[cars];
        speedKmh = new double[cars];
        targetKmh = new double[cars];
        stretchLeftS = new double[cars];
        latitude = new double[cars];
        longitude = new double[cars];
        heading = new double[cars];
        odometerKm = new double[cars];
        fuelPct = new double[cars];
        coolantC = new double[cars];
        for (int i = 0; i < cars; i++) {
            random[i] = DeviceRandom.seed(seed, EventFamily.CAR_TELEMETRY.ordinal(), i);
            latitude[i] = DeviceRandom.uniform(random, i, 36, 60);
            longitude[i] = DeviceRandom.uniform(random, i, -9, 30);
            heading[i] = DeviceRandom.uniform(random, i, 0, 2 * Math.PI);
            odometerKm[i] = DeviceRandom.uniform(random, i, 0, 250_000);
            fuelPct[i] = DeviceRandom.uniform(random, i, 20, 100);
            coolantC[i] = DeviceRandom.uniform(random, i, 0, 30);
        }
    }

    @Override
    public EventFamily family() {
        return EventFamily.CAR_TELEMETRY;
    }

    @Override
    public int size() {
        return random.length;
    }

    @Override
    public TelemetryEvent next(int i, String eventId, String deviceId, long seq, long eventTimeMillis,
                               long producedAtMillis) {
        stretchLeftS[i] -= dt;
        if (stretchLeftS[i] <= 0) {
            startStretch(i);
        }
        double v0 = speedKmh[i];
        // Drivers hold a target speed only roughly; a standing car stays put.
        double aim = targetKmh[i] == 0 ? 0 : targetKmh[i] + DeviceRandom.uniform(random, i, -2, 2);
        double dv = Math.max(-MAX_BRAKING * 3.6 * dt, Math.min(MAX_ACCELERATION * 3.6 * dt, aim - v0));
        double v1 = Math.max(0, Math.min(MAX_SPEED_KMH, v0 + dv));
        speedKmh[i] = v1;
        double km = (v0 + v1) / 2 * dt / 3600;
        odometerKm[i] += km;
        fuelPct[i] = Math.max(0, fuelPct[i] - km * FUEL_PCT_PER_KM);
        if (v1 == 0 && fuelPct[i] <= REFUEL_BELOW_PCT) {
            fuelPct[i] = DeviceRandom.uniform(random, i, 85, 100);
        }
        move(i, km * 1000);
        coolantC[i] += (OPERATING_COOLANT_C - coolantC[i]) * (1 - Math.exp(-dt / COOLANT_WARMUP_SECONDS));

        int gear = 0;
        int rpm = IDLE_RPM + (int) DeviceRandom.uniform(random, i, -30, 30);
        if (v1 >= 1) {
            gear = 1;
            while (v1 > GEAR_TOP_KMH[gear - 1]) {
                gear++;
            }
            rpm = Math.max(rpm, (int) Math.round(v1 * GEAR_RPM_PER_KMH[gear - 1]));
        }
        double voltage = 14.1 + DeviceRandom.uniform(random, i, -0.15, 0.15);
        return new CarTelemetry(eventId, deviceId, seq, eventTimeMillis, producedAtMillis, EventSchema.CURRENT_VERSION,
                round(v1, 100), round(latitude[i], 1e6), round(longitude[i], 1e6), rpm, gear,
                round(odometerKm[i], 1000), round(fuelPct[i], 100), round(coolantC[i], 10), round(voltage, 100));
    }

    private void startStretch(int i) {
        double kind = DeviceRandom.nextDouble(random, i);
        if (kind < 0.15) {
            targetKmh[i] = 0;
            stretchLeftS[i] = DeviceRandom.uniform(random, i, 10, 90);
        } else if (kind < 0.55) {
            targetKmh[i] = DeviceRandom.uniform(random, i, 25, 55);
            stretchLeftS[i] = DeviceRandom.uniform(random, i, 30, 300);
        } else if (kind < 0.8) {
            targetKmh[i] = DeviceRandom.uniform(random, i, 60, 100);
            stretchLeftS[i] = DeviceRandom.uniform(random, i, 60, 600);
        } else {
            targetKmh[i] = DeviceRandom.uniform(random, i, 100, 140);
            stretchLeftS[i] = DeviceRandom.uniform(random, i, 120, 1800);
        }
    }

    private void move(int i, double metres) {
        heading[i] += DeviceRandom.uniform(random, i, -0.1, 0.1);
        double lat = latitude[i] + metres * Math.cos(heading[i]) / METRES_PER_DEGREE;
        if (Math.abs(lat) > MAX_ABS_LATITUDE) {
            // Turn back rather than drive across a pole, where longitude degenerates.
            heading[i] = Math.PI - heading[i];
            lat = latitude[i];
        }
        double lon = longitude[i] + metres * Math.sin(heading[i]) / (METRES_PER_DEGREE * Math.cos(Math.toRadians(lat)));
        if (lon > 180) {
            lon -= 360;
        } else if (lon < -180) {
            lon += 360;
        }
        latitude[i] = lat;
        longitude[i] = lon;
    }

    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }
}
