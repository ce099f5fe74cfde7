package io.fleetbench.regress;

import io.fleetbench.report.ExitCode;
import io.fleetbench.profile.Threshold;
import io.fleetbench.report.RunReport;
import io.fleetbench.report.Thresholds;

import java.util.ArrayList;
import java.util.List;

/**
 * A candidate's runs judged against a baseline's, metric by metric (see {@link MetricComparison#judge}).
 *
 * @param baseline      what the baseline is (a path, a jar, a git ref)
 * @param candidate     what the candidate is
 * @param baselineRuns  the report of each baseline run
 * @param candidateRuns the report of each candidate run
 */
public record Comparison(String baseline, String candidate, List<String> baselineRuns, List<String> candidateRuns,
                         double confidence, List<MetricComparison> metrics) {

    /**
     * Compares two sides' samples by the settings' metrics, each value read as the threshold catalogue reads it.
     * The settings' confidence holds for the metrics together (Bonferroni): each metric's interval is drawn at
     * {@link #perMetricConfidence}, so that the more metrics are judged, the less any one of them is flagged by
     * chance when nothing changed.
     */
    public static Comparison of(String baseline, List<ReportSamples.Sample> baselineSamples, String candidate,
                                List<ReportSamples.Sample> candidateSamples, CompareSettings settings) {
        double perMetric = perMetricConfidence(settings.confidence(), settings.metrics().size());
        List<MetricComparison> results = new ArrayList<>();
        for (Threshold.MetricKey key : settings.metrics()) {
            double[] base = values(key, baselineSamples);
            double[] cand = values(key, candidateSamples);
            MetricComparison m = MetricComparison.judge(key.key(), key.metric().direction(), base, cand,
                    settings.tolerance(key.key()), perMetric);
            List<String> lacking = new ArrayList<>();
            if (base.length > 0 && base.length < baselineSamples.size()) {
                lacking.add((baselineSamples.size() - base.length) + " of " + baselineSamples.size() + " baseline runs");
            }
            if (cand.length > 0 && cand.length < candidateSamples.size()) {
                lacking.add((candidateSamples.size() - cand.length) + " of " + candidateSamples.size()
                        + " candidate runs");
            }
            results.add(lacking.isEmpty() ? m : m.withNote("no value in " + String.join(" and ", lacking)
                    + ", judged without them"));
        }
        return new Comparison(baseline, candidate, files(baselineSamples), files(candidateSamples),
                settings.confidence(), List.copyOf(results));
    }

    /** The confidence of each of {@code metrics} intervals for a family-wise {@code confidence}. */
    public static double perMetricConfidence(double confidence, int metrics) {
        return 1 - (1 - confidence) / Math.max(1, metrics);
    }

    /** The confidence of each metric's interval (see {@link #of}). */
    public double perMetricConfidence() {
        return perMetricConfidence(confidence, metrics.size());
    }

    /** Whether no metric could be judged: every one lacked a value on a side. Nothing then passed. */
    public boolean judgedNothing() {
        return metrics.stream().allMatch(m -> m.verdict() == MetricComparison.Verdict.MISSING);
    }

    /** The exit code: 98 on a regression, 1 when nothing could be judged, else 0. */
    public int exitCode() {
        return regression() ? ExitCode.REGRESSION : judgedNothing() ? ExitCode.ERROR : ExitCode.OK;
    }

    /** Whether any metric regressed. */
    public boolean regression() {
        return metrics.stream().anyMatch(m -> m.verdict() == MetricComparison.Verdict.REGRESSION);
    }

    private static double[] values(Threshold.MetricKey key, List<ReportSamples.Sample> samples) {
        List<Double> values = new ArrayList<>();
        for (ReportSamples.Sample s : samples) {
            RunReport r = s.report();
            Double v = Thresholds.observed(key, r);
            if (v != null && Double.isFinite(v)) {
                values.add(v);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<String> files(List<ReportSamples.Sample> samples) {
        return samples.stream().map(s -> s.file().toString()).toList();
    }
}
