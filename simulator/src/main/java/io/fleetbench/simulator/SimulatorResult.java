package io.fleetbench.simulator;

import io.fleetbench.telemetry.ShardLoadReport;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a finished run. When a run has drained, {@code sent == acknowledged + failed + ambiguous}.
 *
 * @param stats              totals over the whole run; latency and actual rate over the whole run
 * @param generationTime     from the start until generating stopped
 * @param sentPerSecond      events sent per second of generation time: the sustained rate
 * @param putLatencyMicros   every put latency of the run, microseconds from intended send time
 * @param shardLoad          the write load per shard against the Kinesis shard limits
 * @param manifest           how the acknowledgement manifest was written; empty when the config named none
 * @param lastAcknowledged   per shard, the sequence number of the last record acknowledged
 *                           ({@link KinesisProducer#lastAcknowledged()}): how far a reader must read each shard to
 *                           have read every acknowledged record
 */
public record SimulatorResult(SimulatorStats stats, Duration generationTime, double sentPerSecond,
                              Histogram putLatencyMicros, ShardLoadReport shardLoad, Optional<ManifestWrites> manifest,
                              Map<String, String> lastAcknowledged) {
    public SimulatorResult {
        lastAcknowledged = Map.copyOf(lastAcknowledged);
    }
}
