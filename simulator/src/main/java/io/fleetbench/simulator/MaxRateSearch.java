package io.fleetbench.simulator;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A search for the highest rate the simulator and the stream sustain, like the OpenMessaging
 * Benchmark with {@code producerRate: 0}: constant-rate steps of {@code stepDuration}, the first at
 * {@code start} events/s and each next one {@code factor} times higher, until a step falls short
 * (more than {@code maxShortfall} of its due events not sent at their intended time, or its put
 * latency p99 above {@code maxP99}) or the next step would exceed {@code maxRate}. The highest
 * step that held is the sustained rate.
 *
 * <p>A step is judged by the observations whose offset falls in it, so latencies acknowledged just
 * after a step ends count against the next, higher one: the search errs on the low side. Observations
 * come from one thread; {@link #outcome()} may be read from any.
 */
public final class MaxRateSearch implements AdaptiveLoadShape {
    /** The most steps a search takes, whatever {@code maxRate} allows. */
    public static final int MAX_STEPS = 64;

    /**
     * The settings of a search.
     *
     * @param start        rate of the first step, events/s, in (0, maxRate]
     * @param factor       each step's rate over the previous one's, greater than 1
     * @param stepDuration how long each step lasts, positive
     * @param maxShortfall largest share of a step's due events that may fall short, in [0, 1)
     * @param maxP99       largest put latency p99 of a step, positive
     * @param maxRate      no step is faster than this, events/s, at most 1e9
     */
    public record Settings(double start, double factor, Duration stepDuration, double maxShortfall, Duration maxP99,
                           double maxRate) {
        public Settings {
            Objects.requireNonNull(stepDuration, "stepDuration");
            Objects.requireNonNull(maxP99, "maxP99");
            if (!(maxRate > 0 && maxRate <= 1e9)) {
                throw new IllegalArgumentException("maxRate must be in (0, 1e9] events/s, found " + maxRate);
            }
            if (!(start > 0 && start <= maxRate)) {
                throw new IllegalArgumentException("start must be in (0, maxRate=" + maxRate + "], found " + start);
            }
            if (!(factor > 1)) {
                throw new IllegalArgumentException("factor must be > 1, found " + factor);
            }
            if (stepDuration.isNegative() || stepDuration.isZero() || maxP99.isNegative() || maxP99.isZero()) {
                throw new IllegalArgumentException("stepDuration and maxP99 must be positive, found " + stepDuration
                        + " and " + maxP99);
            }
            if (!(maxShortfall >= 0 && maxShortfall < 1)) {
                throw new IllegalArgumentException("maxShortfall must be in [0, 1), found " + maxShortfall);
            }
        }

        /** The step rates: start, start x factor, ... up to maxRate, at most {@value #MAX_STEPS}. */
        public List<Double> rates() {
            List<Double> rates = new ArrayList<>();
            for (double r = start; r <= maxRate && rates.size() < MAX_STEPS; r *= factor) {
                rates.add(r);
            }
            return rates;
        }
    }

    /**
     * How one step went.
     *
     * @param step           index from 0
     * @param rate           its target rate, events/s
     * @param due            events due in the step (issued + shortfall)
     * @param shortfall      events of the step that fell short
     * @param putLatencyP99Millis put latency p99 over the step's observations
     * @param held           whether the step stayed within both bounds
     */
    public record Step(int step, double rate, long due, long shortfall, double putLatencyP99Millis, boolean held) {
        /** Share of the due events that fell short. */
        public double shortfallShare() {
            return due == 0 ? 0 : (double) shortfall / due;
        }
    }

    /**
     * Where the search stands.
     *
     * @param sustainedRate the highest step rate that held, events/s; 0 if none did
     * @param steps         every step judged so far, in order
     * @param stoppedBy     why the search ended: the failing step's reason, or that it reached maxRate;
     *                      empty while it is still running
     */
    public record Outcome(double sustainedRate, List<Step> steps, String stoppedBy) {
    }

    private final Settings settings;
    private final List<Double> rates;
    private final StagedRate steps;
    private final long stepNanos;
    private final List<Step> judged = new ArrayList<>();
    private final Histogram stepLatency = new Histogram(3);
    private volatile long endNanos = NEVER;
    private volatile Outcome outcome;
    private int currentStep;
    private long stepStartIssued;
    private long stepStartShortfall;
    private long lastIssued;
    private long lastShortfall;

    public MaxRateSearch(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        rates = settings.rates();
        steps = new StagedRate(rates.stream().map(r -> new StagedRate.Segment(settings.stepDuration(), r, r)).toList());
        stepNanos = settings.stepDuration().toNanos();
        outcome = new Outcome(0, List.of(), "");
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** The longest the search can take: every step up to maxRate. */
    public Duration maxDuration() {
        return steps.totalDuration();
    }

    /** Where the search stands now. */
    public Outcome outcome() {
        return outcome;
    }

    @Override
    public long offsetNanos(long eventIndex) {
        long offset = steps.offsetNanos(eventIndex);
        return offset >= endNanos ? NEVER : offset;
    }

    @Override
    public long firstIndexAtOrAfter(long offsetNanos) {
        return steps.firstIndexAtOrAfter(Math.min(offsetNanos, endNanos));
    }

    @Override
    public double rateAt(long offsetNanos) {
        return offsetNanos >= endNanos ? 0 : steps.rateAt(offsetNanos);
    }

    @Override
    public int stages() {
        return steps.stages();
    }

    @Override
    public long stageStartNanos(int stage) {
        return steps.stageStartNanos(stage);
    }

    @Override
    public void observe(LoadObservation o) {
        if (endNanos != NEVER) {
            return;
        }
        // The step holding the observed interval's last instant: an observation at a step's end belongs to it.
        int step = (int) Math.min(rates.size(), Math.max(0, o.offsetNanos() - 1) / stepNanos);
        if (o.last()) {
            // Generation stopped: what was observed is all there is, so the step in progress is judged on it.
            latest(o);
            step = Math.max(step, currentStep + 1);
        }
        while (currentStep < Math.min(step, rates.size())) {
            Step s = judge();
            if (!s.held()) {
                end(o.offsetNanos(), String.format(Locale.ROOT,
                        "step %d at %.0f events/s fell short: %d of %d due events short (%.2f %%, bound %.2f %%), "
                                + "put latency p99 %.1f ms (bound %d ms)",
                        s.step(), s.rate(), s.shortfall(), s.due(), 100 * s.shortfallShare(),
                        100 * settings.maxShortfall(), s.putLatencyP99Millis(), settings.maxP99().toMillis()));
                return;
            }
        }
        if (currentStep == rates.size()) {
            end(o.offsetNanos(), String.format(Locale.ROOT, "every step held, up to %.0f events/s (maxRate %.0f)",
                    rates.get(rates.size() - 1), settings.maxRate()));
            return;
        }
        if (!o.last()) {
            latest(o);
        }
    }

    /** An interval counts against the step it ends in. */
    private void latest(LoadObservation o) {
        stepLatency.add(o.putLatencyMicros());
        lastIssued = o.issued();
        lastShortfall = o.shortfall();
    }

    private Step judge() {
        long due = lastIssued + lastShortfall - stepStartIssued - stepStartShortfall;
        long shortfall = lastShortfall - stepStartShortfall;
        stepStartIssued = lastIssued;
        stepStartShortfall = lastShortfall;
        double p99 = stepLatency.getTotalCount() == 0 ? 0 : stepLatency.getValueAtPercentile(99) / 1000.0;
        stepLatency.reset();
        // A step with nothing observed (shorter than the observation interval) cannot be said to have held.
        boolean held = due > 0 && (double) shortfall / due <= settings.maxShortfall()
                && p99 <= settings.maxP99().toNanos() / 1e6;
        Step s = new Step(currentStep, rates.get(currentStep), due, shortfall, p99, held);
        judged.add(s);
        currentStep++;
        outcome = new Outcome(sustained(), List.copyOf(judged), "");
        return s;
    }

    private double sustained() {
        double best = 0;
        for (Step s : judged) {
            if (s.held()) {
                best = Math.max(best, s.rate());
            }
        }
        return best;
    }

    private void end(long offsetNanos, String reason) {
        endNanos = offsetNanos;
        outcome = new Outcome(sustained(), List.copyOf(judged), reason);
    }
}
