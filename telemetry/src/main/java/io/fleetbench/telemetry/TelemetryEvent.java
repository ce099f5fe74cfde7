package io.fleetbench.telemetry;

/**
 * One event from one device. Every event carries the fields that make delivery auditable:
 * a unique id, the device, a per-device sequence number (gaps and repeats become countable),
 * the device's own event time and the wall-clock time it was produced.
 */
public sealed interface TelemetryEvent permits CarTelemetry, BikeMetrics, CarTrip, CarDtc, CarIgnition, BikeSession {

    /** Globally unique id of this event; a re-send of the same event keeps it. */
    String eventId();

    /** Id of the device that produced the event; also the Kinesis partition key. */
    String deviceId();

    /** Per-device sequence number, starting at 1 and rising by one per event. */
    long seq();

    /** The device's own clock at the time of the event, epoch milliseconds. */
    long eventTimeMillis();

    /** Wall-clock time at which the simulator produced the event, epoch milliseconds. */
    long producedAtMillis();

    /** Version of the event's schema, from 1 to {@link EventSchema#NEWEST_VERSION}. */
    int schemaVersion();

    /**
     * The device's firmware version ({@value EventSchema#FIRMWARE_VERSION_FIELD}), an optional field
     * since schema version {@value EventSchema#FIRMWARE_VERSION_SINCE}; null if the event has none.
     */
    String firmwareVersion();

    /**
     * The fields the record carried that its schema version does not define, as one JSON object in
     * the order received (for example {@code {"colour":"red"}}); null if it carried none.
     */
    String extras();

    /** The family, which decides the schema and the table. */
    EventFamily family();
}
