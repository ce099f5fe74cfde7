package io.fleetbench.simulator;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.BikeSession;
import io.fleetbench.telemetry.CarDtc;
import io.fleetbench.telemetry.CarIgnition;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.CarTrip;
import io.fleetbench.telemetry.TelemetryEvent;

/** Test helpers over events. */
final class Events {
    private Events() {
    }

    /** The event with another producedAt, to compare events generated at different wall-clock times. */
    static TelemetryEvent withProducedAt(TelemetryEvent e, long p) {
        if (e instanceof CarTelemetry c) {
            return new CarTelemetry(c.eventId(), c.deviceId(), c.seq(), c.eventTimeMillis(), p,
                    c.schemaVersion(), c.speedKmh(), c.latitude(), c.longitude(), c.engineRpm(), c.gear(),
                    c.odometerKm(), c.energyLevelPct(), c.coolantTempC(), c.batteryVoltage(),
                    c.tyrePressureFrontLeftKpa(), c.tyrePressureFrontRightKpa(), c.tyrePressureRearLeftKpa(),
                    c.tyrePressureRearRightKpa(), c.powertrainType());
        }
        if (e instanceof BikeMetrics b) {
            return new BikeMetrics(b.eventId(), b.deviceId(), b.seq(), b.eventTimeMillis(), p,
                    b.schemaVersion(), b.cadenceRpm(), b.resistanceLevel(), b.powerWatts(), b.heartRateBpm(),
                    b.speedKmh(), b.distanceM(), b.energyKcal());
        }
        if (e instanceof CarTrip t) {
            return new CarTrip(t.eventId(), t.deviceId(), t.seq(), t.eventTimeMillis(), p, t.schemaVersion(),
                    t.phase(), t.tripNumber(), t.latitude(), t.longitude(), t.odometerKm(), t.energyLevelPct(),
                    t.distanceKm(), t.durationS(), t.harshBrakingCount(), t.harshAccelerationCount());
        }
        if (e instanceof CarDtc d) {
            return new CarDtc(d.eventId(), d.deviceId(), d.seq(), d.eventTimeMillis(), p, d.schemaVersion(),
                    d.dtcCode(), d.status(), d.odometerKm());
        }
        if (e instanceof CarIgnition g) {
            return new CarIgnition(g.eventId(), g.deviceId(), g.seq(), g.eventTimeMillis(), p,
                    g.schemaVersion(), g.lowVoltageSystemState(), g.batteryVoltage(), g.odometerKm(), g.energyLevelPct());
        }
        if (e instanceof BikeSession s) {
            return new BikeSession(s.eventId(), s.deviceId(), s.seq(), s.eventTimeMillis(), p,
                    s.schemaVersion(), s.phase(), s.classStartMillis(), s.elapsedTimeS(), s.distanceM(), s.energyKcal(),
                    s.averagePowerWatts(), s.maxHeartRateBpm());
        }
        throw new IllegalArgumentException("unknown event type " + e.getClass());
    }
}
