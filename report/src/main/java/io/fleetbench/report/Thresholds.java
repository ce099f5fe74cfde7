package io.fleetbench.report;

import io.fleetbench.profile.Threshold;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Judges a profile's thresholds against a run's report. A threshold whose metric has no value in the
 * report (the stage did not run, the table has no rows) fails: nothing is passed that was not observed.
 */
public final class Thresholds {
    private Thresholds() {
    }

    /** Every threshold, in order, with the value observed and whether it holds. */
    public static List<RunReport.ThresholdResult> judge(List<Threshold> thresholds, RunReport report) {
        List<RunReport.ThresholdResult> results = new ArrayList<>();
        for (Threshold t : thresholds) {
            Double observed = observed(t, report);
            boolean passed = observed != null && !observed.isNaN() && t.holds(observed);
            results.add(new RunReport.ThresholdResult(t.key(), t.condition(), observed, passed));
        }
        return List.copyOf(results);
    }

    /** The value of a threshold's metric in the report, or null when it has none. */
    static Double observed(Threshold t, RunReport r) {
        return observed(t.metric(), t.table(), r);
    }

    /**
     * The value of a catalogue metric in the report, of the key's table or over the run, or null when the
     * report has none.
     */
    public static Double observed(Threshold.MetricKey key, RunReport r) {
        return observed(key.metric(), key.table(), r);
    }

    private static Double observed(Threshold.Metric metric, String table, RunReport r) {
        RunReport.Producer p = r.producer();
        RunReport.Pipeline l = r.pipeline();
        RunReport.Audit a = r.audit();
        RunReport.Http h = r.http();
        return switch (metric) {
            case PRODUCER_TARGET_RATE -> p == null ? null : p.targetRate();
            case PRODUCER_SUSTAINED_RATE -> p == null ? null : p.sustainedRate();
            case PRODUCER_ACKNOWLEDGED -> p == null ? null : (double) p.acknowledged();
            case PRODUCER_FAILED -> p == null ? null : (double) p.failed();
            case PRODUCER_AMBIGUOUS -> p == null ? null : (double) p.ambiguous();
            case PRODUCER_ACKNOWLEDGED_AFTER_AMBIGUOUS -> p == null ? null : (double) p.acknowledgedAfterAmbiguous();
            case PRODUCER_SHORTFALL -> p == null ? null : (double) p.shortfall();
            case PRODUCER_PUT_LATENCY_P50_MS -> p == null ? null : p.putLatencyP50Ms();
            case PRODUCER_PUT_LATENCY_P99_MS -> p == null ? null : p.putLatencyP99Ms();
            case PRODUCER_PUT_LATENCY_MAX_MS -> p == null ? null : p.putLatencyMaxMs();
            case LOAD_SHORTFALL_SHARE -> r.load() == null ? null : r.load().shortfallShare();
            case PIPELINE_ROWS_COMMITTED -> l == null ? null : (double) l.rowsCommitted();
            case PIPELINE_COMMITTED_ROWS_PER_SECOND -> l == null ? null : l.committedRowsPerSecond();
            case PIPELINE_INVALID_RECORDS -> l == null ? null : (double) l.invalidRecords();
            case SINK_FRESHNESS_P50_MS -> freshness(r, table, RunReport.Freshness::p50Ms);
            case SINK_FRESHNESS_P99_MS -> freshness(r, table, RunReport.Freshness::p99Ms);
            case SINK_BUSY_US_PER_ROW -> l == null || l.sink() == null ? null : l.sink().busyUsPerRow();
            case HTTP_STATUS_2XX -> h == null ? null : (double) h.status2xx();
            case HTTP_STATUS_4XX -> h == null ? null : (double) h.status4xx();
            case HTTP_STATUS_5XX -> h == null ? null : (double) h.status5xx();
            case HTTP_CONNECTION_ERRORS -> h == null ? null : (double) h.connectionErrors();
            // Over HTTP the fleet's latency runs from the intended send time to the answer that acknowledged.
            case HTTP_LATENCY_P50_MS -> h == null || p == null ? null : p.putLatencyP50Ms();
            case HTTP_LATENCY_P99_MS -> h == null || p == null ? null : p.putLatencyP99Ms();
            case INGEST_BACKPRESSURE -> h == null || h.ingest() == null ? null : (double) h.ingest().backpressure();
            case AUDIT_LOST -> a == null ? null : (double) a.lost();
            case AUDIT_DUPLICATED -> a == null ? null : (double) a.duplicated();
            case AUDIT_DEAD_LETTERS -> a == null ? null : (double) a.deadLetters();
            case LAKE_SMALL_BYTES_SHARE -> smallBytesShare(r, table, false);
            case LAKE_CLOSED_SMALL_BYTES_SHARE -> smallBytesShare(r, table, true);
        };
    }

    /** One table's freshness, or without a table the worst over the tables that have one. */
    private static Double freshness(RunReport r, String table, ToDoubleFunction<RunReport.Freshness> figure) {
        if (r.tables() == null) {
            return null;
        }
        Double worst = null;
        for (RunReport.Table t : r.tables()) {
            if (t.freshness() != null && (table == null || table.equals(t.name()))) {
                double v = figure.applyAsDouble(t.freshness());
                worst = worst == null ? v : Math.max(worst, v);
            }
        }
        return worst;
    }

    /** The small-byte share over the lake, or of one table; no value for a table the lake health lacks. */
    private static Double smallBytesShare(RunReport r, String table, boolean closed) {
        RunReport.Lake k = r.lake();
        if (k == null) {
            return null;
        }
        if (table == null) {
            return (closed ? k.closed() : k.all()).smallBytesShare();
        }
        return k.tables().stream().filter(t -> Objects.equals(table, t.name())).findFirst()
                .map(t -> (closed ? t.closed() : t.all()).smallBytesShare()).orElse(null);
    }
}
