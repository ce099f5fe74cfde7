package io.fleetbench.simulator;

import io.fleetbench.telemetry.TelemetryEvent;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Events when the fleet's devices come due, with device time running {@link FleetDriven#timeCompression()}
 * times faster than the clock from the fleet's start: an event due at device time {@code t} is
 * intended at {@code (t - fleetStart) / compression} after the schedule starts. An event more than
 * {@code maxLag} overdue is still generated, so the device's state and sequence numbers move on
 * (the gap is visible downstream), but counted as shortfall instead of sent.
 */
public final class FleetDrivenSource implements EventSource {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Fleet fleet;
    private final double nanosPerDeviceMilli;
    private final long durationNanos;
    private final long endDeviceMillis;
    private final long maxLagNanos;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final long deviceStart;
    private volatile long shortfall;
    private long windowStartNanos;
    private long windowCount;
    private volatile double lastRate;

    /**
     * Starts the schedule now. Builds the fleet's queue of due devices first if needed.
     *
     * @param duration events due at or after this much wall time are never sent; {@link Duration#ZERO} for no end
     * @param maxLag   how far behind its intended time an event may still be sent. Positive.
     * @param nanoTime the clock, as {@link System#nanoTime()}
     */
    public FleetDrivenSource(Fleet fleet, FleetDriven mode, Duration duration, Duration maxLag, LongSupplier nanoTime) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("maxLag must be positive, found " + maxLag);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0 (0 = no end), found " + duration);
        }
        fleet.prepareFleetDriven();
        this.nanosPerDeviceMilli = 1e6 / mode.timeCompression();
        this.durationNanos = duration.toNanos();
        this.deviceStart = fleet.startEpochMillis();
        this.endDeviceMillis = duration.isZero() ? Long.MAX_VALUE
                : deviceStart + (long) Math.ceil(durationNanos / nanosPerDeviceMilli);
        this.maxLagNanos = maxLag.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.startNanos = nanoTime.getAsLong();
        this.windowStartNanos = startNanos;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public boolean finished() {
        long elapsed = nanoTime.getAsLong() - startNanos;
        return durationNanos > 0 && elapsed >= durationNanos && !fleet.hasDue(endDeviceMillis - 1);
    }

    @Override
    public ScheduledEvent poll(long producedAtMillis) {
        long now = nanoTime.getAsLong();
        long elapsed = now - startNanos;
        long until = Math.min(endDeviceMillis - 1, deviceStart + (long) Math.floor(elapsed / nanosPerDeviceMilli));
        while (true) {
            int d = fleet.pollDue(until);
            if (d < 0) {
                return null;
            }
            long intended = startNanos + (long) ((fleet.dueMillis(d) - deviceStart) * nanosPerDeviceMilli);
            TelemetryEvent e = fleet.advance(d, producedAtMillis);
            countForRate(now);
            if (now - intended > maxLagNanos) {
                shortfall++;
                continue;
            }
            return new ScheduledEvent(intended, d, e, fleet.lastKey());
        }
    }

    private void countForRate(long now) {
        if (now - windowStartNanos >= NANOS_PER_SECOND) {
            lastRate = windowCount * (double) NANOS_PER_SECOND / (now - windowStartNanos);
            windowStartNanos = now;
            windowCount = 0;
        }
        windowCount++;
    }

    /** Returns 0: due events stay due and count as shortfall once more than maxLag overdue. */
    @Override
    public long dropDue() {
        return 0;
    }

    @Override
    public long shortfall() {
        return shortfall;
    }

    /** The rate the fleet asked for over the last full second of polling, events per second. */
    @Override
    public double targetRate() {
        return lastRate;
    }
}
