package io.fleetbench.simulator;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.BikeSession;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;

import java.time.Duration;

/**
 * Spin bikes whose riders join scheduled classes (see {@link BikeClasses}): most join in the first
 * moments after the start, the rest within the join window, and ride until about the class end.
 * A ride is warm-up, climb, sprint and recovery segments: cadence approaches each segment's target
 * at a bounded rate; power is cadence times resistance; heart rate follows power with a first-order
 * lag and relaxes between rides; speed follows cadence; distance and energy are totals of the ride.
 * Events per ride: session start, metrics every reporting interval, session end with the totals.
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
    static final double KCAL_PER_JOULE = 1.0 / 4184 / 0.24;

    private static final byte NEXT_SESSION_START = 0;
    private static final byte NEXT_METRICS = 1;
    private static final byte NEXT_SESSION_END = 2;
    private static final double HEART_RATE_RECOVERY_S = 600;

    private final long seed;
    private final long intervalMillis;
    private final double dt;
    private final long everyMillis;
    private final long lengthMillis;
    private final long joinWindowMillis;
    private final double riders;
    private final long startEpochMillis;
    private final long[] random;
    private final byte[] state;
    private final float[] cadence;
    private final float[] targetCadence;
    private final byte[] resistance;
    private final float[] segmentLeftS;
    private final float[] heartRate;
    private final short[] maxHeartRate;
    private final float[] distanceM;
    private final float[] energyKcal;
    private final long[] classStart;
    private final long[] sessionStart;
    private final long[] sessionEnd;

    BikeModel(FleetConfig config, long startEpochMillis) {
        int bikes = config.bikes();
        this.seed = config.seed();
        this.intervalMillis = config.bikeReportingInterval().toMillis();
        this.dt = intervalMillis / 1000.0;
        BikeClasses c = config.classes();
        this.everyMillis = c.every().toMillis();
        this.lengthMillis = c.length().toMillis();
        this.joinWindowMillis = c.joinWindow().toMillis();
        this.riders = c.riders();
        this.startEpochMillis = startEpochMillis;
        random = new long[bikes];
        state = new byte[bikes];
        cadence = new float[bikes];
        targetCadence = new float[bikes];
        resistance = new byte[bikes];
        segmentLeftS = new float[bikes];
        heartRate = new float[bikes];
        maxHeartRate = new short[bikes];
        distanceM = new float[bikes];
        energyKcal = new float[bikes];
        classStart = new long[bikes];
        sessionStart = new long[bikes];
        sessionEnd = new long[bikes];
        for (int i = 0; i < bikes; i++) {
            random[i] = DeviceRandom.seed(seed, 1, i);
            heartRate[i] = (float) restingHr(i);
            sessionEnd[i] = startEpochMillis - Duration.ofHours(1).toMillis();
        }
    }

    @Override
    public int size() {
        return random.length;
    }

    @Override
    public long firstDueMillis(int i) {
        return scheduleNextRide(i, startEpochMillis);
    }

    /** The rider's resting heart rate, fixed per bike: 50-75 bpm. */
    double restingHr(int i) {
        return 50 + 25 * DeviceRandom.hashDouble(seed * 17 + i * 3L);
    }

    /** Heart-rate rise per watt, fixed per bike: 0.22-0.4 bpm/W. */
    double hrPerWatt(int i) {
        return 0.22 + 0.18 * DeviceRandom.hashDouble(seed * 17 + i * 3L + 1);
    }

    /** The rider's maximum heart rate, fixed per bike: 170-200 bpm. */
    double maxHr(int i) {
        return 170 + 30 * DeviceRandom.hashDouble(seed * 17 + i * 3L + 2);
    }

    @Override
    public TelemetryEvent next(int i, EventHeader h) {
        long now = h.eventTimeMillis;
        return switch (state[i]) {
            case NEXT_SESSION_START -> sessionStart(i, h, now);
            case NEXT_METRICS -> metrics(i, h, now);
            default -> sessionEnd(i, h, now);
        };
    }

    private TelemetryEvent sessionStart(int i, EventHeader h, long now) {
        double rest = restingHr(i);
        double gapS = (now - sessionEnd[i]) / 1000.0;
        heartRate[i] = (float) (rest + (heartRate[i] - rest) * Math.exp(-gapS / HEART_RATE_RECOVERY_S));
        sessionStart[i] = now;
        sessionEnd[i] = Math.max(now + 60_000, classStart[i] + lengthMillis
                + (long) DeviceRandom.uniform(random, i, -60_000, 60_000));
        cadence[i] = 0;
        segmentLeftS[i] = 0;
        distanceM[i] = 0;
        energyKcal[i] = 0;
        maxHeartRate[i] = (short) Math.round(heartRate[i]);
        state[i] = NEXT_METRICS;
        h.nextDueMillis = now + intervalMillis;
        return new BikeSession(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                BikeSession.START, classStart[i], 0, 0, 0, 0, maxHeartRate[i]);
    }

    private TelemetryEvent metrics(int i, EventHeader h, long now) {
        segmentLeftS[i] -= (float) dt;
        if (segmentLeftS[i] <= 0) {
            startSegment(i);
        }
        double step = MAX_CADENCE_CHANGE_PER_S * dt;
        double c = cadence[i] + Math.max(-step, Math.min(step, targetCadence[i] - cadence[i]));
        cadence[i] = (float) Math.max(0, Math.min(MAX_CADENCE_RPM, c));
        int rpm = Math.round(cadence[i]);
        int level = resistance[i];
        int watts = power(rpm, level);
        double targetHr = Math.min(maxHr(i), restingHr(i) + watts * hrPerWatt(i));
        heartRate[i] += (float) ((targetHr - heartRate[i]) * (1 - Math.exp(-dt / HEART_RATE_LAG_S)));
        int hr = Math.round(heartRate[i]);
        maxHeartRate[i] = (short) Math.max(maxHeartRate[i], hr);
        double speed = rpm * KMH_PER_RPM;
        distanceM[i] += (float) (speed / 3.6 * dt);
        energyKcal[i] += (float) (watts * dt * KCAL_PER_JOULE);
        if (now + intervalMillis >= sessionEnd[i]) {
            state[i] = NEXT_SESSION_END;
            h.nextDueMillis = Math.max(now + 1, sessionEnd[i]);
        } else {
            h.nextDueMillis = now + intervalMillis;
        }
        return new BikeMetrics(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis, EventSchema.CURRENT_VERSION,
                rpm, level, watts, hr, Math.round(speed * 100) / 100.0,
                Math.round(distanceM[i] * 10) / 10.0, Math.round(energyKcal[i] * 100) / 100.0);
    }

    private TelemetryEvent sessionEnd(int i, EventHeader h, long now) {
        long elapsedS = (now - sessionStart[i]) / 1000;
        double kcal = Math.round(energyKcal[i] * 100) / 100.0;
        int avgWatts = elapsedS == 0 ? 0 : (int) Math.round(energyKcal[i] / KCAL_PER_JOULE / elapsedS);
        TelemetryEvent e = new BikeSession(h.eventId, h.deviceId, h.seq, now, h.producedAtMillis,
                EventSchema.CURRENT_VERSION, BikeSession.END, classStart[i], elapsedS,
                Math.round(distanceM[i] * 10) / 10.0, kcal, avgWatts, maxHeartRate[i]);
        sessionEnd[i] = now;
        h.nextDueMillis = scheduleNextRide(i, now + 1);
        return e;
    }

    /**
     * Picks the next class the rider joins, starting at or after {@code earliest}, and returns the
     * join time: most riders join right at the start (an exponential delay with a mean of a quarter
     * of the join window, cut at the window).
     */
    private long scheduleNextRide(int i, long earliest) {
        long start = Math.floorDiv(earliest + everyMillis - 1, everyMillis) * everyMillis;
        while (DeviceRandom.nextDouble(random, i) >= riders) {
            start += everyMillis;
        }
        classStart[i] = start;
        state[i] = NEXT_SESSION_START;
        double mean = joinWindowMillis / 4.0;
        long delay = (long) Math.min(joinWindowMillis, -mean * Math.log(1 - DeviceRandom.nextDouble(random, i)));
        return start + delay;
    }

    /** Instantaneous power of a cadence at a resistance level, watts. */
    static int power(int cadenceRpm, int resistanceLevel) {
        return (int) Math.round(cadenceRpm * resistanceLevel * WATTS_PER_RPM_LEVEL);
    }

    private void startSegment(int i) {
        double kind = DeviceRandom.nextDouble(random, i);
        if (kind < 0.3) {
            targetCadence[i] = (float) DeviceRandom.uniform(random, i, 75, 95);
            resistance[i] = (byte) DeviceRandom.uniform(random, i, 20, 40);
        } else if (kind < 0.55) {
            targetCadence[i] = (float) DeviceRandom.uniform(random, i, 55, 75);
            resistance[i] = (byte) DeviceRandom.uniform(random, i, 45, 80);
        } else if (kind < 0.75) {
            targetCadence[i] = (float) DeviceRandom.uniform(random, i, 100, MAX_CADENCE_RPM);
            resistance[i] = (byte) DeviceRandom.uniform(random, i, 30, 55);
        } else {
            targetCadence[i] = (float) DeviceRandom.uniform(random, i, 50, 70);
            resistance[i] = (byte) DeviceRandom.uniform(random, i, 5, 20);
        }
        segmentLeftS[i] = (float) DeviceRandom.uniform(random, i, 30, 240);
    }
}
