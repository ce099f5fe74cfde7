package io.fleetbench.regress;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fleetbench.profile.Threshold;

import java.util.Arrays;
import java.util.List;

/**
 * One metric of a comparison: the samples of each side, their medians, the ratio candidate over baseline
 * with its bootstrap interval, the Mann-Whitney U p-value (informative only), and the verdict. Figures
 * that could not be computed are null: all of them when a side has no value, the interval when a side
 * has one sample.
 *
 * @param metric     the catalogue key, label included
 * @param direction  which way the metric is better
 * @param tolerance  the share by which the ratio may differ from 1 before it counts, such as 0.1
 * @param confidence the confidence of the interval, such as 0.95
 * @param note       why a figure is missing or how the verdict was reached, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricComparison(String metric, Threshold.Direction direction, double tolerance, double confidence,
                               List<Double> baseline, List<Double> candidate, Double baselineMedian,
                               Double candidateMedian, Double ratio, Double intervalLow, Double intervalHigh, Double p,
                               Verdict verdict, String note) {

    /** The outcome for one metric. */
    public enum Verdict {
        /** Worse than the tolerance allows, and the whole interval lies on the worse side of 1. */
        REGRESSION,
        /** Better beyond the tolerance, and the whole interval lies on the better side of 1. */
        IMPROVEMENT,
        /** Within the tolerance, or the difference is not significant. */
        NO_CHANGE,
        /** A side has no value for the metric: nothing was judged. */
        MISSING
    }

    private static final long SEED = 0x5eed_f1ee_7be7cL;

    /**
     * Judges one metric from the values of each side's runs.
     *
     * @param tolerance  a share >= 0
     * @param confidence in (0, 1)
     */
    public static MetricComparison judge(String metric, Threshold.Direction direction, double[] baseline,
                                         double[] candidate, double tolerance, double confidence) {
        List<Double> b = box(baseline);
        List<Double> c = box(candidate);
        if (baseline.length == 0 || candidate.length == 0) {
            String side = baseline.length == 0 && candidate.length == 0 ? "either side"
                    : baseline.length == 0 ? "the baseline" : "the candidate";
            return new MetricComparison(metric, direction, tolerance, confidence, b, c, null, null, null, null, null,
                    null, Verdict.MISSING, "no value in the reports of " + side);
        }
        double baseMedian = Statistics.median(baseline);
        double candMedian = Statistics.median(candidate);
        double ratio = Statistics.ratio(candMedian, baseMedian);
        double p = Statistics.mannWhitneyP(candidate, baseline);
        boolean worse = direction == Threshold.Direction.LOWER ? ratio > 1 + tolerance : ratio < 1 - tolerance;
        boolean better = direction == Threshold.Direction.LOWER ? ratio < 1 - tolerance : ratio > 1 + tolerance;
        if (baseline.length < 2 || candidate.length < 2) {
            Verdict v = worse ? Verdict.REGRESSION : better ? Verdict.IMPROVEMENT : Verdict.NO_CHANGE;
            return new MetricComparison(metric, direction, tolerance, confidence, b, c, baseMedian, candMedian, ratio,
                    null, null, p, v, "1 sample: no interval, judged by tolerance alone");
        }
        double[] interval = Statistics.bootstrapRatio(candidate, baseline, confidence, SEED ^ metric.hashCode());
        boolean aboveOne = interval[0] > 1;
        boolean belowOne = interval[1] < 1;
        boolean worseSide = direction == Threshold.Direction.LOWER ? aboveOne : belowOne;
        boolean betterSide = direction == Threshold.Direction.LOWER ? belowOne : aboveOne;
        Verdict v = worse && worseSide ? Verdict.REGRESSION : better && betterSide ? Verdict.IMPROVEMENT
                : Verdict.NO_CHANGE;
        String note = null;
        if (v == Verdict.NO_CHANGE && (worse || better)) {
            note = "beyond the tolerance but not significant: the interval includes 1";
        }
        return new MetricComparison(metric, direction, tolerance, confidence, b, c, baseMedian, candMedian, ratio,
                interval[0], interval[1], p, v, note);
    }

    /** This comparison with a note added to its own. */
    MetricComparison withNote(String more) {
        String n = note == null ? more : note + "; " + more;
        return new MetricComparison(metric, direction, tolerance, confidence, baseline, candidate, baselineMedian,
                candidateMedian, ratio, intervalLow, intervalHigh, p, verdict, n);
    }

    private static List<Double> box(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
