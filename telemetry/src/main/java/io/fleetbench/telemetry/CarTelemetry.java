package io.fleetbench.telemetry;

/**
 * Periodic telemetry of a driving car. Signals follow COVESA VSS (see docs/signals.md):
 * {@code Vehicle.Speed}, {@code Vehicle.CurrentLocation.Latitude/Longitude},
 * {@code Vehicle.Powertrain.CombustionEngine.Speed}, {@code Vehicle.Powertrain.Transmission.CurrentGear},
 * {@code Vehicle.TraveledDistance}, {@code Vehicle.Powertrain.FuelSystem.RelativeLevel} or
 * {@code Vehicle.Powertrain.TractionBattery.StateOfCharge.Current},
 * {@code Vehicle.Powertrain.CombustionEngine.ECT}, {@code Vehicle.LowVoltageBattery.CurrentVoltage},
 * {@code Vehicle.Chassis.Axle.Row1/Row2.Wheel.Left/Right.Tire.Pressure}, {@code Vehicle.Powertrain.Type}.
 * Electric cars report engine speed 0 and gear 1 while rolling, 0 standing.
 */
public record CarTelemetry(
        String eventId,
        String deviceId,
        long seq,
        long eventTimeMillis,
        long producedAtMillis,
        int schemaVersion,
        double speedKmh,
        double latitude,
        double longitude,
        int engineRpm,
        int gear,
        double odometerKm,
        double energyLevelPct,
        double coolantTempC,
        double batteryVoltage,
        double tyrePressureFrontLeftKpa,
        double tyrePressureFrontRightKpa,
        double tyrePressureRearLeftKpa,
        double tyrePressureRearRightKpa,
        String powertrainType,
        String firmwareVersion,
        String extras) implements TelemetryEvent {
    /** {@link #powertrainType()} of a combustion car (VSS {@code Vehicle.Powertrain.Type}). */
    public static final String COMBUSTION = "COMBUSTION";
    /** {@link #powertrainType()} of a battery-electric car. */
    public static final String ELECTRIC = "ELECTRIC";

    /** An event without a firmware version and without unknown fields. */
    public CarTelemetry(String eventId, String deviceId, long seq, long eventTimeMillis, long producedAtMillis,
            int schemaVersion, double speedKmh, double latitude, double longitude, int engineRpm, int gear,
            double odometerKm, double energyLevelPct, double coolantTempC, double batteryVoltage,
            double tyrePressureFrontLeftKpa, double tyrePressureFrontRightKpa, double tyrePressureRearLeftKpa,
            double tyrePressureRearRightKpa, String powertrainType) {
        this(eventId, deviceId, seq, eventTimeMillis, producedAtMillis, schemaVersion, speedKmh, latitude, longitude,
                engineRpm, gear, odometerKm, energyLevelPct, coolantTempC, batteryVoltage, tyrePressureFrontLeftKpa,
                tyrePressureFrontRightKpa, tyrePressureRearLeftKpa, tyrePressureRearRightKpa, powertrainType, null,
                null);
    }

    @Override
    public EventFamily family() {
        return EventFamily.CAR_TELEMETRY;
    }
}
