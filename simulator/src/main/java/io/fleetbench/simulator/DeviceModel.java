package io.fleetbench.simulator;

import io.fleetbench.telemetry.TelemetryEvent;

/**
 * The behaviour of one kind of device. An implementation keeps the state of all its devices in
 * primitive arrays indexed by device, and each device's randomness in its own generator, so that a
 * device's events depend only on the seed and its index, whatever order the fleet visits devices in.
 * Each device has its own timeline: every event says when the device's next one is due.
 */
interface DeviceModel {

    /** Number of devices in this model. */
    int size();

    /** Device time at which the device's first event is due, epoch milliseconds. */
    long firstDueMillis(int device);

    /**
     * Advances one device to its event due at {@code header.eventTimeMillis}, returns that event and
     * sets {@code header.nextDueMillis} to when the device's next event is due (later than this one).
     */
    TelemetryEvent next(int device, EventHeader header);
}
