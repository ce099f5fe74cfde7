package io.fleetbench.simulator;

import io.fleetbench.telemetry.ShardLoadReport;

import org.HdrHistogram.Histogram;

import java.time.Duration;

/**
 * The outcome of a finished run. When a run has drained, {@code sent == acknowledged + failed}.
 *
 * @param stats              totals over the whole run; latency and actual rate over the whole run
 * @param generationTime     from the start until generating stopped
 * @param sentPerSecond      events sent per second of generation time: the sustained rate
 * @param putLatencyMicros   every put latency of the run, microseconds from intended send time
 * @param shardLoad          the write load per shard against the Kinesis shard limits
 */
public record SimulatorResult(SimulatorStats stats, Duration generationTime, double sentPerSecond,
                              Histogram putLatencyMicros, ShardLoadReport shardLoad) {
}
