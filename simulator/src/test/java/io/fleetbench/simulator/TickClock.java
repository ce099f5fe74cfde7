package io.fleetbench.simulator;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulator clock that starts at 1 s on the nanosecond scale and at {@code startMillis} on the wall clock, and
 * moves only by ticks: what a run generates, sends and counts does not depend on how busy the machine is.
 */
final class TickClock implements SimulatorClock {
    static final long SECOND = 1_000_000_000L;
    private final AtomicLong nanos = new AtomicLong(SECOND);
    private final long startMillis;

    TickClock(long startMillis) {
        this.startMillis = startMillis;
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return startMillis + (nanos.get() - SECOND) / 1_000_000;
    }

    /** Fires as fast as Vert.x allows (1 ms), each time moving the clock by the period first. */
    @Override
    public long setPeriodic(Vertx vertx, long periodMillis, Handler<Long> tick) {
        return vertx.setPeriodic(1, id -> {
            nanos.addAndGet(periodMillis * 1_000_000);
            tick.handle(id);
        });
    }
}
