package io.fleetbench.telemetry;

/**
 * The start or end of a ride on a spin bike, in a scheduled class. At the end it carries the ride's
 * totals, named after the Bluetooth FTMS fields: Elapsed Time, Total Distance, Total Energy,
 * Average Power, and the highest Heart Rate.
 */
public record BikeSession(
        String eventId,
        String deviceId,
        long seq,
        long eventTimeMillis,
        long producedAtMillis,
        int schemaVersion,
        String phase,
        long classStartMillis,
        long elapsedTimeS,
        double distanceM,
        double energyKcal,
        int averagePowerWatts,
        int maxHeartRateBpm,
        String firmwareVersion,
        String extras) implements TelemetryEvent {
    /** {@link #phase()} of the event that opens a ride. */
    public static final String START = "start";
    /** {@link #phase()} of the event that closes a ride. */
    public static final String END = "end";

    /** An event without a firmware version and without unknown fields. */
    public BikeSession(String eventId, String deviceId, long seq, long eventTimeMillis, long producedAtMillis,
            int schemaVersion, String phase, long classStartMillis, long elapsedTimeS, double distanceM,
            double energyKcal, int averagePowerWatts, int maxHeartRateBpm) {
        this(eventId, deviceId, seq, eventTimeMillis, producedAtMillis, schemaVersion, phase, classStartMillis,
                elapsedTimeS, distanceM, energyKcal, averagePowerWatts, maxHeartRateBpm, null, null);
    }

    @Override
    public EventFamily family() {
        return EventFamily.BIKE_SESSION;
    }
}
