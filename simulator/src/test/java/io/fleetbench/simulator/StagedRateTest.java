package io.fleetbench.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagedRateTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void aConstantStageSpacesEventsLikeConstantRate() {
        StagedRate staged = StagedRate.ramping(1_000, List.of(new StagedRate.Stage(Duration.ofSeconds(2), 1_000)));
        ConstantRate constant = new ConstantRate(1_000);
        for (long n = 0; n < 2_000; n++) {
            assertEquals(constant.offsetNanos(n), staged.offsetNanos(n), "event " + n);
        }
        assertEquals(2_000, staged.eventCount());
        assertEquals(LoadShape.NEVER, staged.offsetNanos(2_000));
        assertEquals(0, staged.rateAt(2 * S));
    }

    @Test
    void aRampFromZeroPlacesEventsAtTheSquareRootOfTheIntegral() {
        // 0 -> 1,000 events/s over 10 s: N(t) = 50 t^2, so event n is at sqrt(n / 50) s; 5,000 events in all.
        StagedRate ramp = StagedRate.ramping(0, List.of(new StagedRate.Stage(Duration.ofSeconds(10), 1_000)));
        assertEquals(5_000, ramp.eventCount());
        assertEquals(0, ramp.offsetNanos(0));
        assertEquals(S, ramp.offsetNanos(50));
        assertEquals(2 * S, ramp.offsetNanos(200));
        assertEquals(5 * S, ramp.offsetNanos(1_250));
        assertEquals(500, ramp.rateAt(5 * S), 1e-9);
        assertEquals(1_250, ramp.firstIndexAtOrAfter(5 * S));
        assertEquals(1_251, ramp.firstIndexAtOrAfter(5 * S + 1));
    }

    @Test
    void aRampDownIntegratesToTheTrapezoid() {
        // 2,000 -> 0 events/s over 4 s: N(t) = 2000 t - 250 t^2, 4,000 events; half of them in the first 1.1716 s.
        StagedRate down = new StagedRate(List.of(new StagedRate.Segment(Duration.ofSeconds(4), 2_000, 0)));
        assertEquals(4_000, down.eventCount());
        assertEquals(S, down.offsetNanos(1_750));
        assertEquals(2 * S, down.offsetNanos(3_000));
        assertEquals(1_000, down.rateAt(2 * S), 1e-9);
        assertEquals(LoadShape.NEVER, down.offsetNanos(4_000));
        assertEquals(4_000, down.firstIndexAtOrAfter(4 * S));
    }

    @Test
    void stepsAndSpikeHaveTheRightCountsPerStage() {
        StagedRate steps = LoadShape.steps(100, 100, Duration.ofSeconds(10), 3);
        assertEquals(3, steps.stages());
        assertEquals(1_000 + 2_000 + 3_000, steps.eventCount());
        assertEquals(10 * S, steps.offsetNanos(1_000));
        assertEquals(20 * S, steps.offsetNanos(3_000));
        assertEquals(20 * S + 3_333_333, steps.offsetNanos(3_001), "300/s: 3.33 ms apart, floored");
        assertEquals(1, steps.stageAt(15 * S));

        StagedRate spike = LoadShape.spike(100, 1_100, Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        // 1,000 + 1,200 + 5,500 + 1,200 + 1,000.
        assertEquals(9_900, spike.eventCount());
        assertEquals(Duration.ofSeconds(29), spike.totalDuration());
        assertEquals(1_100, spike.rateAt(14 * S), 1e-9);
        assertEquals(600, spike.rateAt(11 * S), 1e-9);
        assertEquals(12 * S, spike.offsetNanos(2_200));
    }

    @Test
    void aZeroRateHoldProducesNoEventsAndTheNextStageStartsOnTime() {
        StagedRate gap = new StagedRate(List.of(new StagedRate.Segment(Duration.ofSeconds(1), 10, 10),
                new StagedRate.Segment(Duration.ofSeconds(5), 0, 0), new StagedRate.Segment(Duration.ofSeconds(1), 10, 10)));
        assertEquals(20, gap.eventCount());
        assertEquals(900 * MS, gap.offsetNanos(9));
        assertEquals(6 * S, gap.offsetNanos(10));
        assertEquals(10, gap.firstIndexAtOrAfter(3 * S));
    }

    @Test
    void offsetsAreMonotoneAndIndexAndOffsetAgreeOnRandomShapes() {
        SplittableRandom random = new SplittableRandom(3);
        for (int shape = 0; shape < 30; shape++) {
            List<StagedRate.Stage> stages = new java.util.ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(5); i++) {
                stages.add(new StagedRate.Stage(Duration.ofMillis(1 + random.nextInt(3_000)), random.nextInt(200_000)));
            }
            StagedRate s = StagedRate.ramping(random.nextInt(50_000), stages);
            long previous = -1;
            for (long n = 0; n < s.eventCount(); n += 1 + random.nextInt(97)) {
                long offset = s.offsetNanos(n);
                assertTrue(offset >= previous && offset < s.totalDuration().toNanos(), "shape " + shape + " event " + n);
                previous = offset;
            }
            for (long t = 0; t < s.totalDuration().toNanos(); t += 1 + random.nextLong(50 * MS)) {
                long n = s.firstIndexAtOrAfter(t);
                assertTrue(s.offsetNanos(n) >= t, "shape " + shape + " offset " + t);
                assertTrue(n == 0 || s.offsetNanos(n - 1) < t, "shape " + shape + " offset " + t);
            }
        }
    }

    @Test
    void refusesImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> new StagedRate(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new StagedRate(List.of(new StagedRate.Segment(Duration.ofSeconds(1), 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> new StagedRate.Segment(Duration.ofSeconds(1), -1, 5));
        assertThrows(IllegalArgumentException.class, () -> new StagedRate.Segment(Duration.ZERO, 1, 5));
    }

    @Test
    void theLimiterCountsShortfallPerStageAndFinishesWhenTheShapeEnds() {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(7 * S);
        StagedRate steps = LoadShape.steps(1_000, 1_000, Duration.ofSeconds(1), 3);
        ArrivalRateLimiter limiter = new ArrivalRateLimiter(steps, Duration.ofMillis(100), Duration.ZERO, clock::get);
        clock.addAndGet(1_500 * MS);
        // Everything before 1.4 s is too late: 1,000 events of stage 0 and 800 of stage 1.
        assertEquals(limiter.startNanos() + 1_400 * MS, limiter.poll());
        assertEquals(1_800, limiter.shortfall());
        assertEquals(List.of(1_000L, 800L, 0L), java.util.Arrays.stream(limiter.shortfallByStage()).boxed().toList());
        // Too late for the rest: 1,199 more of stage 1 and all 3,000 of stage 2.
        clock.addAndGet(10 * S);
        assertEquals(ArrivalRateLimiter.NONE_DUE, limiter.poll());
        assertTrue(limiter.finished());
        assertEquals(6_000, limiter.issued() + limiter.shortfall());
        assertEquals(List.of(1_000L, 1_999L, 3_000L), java.util.Arrays.stream(limiter.shortfallByStage()).boxed().toList());
    }
}
