package io.fleetbench.telemetry;

/**
 * Periodic telemetry of a driving car. Signals follow COVESA VSS:
 * {@code Vehicle.Speed}, {@code Vehicle.CurrentLocation.Latitude/Longitude},
 * {@code Vehicle.Powertrain.CombustionEngine.Speed}, {@code Vehicle.Powertrain.Transmission.CurrentGear},
 * {@code Vehicle.TraveledDistance}, {@code Vehicle.Powertrain.FuelSystem.RelativeLevel} or
 * {@code Vehicle.Powertrain.TractionBattery.StateOfCharge.Current},
 * {@code Vehicle.Powertrain.CombustionEngine.ECT}, {@code Vehicle.LowVoltageBattery.CurrentVoltage}.
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
        double batteryVoltage) implements TelemetryEvent {

    @Override
    public EventFamily family() {
        return EventFamily.CAR_TELEMETRY;
    }
}
