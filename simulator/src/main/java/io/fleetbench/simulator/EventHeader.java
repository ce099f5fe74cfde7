package io.fleetbench.simulator;

/**
 * The fields every event carries, filled in by the fleet and read by a {@link DeviceModel}, plus
 * the one output a model gives back besides the event. Reused from event to event, so generating
 * an event allocates only the event.
 */
final class EventHeader {
    /** Global index of the device, cars first. */
    int deviceIndex;
    String eventId;
    String deviceId;
    long seq;
    long eventTimeMillis;
    long producedAtMillis;
    /** Set by the model: when the device's next event is due, epoch milliseconds. */
    long nextDueMillis;
}
