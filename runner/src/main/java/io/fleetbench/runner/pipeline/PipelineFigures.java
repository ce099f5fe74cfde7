package io.fleetbench.runner.pipeline;

import io.fleetbench.report.RunReport;

import java.time.Duration;
import java.time.Instant;

/**
 * What only the pipeline knows, for the report, once it has stopped; null where it cannot tell (a team's
 * own pipeline is seen through its lake alone).
 *
 * @param timeToFirstLeaseSeconds from the command's start to the consumer's first lease
 * @param sink                    how the sink committed
 * @param compaction              what the compactor behind the sink did
 * @param closedAsOf              when the partitions the lake's health calls closed were judged closed
 * @param checkpoints             KCL checkpoints written, for the cost of the lease table; 0 when unknown
 * @param failoverTime            the KCL's lease failover time, for the cost of lease renewals
 * @param leaseAssignmentInterval the KCL's lease assignment interval, for the cost of lease-table scans
 */
public record PipelineFigures(Double timeToFirstLeaseSeconds, RunReport.Sink sink, RunReport.Compaction compaction,
                              Instant closedAsOf, long checkpoints, Duration failoverTime,
                              Duration leaseAssignmentInterval) {
}
