package io.fleetbench.simulator;

import io.fleetbench.telemetry.TelemetryEvent;

import java.util.Objects;

/** Events at the intended times of an {@link ArrivalRateLimiter}, from the devices the {@link Fleet} picks. */
final class ArrivalRateSource implements EventSource {
    private final ArrivalRateLimiter limiter;
    private final Fleet fleet;

    ArrivalRateSource(ArrivalRateLimiter limiter, Fleet fleet) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
    }

    @Override
    public long startNanos() {
        return limiter.startNanos();
    }

    @Override
    public boolean finished() {
        return limiter.finished();
    }

    @Override
    public ScheduledEvent poll(long producedAtMillis) {
        long intended = limiter.poll();
        if (intended == ArrivalRateLimiter.NONE_DUE) {
            return null;
        }
        TelemetryEvent e = fleet.next(producedAtMillis);
        return new ScheduledEvent(intended, fleet.lastDevice(), e, fleet.lastKey());
    }

    @Override
    public long dropDue() {
        return limiter.dropDue();
    }

    @Override
    public long shortfall() {
        return limiter.shortfall();
    }

    @Override
    public double targetRate() {
        return limiter.targetRate();
    }
}
