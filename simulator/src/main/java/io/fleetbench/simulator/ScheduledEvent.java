package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.TelemetryEvent;

/**
 * A generated event and when it is intended to be sent.
 *
 * @param intendedNanos intended send time on the {@link System#nanoTime()} scale; latency is measured from it
 * @param device        global index of the device that produced it (cars first)
 * @param event         the event
 * @param key           the event's {@linkplain EventIds#key device key}: kind, index within its kind and
 *                      sequence number, as an acknowledgement manifest records it
 */
public record ScheduledEvent(long intendedNanos, int device, TelemetryEvent event, long key) {

    /** An event whose key is read from its device id and sequence number. */
    public ScheduledEvent(long intendedNanos, int device, TelemetryEvent event) {
        this(intendedNanos, device, event, EventIds.parseDeviceId(event.deviceId()) + event.seq());
    }
}
