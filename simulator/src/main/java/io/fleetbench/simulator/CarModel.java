package io.fleetbench.simulator;

import io.fleetbench.telemetry.CarDtc;
import io.fleetbench.telemetry.CarIgnition;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.CarTrip;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;

/**
 * Combustion and electric cars that park, switch the ignition on, drive a trip and park again.
 * Trips start on a daily commute curve (UTC time of day: peaks around 08:00 and 17:30 over a
 * daytime background). A trip is a route of stretches (stops, city, rural, highway); speed
 * approaches each stretch's target with bounded acceleration and braking (never beyond 1 g);
 * position follows speed along a slowly wandering heading; the odometer only rises; fuel or charge
 * falls with distance and is refilled only while parked, when it is low; gear and engine speed
 * follow road speed (electric cars report gear 1 while rolling, 0 standing, and engine speed 0);
 * coolant warms up while driving and cools while parked; tyre pressures rise a little as the car
 * warms up. Events per trip: ignition on, (a diagnostic trouble code cleared), trip start,
 * telemetry every reporting interval (now and then a trouble code raised between two of them),
 * trip end, ignition off.
 */
final class CarModel implements DeviceModel {
    /** Top speed, km/h. */
    static final double MAX_SPEED_KMH = 180;
    /** Largest acceleration any driver uses, m/s² (below 1 g). */
    static final double MAX_ACCELERATION = 4.0;
    /** Largest deceleration any driver uses, m/s² (below 1 g). */
    static final double MAX_BRAKING = 7.5;
    /** Acceleration counted as harsh, m/s² (0.3 g, a common telematics threshold). */
    static final double HARSH_ACCELERATION = 2.94;
    /** Deceleration counted as harsh braking, m/s² (0.4 g). */
    static final double HARSH_BRAKING = 3.92;
    /** Fuel used per km, percent of the tank (about 7 l/100 km from a 55 l tank). */
    static final double FUEL_PCT_PER_KM = 0.13;
    /** Charge used per km, percent of the battery (about 16 kWh/100 km from 64 kWh). */
    static final double CHARGE_PCT_PER_KM = 0.25;
    /** Fuel level below which a parked car is refuelled, percent. */
    static final double REFUEL_BELOW_PCT = 15;
    /** State of charge below which a parked electric car is charged, percent. */
    static final double CHARGE_BELOW_PCT = 30;
    static final int IDLE_RPM = 800;
    /** Trouble codes a combustion car may raise (SAE J2012). */
    static final String[] COMBUSTION_DTCS = {"P0301", "P0171", "P0420", "P0128", "P0442", "P0562", "C0035", "U0100"};
    /** Trouble codes an electric car may raise (SAE J2012). */
    static final String[] ELECTRIC_DTCS = {"P0A80", "P0AA6", "P0562", "C0035", "U0100"};

    private static final byte NEXT_IGNITION_ON = 0;
    private static final byte NEXT_DTC_CLEAR = 1;
    private static final byte NEXT_TRIP_START = 2;
    private static final byte NEXT_TELEMETRY = 3;
    private static final byte NEXT_DTC_RAISE = 4;
    private static final byte NEXT_TRIP_END = 5;
    private static final byte NEXT_IGNITION_OFF = 6;

    private static final long DAY_MILLIS = 86_400_000L;
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long MIN_PARK_MILLIS = 10 * 60_000L;
    /** Time between the events that open and close a trip, ms. */
    private static final long STEP_MILLIS = 1_000;
    /** Chance per second of driving that a trouble code comes up: about one per 5 hours. */
    private static final double DTC_PER_STEP_SECOND = 1.0 / (5 * 3600);
    private static final double DTC_CLEAR_AT_IGNITION = 0.5;
    private static final double METRES_PER_DEGREE = 111_320;
    private static final double MAX_ABS_LATITUDE = 70;
    private static final double AMBIENT_C = 15;
    private static final double OPERATING_COOLANT_C = 90;
    private static final double COOLANT_WARMUP_SECONDS = 300;
    private static final double COOLANT_COOLDOWN_SECONDS = 3600;
    /** Highest road speed of each gear, km/h; the last gear has no limit. */
    private static final double[] GEAR_TOP_KMH = {20, 35, 55, 75, 100, Double.MAX_VALUE};
    /** Engine speed per road speed in each gear, rpm per km/h. */
    private static final double[] GEAR_RPM_PER_KMH = {130, 80, 55, 42, 33, 27};

    private final long seed;
    private final long intervalMillis;
    private final double dt;
    private final double electricShare;
    private final long startEpochMillis;
    private final long[] random;
    private final byte[] state;
    private final float[] speedKmh;
    private final float[] targetKmh;
    private final float[] stretchLeftS;
    private final float[] accelLimit;
    private final float[] brakeLimit;
    private final float[] tripLeftS;
    private final double[] latitude;
    private final double[] longitude;
    private final float[] heading;
    private final double[] odometerKm;
    private final float[] energyPct;
    private final float[] coolantC;
    private final float[] tripKm;
    private final long[] tripStartMillis;
    private final short[] harshBraking;
    private final short[] harshAcceleration;
    private final int[] trips;
    private final byte[] dtc;

    CarModel(FleetConfig config, long startEpochMillis) {
        int cars = config.cars();
        this.seed = config.seed();
        this.intervalMillis = config.reportingInterval().toMillis();
        this.dt = intervalMillis / 1000.0;
        this.electricShare = config.electricShare();
        this.startEpochMillis = startEpochMillis;
        random = new long[cars];
        state = new byte[cars];
        speedKmh = new float[cars];
        targetKmh = new float[cars];
        stretchLeftS = new float[cars];
        accelLimit = new float[cars];
        brakeLimit = new float[cars];
        tripLeftS = new float[cars];
        latitude = new double[cars];
        longitude = new double[cars];
        heading = new float[cars];
        odometerKm = new double[cars];
        energyPct = new float[cars];
        coolantC = new float[cars];
        tripKm = new float[cars];
        tripStartMillis = new long[cars];
        harshBraking = new short[cars];
        harshAcceleration = new short[cars];
        trips = new int[cars];
        dtc = new byte[cars];
        for (int i = 0; i < cars; i++) {
            random[i] = DeviceRandom.seed(seed, 0, i);
            latitude[i] = DeviceRandom.uniform(random, i, 36, 60);
            longitude[i] = DeviceRandom.uniform(random, i, -9, 30);
            odometerKm[i] = DeviceRandom.uniform(random, i, 0, 250_000);
            energyPct[i] = (float) DeviceRandom.uniform(random, i, 35, 100);
            coolantC[i] = (float) AMBIENT_C;
            // The end of the last trip, before the fleet starts, from which coolant has cooled.
            tripStartMillis[i] = startEpochMillis - HOUR_MILLIS;
        }
    }

    @Override
    public int size() {
        return random.length;
    }

    @Override
    public long firstDueMillis(int i) {
        return nextTripStart(i, startEpochMillis);
    }

    /** Whether a car is electric; fixed per car by the seed. */
    boolean electric(int i) {
        return DeviceRandom.hashDouble(seed * 31 + i ^ 0xE1EC7E1CL) < electricShare;
    }

    @Override
    public TelemetryEvent next(int i, EventHeader h) {
        long now = h.eventTimeMillis;
        switch (state[i]) {
            case NEXT_IGNITION_ON -> {
                return ignitionOn(i, h, now);
            }
            case NEXT_DTC_CLEAR -> {
                String code = dtcCode(i);
                dtc[i] = 0;
                state[i] = NEXT_TRIP_START;
                h.nextDueMillis = now + STEP_MILLIS;
                return new CarDtc(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                        code, CarDtc.CLEARED, round(odometerKm[i], 1000));
            }
            case NEXT_TRIP_START -> {
                return tripStart(i, h, now);
            }
            case NEXT_TELEMETRY -> {
                return telemetry(i, h, now);
            }
            case NEXT_DTC_RAISE -> {
                String[] codes = electric(i) ? ELECTRIC_DTCS : COMBUSTION_DTCS;
                dtc[i] = (byte) (1 + (int) (DeviceRandom.nextDouble(random, i) * codes.length));
                state[i] = NEXT_TELEMETRY;
                h.nextDueMillis = now + (intervalMillis - intervalMillis / 2);
                return new CarDtc(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                        dtcCode(i), CarDtc.RAISED, round(odometerKm[i], 1000));
            }
            case NEXT_TRIP_END -> {
                state[i] = NEXT_IGNITION_OFF;
                h.nextDueMillis = now + STEP_MILLIS;
                return new CarTrip(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                        CarTrip.END, trips[i], round(latitude[i], 1e6), round(longitude[i], 1e6),
                        round(odometerKm[i], 1000), round(energyPct[i], 100), round(tripKm[i], 1000),
                        (now - tripStartMillis[i]) / 1000, harshBraking[i], harshAcceleration[i]);
            }
            default -> {
                state[i] = NEXT_IGNITION_ON;
                // From here on the field marks when the car parked, from which coolant cools.
                tripStartMillis[i] = now;
                h.nextDueMillis = nextTripStart(i, now + MIN_PARK_MILLIS);
                return new CarIgnition(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                        CarIgnition.OFF, round(DeviceRandom.uniform(random, i, 12.4, 12.8), 100),
                        round(odometerKm[i], 1000), round(energyPct[i], 100));
            }
        }
    }

    private TelemetryEvent ignitionOn(int i, EventHeader h, long now) {
        double parkedS = (now - tripStartMillis[i]) / 1000.0;
        coolantC[i] = (float) (AMBIENT_C + (coolantC[i] - AMBIENT_C) * Math.exp(-parkedS / COOLANT_COOLDOWN_SECONDS));
        boolean ev = electric(i);
        // Refuelling and charging happen while parked, so the level a trip starts with may be higher.
        if (ev && energyPct[i] < CHARGE_BELOW_PCT) {
            energyPct[i] = (float) DeviceRandom.uniform(random, i, 80, 95);
        } else if (!ev && energyPct[i] < REFUEL_BELOW_PCT) {
            energyPct[i] = (float) DeviceRandom.uniform(random, i, 85, 100);
        }
        boolean clear = dtc[i] != 0 && DeviceRandom.nextDouble(random, i) < DTC_CLEAR_AT_IGNITION;
        state[i] = clear ? NEXT_DTC_CLEAR : NEXT_TRIP_START;
        h.nextDueMillis = now + STEP_MILLIS;
        return new CarIgnition(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                CarIgnition.ON, round(DeviceRandom.uniform(random, i, 12.2, 12.6), 100),
                round(odometerKm[i], 1000), round(energyPct[i], 100));
    }

    private TelemetryEvent tripStart(int i, EventHeader h, long now) {
        trips[i]++;
        tripKm[i] = 0;
        harshBraking[i] = 0;
        harshAcceleration[i] = 0;
        tripStartMillis[i] = now;
        speedKmh[i] = 0;
        stretchLeftS[i] = 0;
        heading[i] = (float) DeviceRandom.uniform(random, i, 0, 2 * Math.PI);
        tripLeftS[i] = (float) (DeviceRandom.uniform(random, i, 5, 50) * 60);
        state[i] = NEXT_TELEMETRY;
        h.nextDueMillis = now + intervalMillis;
        return new CarTrip(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                CarTrip.START, trips[i], round(latitude[i], 1e6), round(longitude[i], 1e6),
                round(odometerKm[i], 1000), round(energyPct[i], 100), 0, 0, 0, 0);
    }

    private TelemetryEvent telemetry(int i, EventHeader h, long now) {
        tripLeftS[i] -= (float) dt;
        stretchLeftS[i] -= (float) dt;
        if (tripLeftS[i] <= 0) {
            targetKmh[i] = 0;
            brakeLimit[i] = (float) Math.max(brakeLimit[i], 1.5);
        } else if (stretchLeftS[i] <= 0) {
            startStretch(i);
        }
        double v0 = speedKmh[i];
        // Drivers hold a target speed only roughly; a standing car stays put.
        double aim = targetKmh[i] == 0 ? 0 : targetKmh[i] + DeviceRandom.uniform(random, i, -2, 2);
        double dv = Math.max(-brakeLimit[i] * 3.6 * dt, Math.min(accelLimit[i] * 3.6 * dt, aim - v0));
        double v1 = Math.max(0, Math.min(MAX_SPEED_KMH, v0 + dv));
        speedKmh[i] = (float) v1;
        double a = (v1 - v0) / 3.6 / dt;
        if (a >= HARSH_ACCELERATION) {
            harshAcceleration[i]++;
        } else if (-a >= HARSH_BRAKING) {
            harshBraking[i]++;
        }
        double km = (v0 + v1) / 2 * dt / 3600;
        odometerKm[i] += km;
        tripKm[i] += (float) km;
        boolean ev = electric(i);
        energyPct[i] = (float) Math.max(0, energyPct[i] - km * (ev ? CHARGE_PCT_PER_KM : FUEL_PCT_PER_KM));
        move(i, km * 1000);
        coolantC[i] += (float) ((OPERATING_COOLANT_C - coolantC[i]) * (1 - Math.exp(-dt / COOLANT_WARMUP_SECONDS)));

        int gear = 0;
        int rpm = 0;
        if (ev) {
            gear = v1 >= 1 ? 1 : 0;
        } else {
            rpm = IDLE_RPM + (int) DeviceRandom.uniform(random, i, -30, 30);
            if (v1 >= 1) {
                gear = 1;
                while (v1 > GEAR_TOP_KMH[gear - 1]) {
                    gear++;
                }
                rpm = Math.max(rpm, (int) Math.round(v1 * GEAR_RPM_PER_KMH[gear - 1]));
            }
        }
        double voltage = (ev ? 13.8 : 14.1) + DeviceRandom.uniform(random, i, -0.15, 0.15);
        double warm = (coolantC[i] - AMBIENT_C) / (OPERATING_COOLANT_C - AMBIENT_C) * 10;
        if (tripLeftS[i] <= 0 && v1 == 0) {
            state[i] = NEXT_TRIP_END;
            h.nextDueMillis = now + STEP_MILLIS;
        } else if (dtc[i] == 0 && DeviceRandom.nextDouble(random, i) < DTC_PER_STEP_SECOND * dt) {
            state[i] = NEXT_DTC_RAISE;
            h.nextDueMillis = now + intervalMillis / 2;
        } else {
            h.nextDueMillis = now + intervalMillis;
        }
        return new CarTelemetry(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                round(v1, 100), round(latitude[i], 1e6), round(longitude[i], 1e6), rpm, gear,
                round(odometerKm[i], 1000), round(energyPct[i], 100), round(coolantC[i], 10), round(voltage, 100),
                tyre(i, 0, warm), tyre(i, 1, warm), tyre(i, 2, warm), tyre(i, 3, warm),
                ev ? CarTelemetry.ELECTRIC : CarTelemetry.COMBUSTION);
    }

    /** Cold pressure fixed per car and wheel (220-250 kPa), plus up to 10 kPa once warm. */
    private double tyre(int i, int wheel, double warm) {
        double cold = 220 + 30 * DeviceRandom.hashDouble(seed * 131 + i * 4L + wheel);
        return round(cold + warm, 10);
    }

    private String dtcCode(int i) {
        String[] codes = electric(i) ? ELECTRIC_DTCS : COMBUSTION_DTCS;
        return codes[Math.min(codes.length, dtc[i]) - 1];
    }

    private void startStretch(int i) {
        double kind = DeviceRandom.nextDouble(random, i);
        if (kind < 0.15) {
            targetKmh[i] = 0;
            stretchLeftS[i] = (float) DeviceRandom.uniform(random, i, 10, 90);
        } else if (kind < 0.55) {
            targetKmh[i] = (float) DeviceRandom.uniform(random, i, 25, 55);
            stretchLeftS[i] = (float) DeviceRandom.uniform(random, i, 30, 300);
        } else if (kind < 0.8) {
            targetKmh[i] = (float) DeviceRandom.uniform(random, i, 60, 100);
            stretchLeftS[i] = (float) DeviceRandom.uniform(random, i, 60, 600);
        } else {
            targetKmh[i] = (float) DeviceRandom.uniform(random, i, 100, 140);
            stretchLeftS[i] = (float) DeviceRandom.uniform(random, i, 120, 1800);
        }
        if (DeviceRandom.nextDouble(random, i) < 0.05) {
            accelLimit[i] = (float) DeviceRandom.uniform(random, i, 3.2, MAX_ACCELERATION);
            brakeLimit[i] = (float) DeviceRandom.uniform(random, i, 4.5, MAX_BRAKING);
        } else {
            accelLimit[i] = (float) DeviceRandom.uniform(random, i, 1.2, 2.6);
            brakeLimit[i] = (float) DeviceRandom.uniform(random, i, 2.0, 3.6);
        }
    }

    /**
     * When the car's next trip starts, at or after {@code earliest}: a time of day drawn from the
     * commute curve, on the first day it falls at or after {@code earliest}.
     */
    private long nextTripStart(int i, long earliest) {
        double u = DeviceRandom.nextDouble(random, i);
        double hour;
        if (u < 0.35) {
            hour = 8 + 0.8 * DeviceRandom.gaussian(random, i);
        } else if (u < 0.7) {
            hour = 17.5 + 1.0 * DeviceRandom.gaussian(random, i);
        } else {
            hour = DeviceRandom.uniform(random, i, 6, 23);
        }
        long tod = (long) (Math.floorMod((long) (hour * HOUR_MILLIS), DAY_MILLIS));
        long t = Math.floorDiv(earliest, DAY_MILLIS) * DAY_MILLIS + tod;
        return t >= earliest ? t : t + DAY_MILLIS;
    }

    private void move(int i, double metres) {
        heading[i] += (float) DeviceRandom.uniform(random, i, -0.1, 0.1);
        double lat = latitude[i] + metres * Math.cos(heading[i]) / METRES_PER_DEGREE;
        if (Math.abs(lat) > MAX_ABS_LATITUDE) {
            // Turn back rather than drive towards a pole, where longitude degenerates.
            heading[i] = (float) (Math.PI - heading[i]);
            lat = latitude[i] + metres * Math.cos(heading[i]) / METRES_PER_DEGREE;
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
