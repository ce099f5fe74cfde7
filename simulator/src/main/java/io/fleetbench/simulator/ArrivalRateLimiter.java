package io.fleetbench.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Hands out the intended send time of each event of a {@link LoadShape}, never slowing down to
 * match the caller. Events the caller cannot send at their intended time are counted as shortfall
 * (like k6's {@code dropped_iterations}) instead of being sent late in a burst or silently skipped:
 * those the caller reports with {@link #dropDue()}, and those more than {@code maxLag} overdue
 * when the caller asks for the next one.
 *
 * <p>Shortfall is also counted per stage of the shape, so a report can say which stage fell short.
 *
 * <p>Single writer: one thread polls; {@link #issued()}, {@link #shortfall()} and
 * {@link #shortfallByStage()} may be read from any thread.
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
    private final AtomicLongArray shortfallByStage;

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
        this.shortfallByStage = new AtomicLongArray(shape.stages());
    }

    /** The clock reading at which the schedule started. */
    public long startNanos() {
        return startNanos;
    }

    /** Intended time of the next event, due or not, on the clock's scale. */
    public long nextIntendedNanos() {
        long offset = shape.offsetNanos(nextIndex);
        return offset == LoadShape.NEVER ? LoadShape.NEVER : startNanos + offset;
    }

    /**
     * Whether every event before the end has been handed out or counted as shortfall, or the shape
     * has ended.
     */
    public boolean finished() {
        return nextIndex >= endIndex || shape.offsetNanos(nextIndex) == LoadShape.NEVER;
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
            countByStage(nextIndex, target);
            shortfall += target - nextIndex;
            nextIndex = target;
        }
    }

    /** Adds events {@code [from, to)} to the shortfall of the stages their intended offsets fall in. */
    private void countByStage(long from, long to) {
        int stages = shortfallByStage.length();
        long i = from;
        for (int s = shape.stageAt(shape.offsetNanos(from)); i < to; s++) {
            long stageEnd = s + 1 < stages ? Math.min(to, shape.firstIndexAtOrAfter(shape.stageStartNanos(s + 1))) : to;
            if (stageEnd > i) {
                shortfallByStage.addAndGet(s, stageEnd - i);
                i = stageEnd;
            }
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

    /** Shortfall per stage of the shape, indexed as {@link LoadShape#stageStartNanos}; sums to {@link #shortfall()}. */
    public long[] shortfallByStage() {
        long[] counts = new long[shortfallByStage.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = shortfallByStage.get(i);
        }
        return counts;
    }

    /** The target rate now, events per second. */
    public double targetRate() {
        return shape.rateAt(nanoTime.getAsLong() - startNanos);
    }
}
