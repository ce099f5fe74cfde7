package io.fleetbench.telemetry;

/**
 * A diagnostic trouble code (SAE J2012, for example {@code P0301}) that a car raised or cleared;
 * COVESA VSS {@code Vehicle.OBD.DTCList}.
 */
public record CarDtc(
        String eventId,
        String deviceId,
        long seq,
        long eventTimeMillis,
        long producedAtMillis,
        int schemaVersion,
        String dtcCode,
        String status,
        double odometerKm,
        String firmwareVersion,
        String extras) implements TelemetryEvent {
    /** {@link #status()} of a code that came up. */
    public static final String RAISED = "raised";
    /** {@link #status()} of a code that was cleared. */
    public static final String CLEARED = "cleared";

    /** An event without a firmware version and without unknown fields. */
    public CarDtc(String eventId, String deviceId, long seq, long eventTimeMillis, long producedAtMillis,
            int schemaVersion, String dtcCode, String status, double odometerKm) {
        this(eventId, deviceId, seq, eventTimeMillis, producedAtMillis, schemaVersion, dtcCode, status, odometerKm,
                null, null);
    }

    @Override
    public EventFamily family() {
        return EventFamily.CAR_DTC;
    }
}
