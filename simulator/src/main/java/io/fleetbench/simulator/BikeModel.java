package io.fleetbench.simulator;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;

/**
 * Spin bikes in classes of warm-up, climb, sprint and recovery segments. Cadence approaches each
 * segment's target at a bounded rate; power is cadence times resistance; heart rate follows power
 * with a first-order lag; distance and energy are totals of the current ride and restart at zero
 * with the next ride.
 */
final class BikeModel implements DeviceModel {
    /** Power per cadence-resistance unit: 90 rpm at level 40 gives 288 W. */
    static final double WATTS_PER_RPM_LEVEL = 0.08;
    /** Largest change of cadence per second, rpm. */
    static final double MAX_CADENCE_CHANGE_PER_S = 10;
    static final int MAX_CADENCE_RPM = 130;
    /** Virtual gearing of the flywheel: km/h per rpm. */
    static final double KMH_PER_RPM = 0.35;
    /** Time constant of heart rate following power, seconds. */
    static final double HEART_RATE_LAG_S = 20;

    /** Riders turn about a quarter of their mechanical work into it; kcal = J / 4184 / efficiency. */
    private static final double KCAL_PER_JOULE = 1.0 / 4184 / 0.24;

    private final double dt;
    private final long[] random;
    private final double[] cadence;
    private final double[] targetCadence;
    private final int[] resistance;
    private final double[] segmentLeftS;
    private final double[] rideLeftS;
    private final double[] heartRate;
    private final double[] restingHr;
    private final double[] hrPerWatt;
    private final double[] maxHr;
    private final double[] distanceM;
    private final double[] energyKcal;

    BikeModel(long seed, int bikes, double intervalSeconds) {
        this.dt = intervalSeconds;
        random = new long[bikes];
        cadence = new double[bikes];
        targetCadence = new double[bikes];
        resistance = new int[bikes];
        segmentLeftS = new double[bikes];
        rideLeftS = new double[bikes];
        heartRate = new double[bikes];
        restingHr = new double[bikes];
        hrPerWatt = new double[bikes];
        maxHr = new double[bikes];
        distanceM = new double[bikes];
        energyKcal = new double[bikes];
        for (int i = 0; i < bikes; i++) {
            random[i] = DeviceRandom.seed(seed, EventFamily.BIKE_METRICS.ordinal(), i);
            restingHr[i] = DeviceRandom.uniform(random, i, 50, 75);
            hrPerWatt[i] = DeviceRandom.uniform(random, i, 0.22, 0.4);
            maxHr[i] = DeviceRandom.uniform(random, i, 170, 200);
            heartRate[i] = restingHr[i];
            rideLeftS[i] = DeviceRandom.uniform(random, i, 0, 3600);
        }
    }

    @Override
    public EventFamily family() {
        return EventFamily.BIKE_METRICS;
    }

    @Override
    public int size() {
        return random.length;
    }

    @Override
    public TelemetryEvent next(int i, String eventId, String deviceId, long seq, long eventTimeMillis,
                               long producedAtMillis) {
        rideLeftS[i] -= dt;
        if (rideLeftS[i] <= 0) {
            rideLeftS[i] = DeviceRandom.uniform(random, i, 1200, 3600);
            distanceM[i] = 0;
            energyKcal[i] = 0;
        }
        segmentLeftS[i] -= dt;
        if (segmentLeftS[i] <= 0) {
            startSegment(i);
        }
        double step = MAX_CADENCE_CHANGE_PER_S * dt;
        double c = cadence[i] + Math.max(-step, Math.min(step, targetCadence[i] - cadence[i]));
        cadence[i] = Math.max(0, Math.min(MAX_CADENCE_RPM, c));
        int rpm = (int) Math.round(cadence[i]);
        int level = resistance[i];
        int watts = power(rpm, level);
        double targetHr = Math.min(maxHr[i], restingHr[i] + watts * hrPerWatt[i]);
        heartRate[i] += (targetHr - heartRate[i]) * (1 - Math.exp(-dt / HEART_RATE_LAG_S));
        double speed = rpm * KMH_PER_RPM;
        distanceM[i] += speed / 3.6 * dt;
        energyKcal[i] += watts * dt * KCAL_PER_JOULE;
        return new BikeMetrics(eventId, deviceId, seq, eventTimeMillis, producedAtMillis, EventSchema.CURRENT_VERSION,
                rpm, level, watts, (int) Math.round(heartRate[i]), Math.round(speed * 100) / 100.0,
                Math.round(distanceM[i] * 10) / 10.0, Math.round(energyKcal[i] * 100) / 100.0);
    }

    /** Instantaneous power of a cadence at a resistance level, watts. */
    static int power(int cadenceRpm, int resistanceLevel) {
        return (int) Math.round(cadenceRpm * resistanceLevel * WATTS_PER_RPM_LEVEL);
    }

    private void startSegment(int i) {
        double kind = DeviceRandom.nextDouble(random, i);
        if (kind < 0.3) {
            targetCadence[i] = DeviceRandom.uniform(random, i, 75, 95);
            resistance[i] = (int) DeviceRandom.uniform(random, i, 20, 40);
        } else if (kind < 0.55) {
            targetCadence[i] = DeviceRandom.uniform(random, i, 55, 75);
            resistance[i] = (int) DeviceRandom.uniform(random, i, 45, 80);
        } else if (kind < 0.75) {
            targetCadence[i] = DeviceRandom.uniform(random, i, 100, MAX_CADENCE_RPM);
            resistance[i] = (int) DeviceRandom.uniform(random, i, 30, 55);
        } else {
            targetCadence[i] = DeviceRandom.uniform(random, i, 50, 70);
            resistance[i] = (int) DeviceRandom.uniform(random, i, 5, 20);
        }
        segmentLeftS[i] = DeviceRandom.uniform(random, i, 30, 240);
    }
}
