package io.fleetbench.runner.pipeline;

import io.fleetbench.report.RunReport;

import java.util.Map;

/**
 * A pipeline's progress at one moment.
 *
 * @param rowsCommitted  event rows committed to the lake's tables
 * @param deadLetters    records committed to the dead-letter table
 * @param invalidRecords records the pipeline found invalid (each becomes a dead letter)
 * @param lagMillis      how far its reading is behind: the age of the newest record read when it was read, the
 *                       largest over the shards; 0 when unknown
 * @param idle           whether nothing waits in its buffers and its reading is at the tip, as far as it can tell
 * @param freshness      per event table, the freshness of what was committed so far; empty when unknown
 * @param busySeconds    the sink's busy time so far, or NaN when unknown
 */
public record PipelineProgress(long rowsCommitted, long deadLetters, long invalidRecords, long lagMillis, boolean idle,
                               Map<String, RunReport.Freshness> freshness, double busySeconds) {
    public PipelineProgress {
        freshness = Map.copyOf(freshness);
    }

    /** Records the pipeline is done with: committed as rows or as dead letters. */
    public long accounted() {
        return rowsCommitted + deadLetters;
    }
}
