package io.fleetbench.runner.pipeline;

import io.fleetbench.report.RunReport;
import io.fleetbench.sink.SourcePosition;

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
 * @param durable        per shard, the highest stream position up to which everything is in the lake (as rows or
 *                       dead letters); null when the pipeline cannot tell (one seen through its lake alone)
 */
public record PipelineProgress(long rowsCommitted, long deadLetters, long invalidRecords, long lagMillis, boolean idle,
                               Map<String, RunReport.Freshness> freshness, double busySeconds,
                               Map<String, SourcePosition> durable) {
    public PipelineProgress {
        freshness = Map.copyOf(freshness);
        durable = durable == null ? null : Map.copyOf(durable);
    }

    /** Records the pipeline is done with: committed as rows or as dead letters. */
    public long accounted() {
        return rowsCommitted + deadLetters;
    }

    /**
     * Whether the lake holds every shard up to the given sequence numbers: per shard, the last record the producer had
     * acknowledged ({@code SimulatorResult.lastAcknowledged()}). Counting rows cannot tell that once an attempt whose
     * answer was lost wrote records the producer then sent again: their copies count as rows, so the rows reach the
     * acknowledged count before every acknowledged record is in. True when the pipeline cannot tell its positions.
     */
    public boolean reached(Map<String, String> lastAcknowledged) {
        if (durable == null) {
            return true;
        }
        for (Map.Entry<String, String> end : lastAcknowledged.entrySet()) {
            SourcePosition reached = durable.get(end.getKey());
            if (reached == null || reached.compareTo(SourcePosition.of(end.getValue(), 0)) < 0) {
                return false;
            }
        }
        return true;
    }
}
