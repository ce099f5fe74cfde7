package io.fleetbench.simulator;

import io.fleetbench.telemetry.TelemetryEvent;

/**
 * A generated event and when it is intended to be sent.
 *
 * @param intendedNanos intended send time on the {@link System#nanoTime()} scale; latency is measured from it
 * @param device        global index of the device that produced it (cars first)
 * @param event         the event
 */
public record ScheduledEvent(long intendedNanos, int device, TelemetryEvent event) {
}
