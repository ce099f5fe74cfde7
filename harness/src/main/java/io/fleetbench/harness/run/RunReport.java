package io.fleetbench.harness.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * What a run did and found, written as {@code runs/<id>/report.json} so that runs can be compared
 * by programs. Field names are snake_case in the JSON; times are in seconds, rates in events/s.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
        String runId,
        String profile,
        String profileFile,
        String startedAt,
        double durationSeconds,
        Producer producer,
        Pipeline pipeline,
        List<Table> tables,
        Audit audit) {

    /** What the simulator sent and Kinesis acknowledged. */
    public record Producer(double targetRate, double sustainedRate, long generated, long sent, long acknowledged,
                           long failed, Map<String, Long> failedByReason, long retried, long shortfall, long inFlight,
                           double putLatencyP50Ms, double putLatencyP99Ms, double putLatencyMaxMs) {
    }

    /** How the pipeline behind the stream kept up. */
    public record Pipeline(String stream, int shards, String streamEmulator, Double timeToFirstLeaseSeconds,
                           Double timeToFirstRowSeconds, double drainSeconds, long rowsCommitted,
                           long invalidRecords, double committedRowsPerSecond) {
    }

    /** One Delta table as the independent reader saw it. */
    public record Table(String name, String path, long rows, long distinctEventIds, long duplicateEventIds,
                        long files, long bytes) {
    }

    /** The end-of-run audit: every acknowledged event in the lake exactly once. */
    public record Audit(boolean passed, long acknowledged, long rowsInLake, long distinctEventIds, long lost,
                        long duplicated, boolean producerAccountsBalance, List<String> problems) {
    }
}
