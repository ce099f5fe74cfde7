package io.fleetbench.telemetry;

/**
 * The start or end of a car's trip. At the start, distance, duration and counts are 0; at the end
 * they are the trip's totals. Position, {@code Vehicle.TraveledDistance} and the energy level follow
 * COVESA VSS as in {@link CarTelemetry}; harsh events are decelerations of at least 0.4 g and
 * accelerations of at least 0.3 g.
 */
public record CarTrip(
        String eventId,
        String deviceId,
        long seq,
        long eventTimeMillis,
        long producedAtMillis,
        int schemaVersion,
        String phase,
        long tripNumber,
        double latitude,
        double longitude,
        double odometerKm,
        double energyLevelPct,
        double distanceKm,
        long durationS,
        int harshBrakingCount,
        int harshAccelerationCount,
        String firmwareVersion,
        String extras) implements TelemetryEvent {
    /** {@link #phase()} of the event that opens a trip. */
    public static final String START = "start";
    /** {@link #phase()} of the event that closes a trip. */
    public static final String END = "end";

    /** An event without a firmware version and without unknown fields. */
    public CarTrip(String eventId, String deviceId, long seq, long eventTimeMillis, long producedAtMillis,
            int schemaVersion, String phase, long tripNumber, double latitude, double longitude, double odometerKm,
            double energyLevelPct, double distanceKm, long durationS, int harshBrakingCount,
            int harshAccelerationCount) {
        this(eventId, deviceId, seq, eventTimeMillis, producedAtMillis, schemaVersion, phase, tripNumber, latitude,
                longitude, odometerKm, energyLevelPct, distanceKm, durationS, harshBrakingCount,
                harshAccelerationCount, null, null);
    }

    @Override
    public EventFamily family() {
        return EventFamily.CAR_TRIP;
    }
}
