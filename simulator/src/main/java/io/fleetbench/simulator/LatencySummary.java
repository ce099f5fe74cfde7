package io.fleetbench.simulator;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of put latency, in milliseconds, measured from intended send times.
 *
 * @param count number of latencies recorded
 */
public record LatencySummary(long count, double p50Millis, double p90Millis, double p99Millis, double p999Millis,
                             double maxMillis) {

    /** No latencies recorded. */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

    /** The summary of a histogram of microseconds. */
    public static LatencySummary ofMicros(Histogram h) {
        if (h.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(h.getTotalCount(), millis(h.getValueAtPercentile(50)),
                millis(h.getValueAtPercentile(90)), millis(h.getValueAtPercentile(99)),
                millis(h.getValueAtPercentile(99.9)), millis(h.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
