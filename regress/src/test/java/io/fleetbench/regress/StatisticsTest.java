package io.fleetbench.regress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Medians and the Mann-Whitney U test against values worked out by hand and by reference tables. */
class StatisticsTest {
    @Test
    void medianOfOddAndEvenSamples() {
        assertEquals(2.0, Statistics.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Statistics.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void exactMannWhitneyOfSeparatedSamples() {
        // Complete separation of 3 and 3: U = 0, P(U <= 0) = 1 / C(6,3) = 1/20, two-sided 0.1.
        assertEquals(0.1, Statistics.mannWhitneyP(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 1e-12);
        // 5 and 5: 2 / C(10,5) = 2/252.
        assertEquals(2.0 / 252, Statistics.mannWhitneyP(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}),
                1e-12);
        assertEquals(1.0, Statistics.mannWhitneyP(new double[] {1}, new double[] {2}), 1e-12);
    }

    @Test
    void mannWhitneyOfInterleavedSamplesIsLarge() {
        assertTrue(Statistics.mannWhitneyP(new double[] {1, 4, 5, 8}, new double[] {2, 3, 6, 7}) > 0.5);
    }

    @Test
    void tiesUseTheNormalApproximation() {
        double p = Statistics.mannWhitneyP(new double[] {1, 1, 2, 2}, new double[] {1, 1, 2, 2});
        assertEquals(1.0, p, 1e-6);
        double separated = Statistics.mannWhitneyP(new double[] {1, 1, 2, 2, 2}, new double[] {5, 5, 6, 6, 7});
        assertTrue(separated < 0.02, "p = " + separated);
    }
}
