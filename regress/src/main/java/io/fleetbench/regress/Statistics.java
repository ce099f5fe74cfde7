package io.fleetbench.regress;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The statistics of a comparison: medians, a percentile bootstrap of their ratio, and the Mann-Whitney U test. */
final class Statistics {
    /** Resamples of the bootstrap. */
    static final int RESAMPLES = 10_000;
    /** Above this many pairs the U test's p-value comes from the normal approximation rather than the exact distribution. */
    private static final int EXACT_MAX_PAIRS = 2_500;

    private Statistics() {
    }

    /** The median of a non-empty sample. */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * The ratio of two medians, candidate over baseline; 1 when both are 0, and infinite when only the
     * baseline's is 0, so that a figure that appears where there was none counts as worse or better.
     */
    static double ratio(double candidate, double baseline) {
        if (baseline == 0) {
            return candidate == 0 ? 1 : Math.copySign(Double.POSITIVE_INFINITY, candidate);
        }
        return candidate / baseline;
    }

    /**
     * A percentile bootstrap interval of the ratio of medians: each side resampled with replacement,
     * independently, {@link #RESAMPLES} times, from a generator seeded with {@code seed} so that the same
     * samples give the same interval.
     *
     * @param confidence in (0, 1), such as 0.95
     * @return {low, high}
     */
    static double[] bootstrapRatio(double[] candidate, double[] baseline, double confidence, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] ratios = new double[RESAMPLES];
        double[] c = new double[candidate.length];
        double[] b = new double[baseline.length];
        for (int i = 0; i < RESAMPLES; i++) {
            resample(candidate, c, random);
            resample(baseline, b, random);
            ratios[i] = ratio(median(c), median(b));
        }
        Arrays.sort(ratios);
        double tail = (1 - confidence) / 2;
        return new double[] {quantile(ratios, tail), quantile(ratios, 1 - tail)};
    }

    private static void resample(double[] from, double[] into, SplittableRandom random) {
        for (int i = 0; i < into.length; i++) {
            into[i] = from[random.nextInt(from.length)];
        }
    }

    /** The q-quantile of sorted values, interpolating linearly between neighbours. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double lo = sorted[below];
        double hi = sorted[above];
        if (lo == hi || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            return position - below < 0.5 ? lo : hi;
        }
        return lo + (position - below) * (hi - lo);
    }

    /**
     * The two-sided p-value of the Mann-Whitney U test that the two samples come from the same
     * distribution: exact without ties for small samples, else the normal approximation with a tie
     * correction and a continuity correction.
     */
    static double mannWhitneyP(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        double[] all = new double[n1 + n2];
        System.arraycopy(x, 0, all, 0, n1);
        System.arraycopy(y, 0, all, n1, n2);
        double[] sorted = all.clone();
        Arrays.sort(sorted);
        double rankSumX = 0;
        for (double v : x) {
            rankSumX += midRank(sorted, v);
        }
        double u = rankSumX - n1 * (n1 + 1) / 2.0;
        double tieTerm = 0;
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            long t = j - i;
            tieTerm += (double) t * t * t - t;
            i = j;
        }
        if (tieTerm == 0 && (long) n1 * n2 <= EXACT_MAX_PAIRS) {
            return exactP(u, n1, n2);
        }
        double mean = n1 * n2 / 2.0;
        int n = n1 + n2;
        double variance = n1 * (double) n2 / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        if (variance <= 0) {
            return 1;
        }
        double z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
        return Math.min(1, 2 * (1 - normalCdf(z)));
    }

    private static double midRank(double[] sorted, double v) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] == v) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        return (first + last) / 2.0 + 1;
    }

    /** Two-sided exact p-value: twice the smaller tail of U's distribution under the null, at most 1. */
    private static double exactP(double u, int n1, int n2) {
        // N(i, j)[k]: orderings of i x's and j y's in which k (x, y) pairs have the x above the y. The
        // largest element is an x above all j y's, or a y: N(i, j)[k] = N(i-1, j)[k-j] + N(i, j-1)[k].
        int max = n1 * n2;
        double[][] prev = new double[n1 + 1][max + 1];
        for (int i = 0; i <= n1; i++) {
            prev[i][0] = 1;
        }
        for (int j = 1; j <= n2; j++) {
            double[][] next = new double[n1 + 1][max + 1];
            next[0][0] = 1;
            for (int i = 1; i <= n1; i++) {
                for (int k = 0; k <= max; k++) {
                    double v = prev[i][k];
                    if (k >= j) {
                        v += next[i - 1][k - j];
                    }
                    next[i][k] = v;
                }
            }
            prev = next;
        }
        double[] counts = prev[n1];
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        long k = Math.round(u);
        double lower = 0;
        double upper = 0;
        for (int i = 0; i <= max; i++) {
            if (i <= k) {
                lower += counts[i];
            }
            if (i >= k) {
                upper += counts[i];
            }
        }
        return Math.min(1, 2 * Math.min(lower, upper) / total);
    }

    /** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
    private static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * Math.exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
