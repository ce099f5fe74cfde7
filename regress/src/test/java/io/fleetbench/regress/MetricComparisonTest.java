package io.fleetbench.regress;

import io.fleetbench.profile.Threshold.Direction;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.fleetbench.regress.MetricComparison.Verdict.IMPROVEMENT;
import static io.fleetbench.regress.MetricComparison.Verdict.MISSING;
import static io.fleetbench.regress.MetricComparison.Verdict.NO_CHANGE;
import static io.fleetbench.regress.MetricComparison.Verdict.REGRESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verdicts from synthetic samples: shifts, noise, directions, one sample, missing values. */
class MetricComparisonTest {
    private static final double TOLERANCE = 0.10;

    /** n values around {@code center}, each off by up to {@code noise} (a share), from a fixed seed. */
    private static double[] samples(int n, double center, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = center * (1 + noise * (2 * r.nextDouble() - 1));
        }
        return v;
    }

    private static MetricComparison judge(Direction d, double[] baseline, double[] candidate) {
        return MetricComparison.judge("sink.busy_us_per_row", d, baseline, candidate, TOLERANCE, 0.95);
    }

    @Test
    void identicalDistributionsAreNoChange() {
        for (long seed = 1; seed <= 20; seed++) {
            MetricComparison m = judge(Direction.LOWER, samples(5, 100, 0.05, seed), samples(5, 100, 0.05, seed + 1000));
            assertEquals(NO_CHANGE, m.verdict(), "seed " + seed + ": " + m);
            assertTrue(m.intervalLow() <= 1.06 && m.intervalHigh() >= 0.94, m.toString());
        }
    }

    @Test
    void aThirtyPercentShiftWithFivePercentNoiseIsARegressionWithThreeAndFiveRuns() {
        for (int n : new int[] {3, 5}) {
            for (long seed = 1; seed <= 20; seed++) {
                MetricComparison m = judge(Direction.LOWER, samples(n, 100, 0.05, seed), samples(n, 130, 0.05, seed + 7));
                assertEquals(REGRESSION, m.verdict(), "n=" + n + ", seed " + seed + ": " + m);
                assertTrue(m.intervalLow() > 1, m.toString());
                assertTrue(m.ratio() > 1.15 && m.ratio() < 1.45, m.toString());
            }
        }
    }

    @Test
    void aFivePercentShiftWithinATenPercentToleranceIsNoChange() {
        double[] base = {100, 100.5, 99.5, 100.2, 99.8};
        double[] cand = {105, 105.5, 104.5, 105.2, 104.8};
        MetricComparison m = judge(Direction.LOWER, base, cand);
        assertTrue(m.intervalLow() > 1, "the shift is significant: " + m);
        assertEquals(NO_CHANGE, m.verdict(), "but within the tolerance");
    }

    @Test
    void theDirectionDecidesWhichWayIsWorse() {
        double[] base = samples(5, 1000, 0.03, 3);
        double[] lower = samples(5, 700, 0.03, 4);
        assertEquals(IMPROVEMENT, judge(Direction.LOWER, base, lower).verdict(), "lower latency is better");
        assertEquals(REGRESSION, judge(Direction.HIGHER, base, lower).verdict(), "a lower rate is worse");
        double[] higher = samples(5, 1300, 0.03, 5);
        assertEquals(REGRESSION, judge(Direction.LOWER, base, higher).verdict());
        assertEquals(IMPROVEMENT, judge(Direction.HIGHER, base, higher).verdict());
    }

    @Test
    void aLargeButNoisyDifferenceIsNotSignificant() {
        double[] base = {100, 60, 140, 95, 150};
        double[] cand = {130, 70, 190, 120, 60};
        MetricComparison m = judge(Direction.LOWER, base, cand);
        assertTrue(m.ratio() > 1 + TOLERANCE, m.toString());
        assertTrue(m.intervalLow() <= 1, m.toString());
        assertEquals(NO_CHANGE, m.verdict());
        assertNotNull(m.note());
    }

    @Test
    void oneSampleIsJudgedByToleranceAloneWithoutAnInterval() {
        MetricComparison m = judge(Direction.LOWER, new double[] {100}, new double[] {125});
        assertEquals(REGRESSION, m.verdict());
        assertNull(m.intervalLow());
        assertEquals("1 sample: no interval, judged by tolerance alone", m.note());
        assertEquals(NO_CHANGE, judge(Direction.LOWER, new double[] {100}, new double[] {105, 104}).verdict());
    }

    @Test
    void aMissingSideIsReportedAsMissing() {
        MetricComparison m = judge(Direction.LOWER, new double[0], new double[] {1, 2});
        assertEquals(MISSING, m.verdict());
        assertNull(m.ratio());
        assertTrue(m.note().contains("baseline"), m.note());
        assertTrue(judge(Direction.HIGHER, new double[] {1}, new double[0]).note().contains("candidate"));
    }

    @Test
    void theIntervalIsReproducible() {
        double[] base = samples(5, 100, 0.1, 1);
        double[] cand = samples(5, 110, 0.1, 2);
        assertEquals(judge(Direction.LOWER, base, cand), judge(Direction.LOWER, base, cand));
    }

    @Test
    void zeroMediansCompareWithoutDividingByZero() {
        assertEquals(1.0, judge(Direction.LOWER, new double[] {0, 0, 0}, new double[] {0, 0, 0}).ratio());
        MetricComparison m = judge(Direction.LOWER, new double[] {0, 0, 0}, new double[] {5, 6, 7});
        assertEquals(Double.POSITIVE_INFINITY, m.ratio());
        assertEquals(REGRESSION, m.verdict());
    }
}
