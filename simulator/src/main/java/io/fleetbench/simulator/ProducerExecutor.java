package io.fleetbench.simulator;

import io.vertx.core.Context;

/**
 * Runs the producer's callbacks on one thread, now or after a delay, so its state needs no locks.
 * Tests drive it by hand; the simulator uses its Vert.x context.
 */
public interface ProducerExecutor {

    /** Runs a task on the producer's thread soon. */
    void execute(Runnable task);

    /** Runs a task on the producer's thread after a delay. */
    void schedule(long delayNanos, Runnable task);

    /** An executor on a Vert.x context; {@link #schedule} must be called from that context. */
    static ProducerExecutor onContext(Context context) {
        return new ProducerExecutor() {
            @Override
            public void execute(Runnable task) {
                context.runOnContext(v -> task.run());
            }

            @Override
            public void schedule(long delayNanos, Runnable task) {
                long millis = Math.max(1, (delayNanos + 999_999) / 1_000_000);
                context.owner().setTimer(millis, id -> task.run());
            }
        };
    }
}
