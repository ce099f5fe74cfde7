package io.fleetbench.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A piecewise-linear arrival rate, like k6's ramping-arrival-rate executor: each segment goes
 * linearly from one rate to another over its duration, and the shape ends after the last segment.
 * Event n is intended at the offset where the integral of the rate from 0 reaches n, so event 0 is
 * at 0 and a constant segment spaces its events exactly as {@link ConstantRate} does.
 */
public final class StagedRate implements LoadShape {
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double MAX_RATE = 1e9;

    /**
     * One stage: a linear change from {@code fromRate} to {@code toRate} events/s over {@code duration}.
     *
     * @param duration positive
     * @param fromRate events/s at the start, in [0, 1e9]
     * @param toRate   events/s at the end, in [0, 1e9]
     */
    public record Segment(Duration duration, double fromRate, double toRate) {
        public Segment {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("a segment's duration must be positive, found " + duration);
            }
            if (!(fromRate >= 0 && fromRate <= MAX_RATE && toRate >= 0 && toRate <= MAX_RATE)) {
                throw new IllegalArgumentException("a segment's rates must be in [0, 1e9] events/s, found "
                        + fromRate + " -> " + toRate);
            }
        }
    }

    /**
     * A k6-like stage: a linear ramp from the previous stage's target (or the start rate) to
     * {@code target} over {@code duration}; equal targets hold the rate.
     */
    public record Stage(Duration duration, double target) {
    }

    private final List<Segment> segments;
    private final long[] startNanos;
    /** Events intended before each segment starts (index segments.size() holds the total). */
    private final double[] eventsBefore;
    private final long eventCount;
    private final long totalNanos;

    /** A shape made of the segments, in order; at least one, and at least one event in all. */
    public StagedRate(List<Segment> segments) {
        this.segments = List.copyOf(segments);
        if (this.segments.isEmpty()) {
            throw new IllegalArgumentException("a staged rate needs at least one segment, found none");
        }
        int n = this.segments.size();
        startNanos = new long[n + 1];
        eventsBefore = new double[n + 1];
        for (int i = 0; i < n; i++) {
            Segment s = this.segments.get(i);
            long d = s.duration().toNanos();
            startNanos[i + 1] = Math.addExact(startNanos[i], d);
            eventsBefore[i + 1] = eventsBefore[i] + (s.fromRate() + s.toRate()) / 2 * d / NANOS_PER_SECOND;
        }
        totalNanos = startNanos[n];
        eventCount = (long) Math.ceil(eventsBefore[n]);
        if (eventCount == 0) {
            throw new IllegalArgumentException("a staged rate must intend at least one event; every rate is 0");
        }
    }

    /** k6's ramping arrival rate: starting at {@code startRate}, each stage ramps to its target. */
    public static StagedRate ramping(double startRate, List<Stage> stages) {
        List<Segment> segments = new ArrayList<>();
        double from = startRate;
        for (Stage s : stages) {
            segments.add(new Segment(s.duration(), from, s.target()));
            from = s.target();
        }
        return new StagedRate(segments);
    }

    /** The segments, in order. */
    public List<Segment> segments() {
        return segments;
    }

    /** The sum of the segments' durations. */
    public Duration totalDuration() {
        return Duration.ofNanos(totalNanos);
    }

    /** Events the shape intends in all. */
    public long eventCount() {
        return eventCount;
    }

    @Override
    public long offsetNanos(long eventIndex) {
        if (eventIndex >= eventCount) {
            return NEVER;
        }
        if (eventIndex <= 0) {
            return 0;
        }
        int s = segmentOfEvent(eventIndex);
        Segment seg = segments.get(s);
        double m = eventIndex - eventsBefore[s];
        double a = seg.fromRate();
        double d = seg.duration().toNanos() / NANOS_PER_SECOND;
        double k = (seg.toRate() - a) / d;
        double tauNanos;
        if (m <= 0) {
            tauNanos = 0;
        } else if (k == 0) {
            tauNanos = m * NANOS_PER_SECOND / a;
        } else {
            // The root of a*t + k*t^2/2 = m, in the form that stays exact when a is 0 or k < 0.
            tauNanos = 2 * m * NANOS_PER_SECOND / (a + Math.sqrt(Math.max(0, a * a + 2 * k * m)));
        }
        long offset = startNanos[s] + (long) tauNanos;
        return Math.min(offset, startNanos[s + 1] - 1);
    }

    @Override
    public long firstIndexAtOrAfter(long offsetNanos) {
        if (offsetNanos <= 0) {
            return 0;
        }
        if (offsetNanos >= totalNanos) {
            return eventCount;
        }
        long n = Math.min(eventCount, (long) Math.ceil(eventsAt(offsetNanos)));
        // The double estimate can be one off either way; settle it against offsetNanos itself.
        while (n > 0 && offsetNanos(n - 1) >= offsetNanos) {
            n--;
        }
        while (offsetNanos(n) < offsetNanos) {
            n++;
        }
        return n;
    }

    @Override
    public double rateAt(long offsetNanos) {
        if (offsetNanos >= totalNanos) {
            return 0;
        }
        int s = stageAt(Math.max(0, offsetNanos));
        Segment seg = segments.get(s);
        double f = (Math.max(0, offsetNanos) - startNanos[s]) / (double) seg.duration().toNanos();
        return seg.fromRate() + (seg.toRate() - seg.fromRate()) * f;
    }

    @Override
    public int stages() {
        return segments.size();
    }

    @Override
    public long stageStartNanos(int stage) {
        return startNanos[stage];
    }

    /** The integral of the rate from 0 to an offset inside the shape. */
    private double eventsAt(long offsetNanos) {
        int s = stageAt(offsetNanos);
        Segment seg = segments.get(s);
        double t = (offsetNanos - startNanos[s]) / NANOS_PER_SECOND;
        double d = seg.duration().toNanos() / NANOS_PER_SECOND;
        double k = (seg.toRate() - seg.fromRate()) / d;
        return eventsBefore[s] + seg.fromRate() * t + k * t * t / 2;
    }

    /** The segment holding event n (0 < n < eventCount): the last one with at most n events before it. */
    private int segmentOfEvent(long n) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (eventsBefore[mid] <= n) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
