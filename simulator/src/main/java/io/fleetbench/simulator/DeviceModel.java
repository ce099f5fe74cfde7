package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.TelemetryEvent;

/**
 * The physics of one family of devices. An implementation keeps the state of all its devices in
 * primitive arrays indexed by device, and each device's randomness in its own generator, so that a
 * device's events depend only on the seed and its index.
 */
public interface DeviceModel {

    /** The family of the events this model produces. */
    EventFamily family();

    /** Number of devices in this model. */
    int size();

    /**
     * Advances one device by one reporting interval and returns the event it reports.
     *
     * @param device           index of the device, 0 to {@code size() - 1}
     * @param eventId          the event's id
     * @param deviceId         the device's id
     * @param seq              the device's sequence number of this event, from 1
     * @param eventTimeMillis  the device's clock, epoch milliseconds
     * @param producedAtMillis the wall clock now, epoch milliseconds
     */
    TelemetryEvent next(int device, String eventId, String deviceId, long seq, long eventTimeMillis,
                        long producedAtMillis);
}
