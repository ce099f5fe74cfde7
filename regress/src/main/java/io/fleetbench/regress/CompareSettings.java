package io.fleetbench.regress;

import io.fleetbench.profile.Threshold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a comparison judges and how: the metrics (catalogue keys), the tolerance of each (a default, and
 * per key), and the confidence of the intervals.
 */
public record CompareSettings(List<Threshold.MetricKey> metrics, double defaultTolerance,
                              Map<String, Double> tolerances, double confidence) {

    /** The metrics judged when none are named. */
    public static final List<String> DEFAULT_METRICS = List.of(
            "producer.sustained_rate", "producer.put_latency_p50_ms", "producer.put_latency_p99_ms",
            "pipeline.committed_rows_per_second", "sink.freshness_p50_ms", "sink.freshness_p99_ms",
            "sink.busy_us_per_row");
    /** The default tolerance: 10 %. */
    public static final double DEFAULT_TOLERANCE = 0.10;
    /** The default confidence of the intervals. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public CompareSettings {
        metrics = List.copyOf(metrics);
        tolerances = Map.copyOf(tolerances);
    }

    /** The tolerance of a metric key. */
    public double tolerance(String key) {
        return tolerances.getOrDefault(key, defaultTolerance);
    }

    /**
     * Settings from command-line values.
     *
     * @param metricKeys catalogue keys; empty for {@link #DEFAULT_METRICS}
     * @param tolerances each {@code PCT} (the default, such as {@code 10%}) or {@code KEY=PCT}
     * @param confidence in (0, 1)
     * @throws CompareInputException naming the option and value that are wrong
     */
    public static CompareSettings parse(List<String> metricKeys, List<String> tolerances, double confidence)
            throws CompareInputException {
        List<Threshold.MetricKey> keys = new ArrayList<>();
        for (String k : metricKeys == null || metricKeys.isEmpty() ? DEFAULT_METRICS : metricKeys) {
            try {
                Threshold.MetricKey key = Threshold.MetricKey.parse(k.trim());
                if (keys.stream().noneMatch(x -> x.key().equals(key.key()))) {
                    keys.add(key);
                }
            } catch (IllegalArgumentException e) {
                throw new CompareInputException("--metric: " + e.getMessage());
            }
        }
        double defaultTolerance = DEFAULT_TOLERANCE;
        Map<String, Double> perKey = new LinkedHashMap<>();
        for (String t : tolerances == null ? List.<String>of() : tolerances) {
            int eq = t.indexOf('=');
            if (eq < 0) {
                defaultTolerance = percent(t);
            } else {
                String k = t.substring(0, eq).trim();
                try {
                    Threshold.MetricKey.parse(k);
                } catch (IllegalArgumentException e) {
                    throw new CompareInputException("--tolerance " + t + ": " + e.getMessage());
                }
                perKey.put(k, percent(t.substring(eq + 1)));
            }
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new CompareInputException("--confidence must be between 0 and 1 (exclusive), such as 0.95; found "
                    + confidence);
        }
        return new CompareSettings(keys, defaultTolerance, perKey, confidence);
    }

    /** A percentage such as {@code 10%} or {@code 10}, as a share. */
    static double percent(String value) throws CompareInputException {
        String v = value.trim();
        if (v.endsWith("%")) {
            v = v.substring(0, v.length() - 1).trim();
        }
        double pct;
        try {
            pct = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CompareInputException("--tolerance must be a percentage such as 10% (or KEY=10%); found \""
                    + value + "\"");
        }
        if (!(pct >= 0 && pct < 100)) {
            throw new CompareInputException("--tolerance must be a percentage in [0%, 100%), such as 10%; found \""
                    + value + "\"");
        }
        return pct / 100;
    }
}
