package io.fleetbench.telemetry;

/**
 * Per-second metrics of a spin bike during a ride. Fields follow the Bluetooth FTMS
 * Indoor Bike Data characteristic: Instantaneous Cadence, Resistance Level, Instantaneous Power,
 * Heart Rate, Instantaneous Speed, Total Distance and Total Energy.
 */
public record BikeMetrics(
        String eventId,
        String deviceId,
        long seq,
        long eventTimeMillis,
        long producedAtMillis,
        int schemaVersion,
        int cadenceRpm,
        int resistanceLevel,
        int powerWatts,
        int heartRateBpm,
        double speedKmh,
        double distanceM,
        double energyKcal,
        String firmwareVersion,
        String extras) implements TelemetryEvent {

    /** An event without a firmware version and without unknown fields. */
    public BikeMetrics(String eventId, String deviceId, long seq, long eventTimeMillis, long producedAtMillis,
            int schemaVersion, int cadenceRpm, int resistanceLevel, int powerWatts, int heartRateBpm,
            double speedKmh, double distanceM, double energyKcal) {
        this(eventId, deviceId, seq, eventTimeMillis, producedAtMillis, schemaVersion, cadenceRpm, resistanceLevel,
                powerWatts, heartRateBpm, speedKmh, distanceM, energyKcal, null, null);
    }

    @Override
    public EventFamily family() {
        return EventFamily.BIKE_METRICS;
    }
}
