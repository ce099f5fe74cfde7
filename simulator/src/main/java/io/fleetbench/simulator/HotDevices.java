package io.fleetbench.simulator;

/**
 * Partition-key skew under a fixed arrival rate: a small share of the devices takes a given share
 * of the traffic on top of their own. Hot devices are spread evenly over the device indexes, so cars
 * and bikes are hot in proportion. They take their share in the order their events are due, so
 * those that are active (driving, riding) send it, and their device time runs ahead of the rest of
 * the fleet's (see {@link Fleet#next(long)}).
 *
 * @param share        share of devices that are hot, [0, 1); 0 turns skew off. Default 0.
 * @param trafficShare share of events that hot devices send, [0, 1]. Default 0.
 */
public record HotDevices(double share, double trafficShare) {
    /** No skew: devices send in the order their events are due. */
    public static final HotDevices NONE = new HotDevices(0, 0);

    public HotDevices {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("hotDevices.share must be in [0, 1), found " + share);
        }
        if (!(trafficShare >= 0 && trafficShare <= 1)) {
            throw new IllegalArgumentException("hotDevices.trafficShare must be in [0, 1], found " + trafficShare);
        }
    }

    /** Whether any skew applies. */
    public boolean enabled() {
        return share > 0 && trafficShare > 0;
    }
}
