package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import io.fleetbench.report.Thresholds;

import io.fleetbench.profile.Threshold;
import io.fleetbench.simulator.LatencySummary;
import io.fleetbench.simulator.SimulatorStats;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a profile's {@code abortOnFail} thresholds while the load runs, on the figures so far: the
 * first one that fails, once its {@code delayAbortEval} has passed, stops the load. A metric without a
 * value yet (no put acknowledged, no row committed to the table) is not judged; the end of the run
 * judges every threshold again, as usual.
 */
final class LiveThresholds {
    private final List<Threshold> abortOnFail;

    /** The abortOnFail thresholds among {@code thresholds}. */
    LiveThresholds(List<Threshold> thresholds) {
        this.abortOnFail = thresholds.stream().filter(Threshold::abortOnFail).toList();
    }

    /** Whether no threshold can stop the load. */
    boolean isEmpty() {
        return abortOnFail.isEmpty();
    }

    /**
     * The figures of a run so far.
     *
     * @param atSeconds              seconds since the load started
     * @param targetRate             the load's target rate now, events/s
     * @param sent                   events sent so far
     * @param acknowledged           events Kinesis accepted so far
     * @param failed                 events given up on so far after attempts that all failed for sure
     * @param ambiguous              events given up on so far after an attempt that timed out or lost its connection
     * @param acknowledgedAfterAmbiguous events acknowledged so far after such an attempt
     * @param shortfall              events due but not sent at their intended time so far
     * @param generated              events generated so far
     * @param putLatency             put latency so far
     * @param rowsCommitted          rows committed to the lake so far; null without a pipeline
     * @param invalidRecords         invalid records the consumer counted so far; null without a pipeline
     * @param freshnessByEventTable  each event table's freshness so far, for the tables that have rows
     */
    record Sample(double atSeconds, double targetRate, long sent, long acknowledged, long failed, long ambiguous,
                  long acknowledgedAfterAmbiguous, long shortfall, long generated, LatencySummary putLatency,
                  Long rowsCommitted, Long invalidRecords, Map<String, RunReport.Freshness> freshnessByEventTable) {

        /** The producer's figures of a simulator reading, without a pipeline. */
        static Sample of(double atSeconds, SimulatorStats s, LatencySummary putLatency) {
            return new Sample(atSeconds, s.targetRate(), s.sent(), s.acknowledged(), s.failed(), s.ambiguous(),
                    s.acknowledgedAfterAmbiguous(), s.shortfall(), s.generated(), putLatency, null, null, Map.of());
        }

        /** This sample with the pipeline's figures. */
        Sample withPipeline(long rows, long invalid, Map<String, RunReport.Freshness> freshness) {
            return new Sample(atSeconds, targetRate, sent, acknowledged, failed, ambiguous, acknowledgedAfterAmbiguous,
                    shortfall, generated, putLatency, rows, invalid, Map.copyOf(freshness));
        }
    }

    /** The first abortOnFail threshold, in the profile's order, that fails on this sample past its delay. */
    Optional<RunReport.Aborted> firstFailure(Sample s) {
        for (Threshold t : abortOnFail) {
            if (s.atSeconds() < t.delayAbortEval().toNanos() / 1e9) {
                continue;
            }
            Double observed = observed(t, s);
            if (observed != null && !observed.isNaN() && !t.holds(observed)) {
                return Optional.of(new RunReport.Aborted(t.key(), t.condition(), observed, s.atSeconds()));
            }
        }
        return Optional.empty();
    }

    /**
     * A threshold's metric so far, defined as at the end of the run ({@link Thresholds#observed}) over the
     * time the load has run; null when it has no value yet or none during the run.
     */
    static Double observed(Threshold t, Sample s) {
        LatencySummary latency = s.putLatency().count() == 0 ? null : s.putLatency();
        long due = s.generated() + s.shortfall();
        return switch (t.metric()) {
            case PRODUCER_TARGET_RATE -> s.targetRate();
            case PRODUCER_SUSTAINED_RATE -> s.atSeconds() <= 0 ? null : s.sent() / s.atSeconds();
            case PRODUCER_ACKNOWLEDGED -> (double) s.acknowledged();
            case PRODUCER_FAILED -> (double) s.failed();
            case PRODUCER_AMBIGUOUS -> (double) s.ambiguous();
            case PRODUCER_ACKNOWLEDGED_AFTER_AMBIGUOUS -> (double) s.acknowledgedAfterAmbiguous();
            case PRODUCER_SHORTFALL -> (double) s.shortfall();
            case PRODUCER_PUT_LATENCY_P50_MS -> latency == null ? null : latency.p50Millis();
            case PRODUCER_PUT_LATENCY_P99_MS -> latency == null ? null : latency.p99Millis();
            case PRODUCER_PUT_LATENCY_MAX_MS -> latency == null ? null : latency.maxMillis();
            case LOAD_SHORTFALL_SHARE -> due == 0 ? null : (double) s.shortfall() / due;
            // Before the first commit (the consumer still starting) the pipeline has no figure to judge yet.
            case PIPELINE_ROWS_COMMITTED -> noRowYet(s) ? null : (double) s.rowsCommitted();
            case PIPELINE_COMMITTED_ROWS_PER_SECOND -> noRowYet(s) || s.atSeconds() <= 0 ? null
                    : s.rowsCommitted() / s.atSeconds();
            case PIPELINE_INVALID_RECORDS -> s.invalidRecords() == null ? null : (double) s.invalidRecords();
            case SINK_FRESHNESS_P50_MS -> freshness(s, t.table(), false);
            case SINK_FRESHNESS_P99_MS -> freshness(s, t.table(), true);
            // The audit's and the lake's figures exist only at the end; the profile refuses abortOnFail on them.
            default -> null;
        };
    }

    private static boolean noRowYet(Sample s) {
        return s.rowsCommitted() == null || s.rowsCommitted() == 0;
    }

    /** One table's freshness so far, or without a table the worst over the tables that have one. */
    private static Double freshness(Sample s, String table, boolean p99) {
        Double worst = null;
        for (Map.Entry<String, RunReport.Freshness> e : s.freshnessByEventTable().entrySet()) {
            if (table == null || table.equals(e.getKey())) {
                double v = p99 ? e.getValue().p99Ms() : e.getValue().p50Ms();
                worst = worst == null ? v : Math.max(worst, v);
            }
        }
        return worst;
    }
}
