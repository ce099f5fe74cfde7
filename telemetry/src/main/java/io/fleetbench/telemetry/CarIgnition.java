package io.fleetbench.telemetry;

/**
 * A car's ignition switched on or off: COVESA VSS {@code Vehicle.LowVoltageSystemState}
 * ({@code ON} or {@code OFF}), with the low-voltage battery, odometer and energy level at that moment.
 */
public record CarIgnition(
        String eventId,
        String deviceId,
        long seq,
        long eventTimeMillis,
        long producedAtMillis,
        int schemaVersion,
        String lowVoltageSystemState,
        double batteryVoltage,
        double odometerKm,
        double energyLevelPct,
        String firmwareVersion,
        String extras) implements TelemetryEvent {
    /** Ignition on. */
    public static final String ON = "ON";
    /** Ignition off. */
    public static final String OFF = "OFF";

    /** An event without a firmware version and without unknown fields. */
    public CarIgnition(String eventId, String deviceId, long seq, long eventTimeMillis, long producedAtMillis,
            int schemaVersion, String lowVoltageSystemState, double batteryVoltage, double odometerKm,
            double energyLevelPct) {
        this(eventId, deviceId, seq, eventTimeMillis, producedAtMillis, schemaVersion, lowVoltageSystemState,
                batteryVoltage, odometerKm, energyLevelPct, null, null);
    }

    @Override
    public EventFamily family() {
        return EventFamily.CAR_IGNITION;
    }
}
