package io.fleetbench.simulator;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/**
 * The time a {@link Simulator} runs on: the clock its schedule, intended send times and put latencies are
 * read from, the wall clock stamped on its events, and the periodic timer that paces its generator loop.
 * They come together so that a test can move the clock by exactly one tick each time the loop runs.
 */
interface SimulatorClock {
    /** {@link System#nanoTime()}, {@link System#currentTimeMillis()} and a Vert.x periodic timer. */
    SimulatorClock SYSTEM = new SimulatorClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long setPeriodic(Vertx vertx, long periodMillis, Handler<Long> tick) {
            return vertx.setPeriodic(periodMillis, tick);
        }
    };

    /** The clock now, on the {@link System#nanoTime()} scale. */
    long nanoTime();

    /** The wall clock now, epoch milliseconds. */
    long currentTimeMillis();

    /**
     * Calls {@code tick} on the caller's Vert.x context every {@code periodMillis}.
     *
     * @return the timer's id, for {@link Vertx#cancelTimer}
     */
    long setPeriodic(Vertx vertx, long periodMillis, Handler<Long> tick);
}
