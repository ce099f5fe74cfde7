package io.fleetbench.simulator;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search driven by synthetic observations, one a second, as the simulator gives them. */
class MaxRateSearchTest {
    private static final long S = 1_000_000_000L;

    private final MaxRateSearch search = new MaxRateSearch(new MaxRateSearch.Settings(1_000, 2, Duration.ofSeconds(10),
            0.01, Duration.ofMillis(500), 64_000));
    private long issued;
    private long shortfall;

    /** One second of the run at {@code second} (1-based end) with a share lost and every put taking latencyMillis. */
    private void second(int second, double shortShare, long latencyMillis) {
        double rate = search.rateAt((second - 1) * S);
        long due = Math.round(rate);
        long lost = Math.round(due * shortShare);
        issued += due - lost;
        shortfall += lost;
        Histogram h = new Histogram(3);
        h.recordValueWithCount(latencyMillis * 1000, Math.max(1, due - lost));
        search.observe(new LoadObservation(second * S, issued, shortfall, h, false));
    }

    @Test
    void stepRatesGrowByTheFactorUpToTheMaximum() {
        assertEquals(List.of(1_000.0, 2_000.0, 4_000.0, 8_000.0, 16_000.0, 32_000.0, 64_000.0),
                search.settings().rates());
        assertEquals(Duration.ofSeconds(70), search.maxDuration());
        assertEquals(4_000, search.rateAt(25 * S));
        assertEquals(10_000 + 20_000, search.firstIndexAtOrAfter(20 * S));
    }

    @Test
    void reportsTheHighestStepThatHeldAndEndsTheShapeAtTheFirstThatDidNot() {
        for (int s = 1; s <= 20; s++) {
            second(s, 0, 20);
        }
        // The third step (4,000/s) loses 5 % of its events.
        for (int s = 21; s <= 30; s++) {
            second(s, 0.05, 20);
        }
        assertEquals(31 * S, search.offsetNanos(70_000 + 8_000), "the search goes on until the step is closed");
        second(31, 0, 20);

        MaxRateSearch.Outcome o = search.outcome();
        assertEquals(2_000, o.sustainedRate());
        assertEquals(3, o.steps().size());
        assertTrue(o.steps().get(0).held() && o.steps().get(1).held());
        MaxRateSearch.Step failed = o.steps().get(2);
        assertFalse(failed.held());
        assertEquals(40_000, failed.due());
        assertEquals(2_000, failed.shortfall());
        assertTrue(o.stoppedBy().startsWith("step 2 at 4000 events/s fell short: 2000 of 40000"), o.stoppedBy());

        // Events before the end keep their offsets; none is intended after it.
        assertEquals(30 * S, search.offsetNanos(70_000));
        assertEquals(LoadShape.NEVER, search.offsetNanos(70_000 + 8_000));
        assertEquals(70_000 + 8_000, search.firstIndexAtOrAfter(100 * S));
        assertEquals(0, search.rateAt(40 * S));
    }

    @Test
    void aStepWhosePutLatencyP99IsTooHighFailsEvenWithoutShortfall() {
        for (int s = 1; s <= 10; s++) {
            second(s, 0, 20);
        }
        for (int s = 11; s <= 20; s++) {
            second(s, 0, s >= 19 ? 900 : 20);
        }
        second(21, 0, 20);
        MaxRateSearch.Outcome o = search.outcome();
        assertEquals(1_000, o.sustainedRate());
        assertEquals(900, o.steps().get(1).putLatencyP99Millis(), 1);
        assertTrue(o.stoppedBy().contains("put latency p99 900"), o.stoppedBy());
    }

    @Test
    void theFinalObservationJudgesTheLastStepWhenEveryStepHeld() {
        for (int s = 1; s <= 69; s++) {
            second(s, 0, 5);
        }
        assertEquals(6, search.outcome().steps().size());
        search.observe(new LoadObservation(69 * S + S / 2, issued, shortfall, new Histogram(3), true));
        MaxRateSearch.Outcome o = search.outcome();
        assertEquals(64_000, o.sustainedRate());
        assertEquals(7, o.steps().size());
        assertTrue(o.stoppedBy().startsWith("every step held"), o.stoppedBy());
    }

    @Test
    void noStepHeldMeansNoSustainedRate() {
        for (int s = 1; s <= 10; s++) {
            second(s, 0.5, 20);
        }
        second(11, 0, 20);
        assertEquals(0, search.outcome().sustainedRate());
        assertEquals(1, search.outcome().steps().size());
        assertEquals(LoadShape.NEVER, search.offsetNanos(10_000 + 2_000));
    }
}
