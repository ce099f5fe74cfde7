package io.fleetbench.localstack;

import java.util.function.LongSupplier;

/**
 * A token bucket on an injected clock: refills at {@code ratePerSecond} up to one second's worth,
 * and starts full. {@link #take} may drive it into debt, which a later {@link #tryTake} waits out,
 * for limits that are only known after the fact (bytes a GetRecords call returned). Not thread-safe.
 */
final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerSecond;
    private final double capacity;
    private final LongSupplier nanoTime;
    private double tokens;
    private long lastNanos;

    /**
     * @param ratePerSecond tokens added per second, positive; also the capacity
     * @param nanoTime      the clock, as {@link System#nanoTime()}
     */
    TokenBucket(double ratePerSecond, LongSupplier nanoTime) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("ratePerSecond must be positive, found " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = ratePerSecond;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.lastNanos = nanoTime.getAsLong();
    }

    /**
     * Whether {@code n} tokens are there now (without taking them); more than the capacity counts
     * as there when the bucket is full, so one oversized unit passes and leaves the bucket in debt.
     */
    boolean has(double n) {
        refill();
        return tokens >= Math.min(n, capacity);
    }

    /** Takes {@code n} tokens if they are there. */
    boolean tryTake(double n) {
        if (!has(n)) {
            return false;
        }
        tokens -= n;
        return true;
    }

    /** Takes {@code n} tokens even if that leaves the bucket in debt. */
    void take(double n) {
        refill();
        tokens -= n;
    }

    /** Tokens now; negative while in debt. */
    double tokens() {
        refill();
        return tokens;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        if (now > lastNanos) {
            tokens = Math.min(capacity, tokens + (now - lastNanos) / NANOS_PER_SECOND * ratePerSecond);
            lastNanos = now;
        }
    }
}
