package io.fleetbench.ingest;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in the endpoint's tests: for a future, or for a condition polled until a deadline, never a bare sleep. */
final class Waits {
    /** The longest any single wait takes before the test fails. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private Waits() {
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Polls {@code condition} every 10 ms until it holds, or fails naming {@code what} after {@link #WAIT}. */
    static void poll(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + WAIT);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
