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
        int harshAccelerationCount) implements TelemetryEvent {
    /** {@link #phase()} of the event that opens a trip. */
    public static final String START = "start";
    /** {@link #phase()} of the event that closes a trip. */
    public static final String END = "end";

    @Override
    public EventFamily family() {
        return EventFamily.CAR_TRIP;
    }
}
