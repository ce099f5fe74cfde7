package io.fleetbench.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Hands out the intended send time of each event of a {@link LoadShape}, never slowing down to
 * match the caller. Events the caller cannot send at their intended time are counted as shortfall
 * (like k6's {@code dropped_iterations}) instead of being sent late in a burst or silently skipped:
 * those the caller reports with {@link #dropDue()}, and those more than {@code maxLag} overdue
 * when the caller asks for the next one.
 *
 * <p>Single writer: one thread polls; {@link #issued()} and {@link #shortfall()} may be read from
 * any thread.
 */
public final class ArrivalRateLimiter {
    /** Returned by {@link #poll()} when no event is due yet. */
    public static final long NONE_DUE = Long.MIN_VALUE;

    private final LoadShape shape;
    private final long maxLagNanos;
    private final long endIndex;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long nextIndex;
    private volatile long issued;
    private volatile long shortfall;

    /**
     * Starts the schedule now: event 0 is intended at the clock's current reading.
     *
     * @param shape    when each event is intended
     * @param maxLag   how far behind its intended time an event may still be handed out; older
     *                 ones count as shortfall. Positive.
     * @param duration events intended at or after this offset are never due; {@link Duration#ZERO}
     *                 for no end
     * @param nanoTime the clock, as {@link System#nanoTime()}
     */
    public ArrivalRateLimiter(LoadShape shape, Duration maxLag, Duration duration, LongSupplier nanoTime) {
        this.shape = Objects.requireNonNull(shape, "shape");
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("maxLag must be positive, found " + maxLag);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0 (0 = no end), found " + duration);
        }
        this.maxLagNanos = maxLag.toNanos();
        this.endIndex = duration.isZero() ? Long.MAX_VALUE : shape.firstIndexAtOrAfter(duration.toNanos());
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.startNanos = nanoTime.getAsLong();
    }

    /** The clock reading at which the schedule started. */
    public long startNanos() {
        return startNanos;
    }

    /** Intended time of the next event, due or not, on the clock's scale. */
    public long nextIntendedNanos() {
        return startNanos + shape.offsetNanos(nextIndex);
    }

    /** Whether every event before the end has been handed out or counted as shortfall. */
    public boolean finished() {
        return nextIndex >= endIndex;
    }

    /**
     * Takes the next due event and returns its intended time, or {@link #NONE_DUE} if the next event
     * is not due yet or the schedule has finished. Events more than {@code maxLag} overdue are first
     * counted as shortfall and skipped.
     */
    public long poll() {
        long now = nanoTime.getAsLong();
        long elapsed = now - startNanos;
        long lagLimit = elapsed - maxLagNanos;
        if (shape.offsetNanos(nextIndex) < lagLimit) {
            skipTo(shape.firstIndexAtOrAfter(lagLimit));
        }
        long offset = shape.offsetNanos(nextIndex);
        if (offset > elapsed || nextIndex >= endIndex) {
            return NONE_DUE;
        }
        nextIndex++;
        issued++;
        return startNanos + offset;
    }

    /**
     * Counts every event due by now as shortfall and skips it, for a caller that cannot send now.
     *
     * @return how many events were skipped
     */
    public long dropDue() {
        long elapsed = nanoTime.getAsLong() - startNanos;
        long before = shortfall;
        skipTo(shape.firstIndexAtOrAfter(elapsed + 1));
        return shortfall - before;
    }

    private void skipTo(long index) {
        long target = Math.min(index, endIndex);
        if (target > nextIndex) {
            shortfall += target - nextIndex;
            nextIndex = target;
        }
    }

    /** Events handed out so far. */
    public long issued() {
        return issued;
    }

    /** Events that were due but could not be sent at their intended time. */
    public long shortfall() {
        return shortfall;
    }

    /** The target rate now, events per second. */
    public double targetRate() {
        return shape.rateAt(nanoTime.getAsLong() - startNanos);
    }
}
