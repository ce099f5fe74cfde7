package io.fleetbench.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When each event of a run is intended to be sent, as an offset from the start of the run.
 * An open model: the intended times do not depend on how fast the system under test answers.
 *
 * <p>A shape may end: from some index on, {@link #offsetNanos} returns {@link #NEVER}. A shape may
 * have stages (a ramp, a hold, a step of a search); shortfall is counted per stage.
 */
public interface LoadShape {
    /** The offset of an event that is never due: the shape has ended before it. */
    long NEVER = Long.MAX_VALUE;

    /**
     * Offset from the start at which event {@code eventIndex} (from 0) is intended, nanoseconds,
     * or {@link #NEVER}. Non-decreasing in {@code eventIndex}.
     */
    long offsetNanos(long eventIndex);

    /** The smallest event index whose intended offset is at or after {@code offsetNanos}. */
    long firstIndexAtOrAfter(long offsetNanos);

    /** The target rate at an offset from the start, events per second; 0 after the shape has ended. */
    double rateAt(long offsetNanos);

    /** Number of stages, at least 1; a shape without stages has one. */
    default int stages() {
        return 1;
    }

    /** Offset at which stage {@code stage} (from 0) starts, nanoseconds; stage 0 starts at 0. */
    default long stageStartNanos(int stage) {
        return 0;
    }

    /** The stage an offset falls in: the last stage starting at or before it. */
    default int stageAt(long offsetNanos) {
        int lo = 0;
        int hi = stages() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (stageStartNanos(mid) <= offsetNanos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A constant arrival rate. */
    static LoadShape constant(double eventsPerSecond) {
        return new ConstantRate(eventsPerSecond);
    }

    /**
     * Steps: {@code steps} stages of {@code stepDuration} each, the first at {@code start} events/s
     * and each next one {@code increment} events/s higher; the rate jumps at each step.
     */
    static StagedRate steps(double start, double increment, Duration stepDuration, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, found " + steps);
        }
        List<StagedRate.Segment> segments = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double rate = start + i * increment;
            segments.add(new StagedRate.Segment(stepDuration, rate, rate));
        }
        return new StagedRate(segments);
    }

    /**
     * A spike: {@code base} events/s for {@code before}, a linear rise to {@code peak} over
     * {@code rise}, {@code peak} held for {@code hold}, a linear fall back to {@code base} over
     * {@code rise}, then {@code base} for {@code after}.
     */
    static StagedRate spike(double base, double peak, Duration before, Duration rise, Duration hold, Duration after) {
        return new StagedRate(List.of(new StagedRate.Segment(before, base, base),
                new StagedRate.Segment(rise, base, peak), new StagedRate.Segment(hold, peak, peak),
                new StagedRate.Segment(rise, peak, base), new StagedRate.Segment(after, base, base)));
    }
}
