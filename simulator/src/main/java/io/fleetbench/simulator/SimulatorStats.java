package io.fleetbench.simulator;

import java.time.Duration;
import java.util.Map;

/**
 * A reading of a running or finished simulator. Once it has drained,
 * {@code sent == acknowledged + failed + ambiguous}.
 *
 * @param elapsed                    time since the start
 * @param targetRate                 the target rate now, events per second
 * @param actualRate                 events sent per second since the previous snapshot (over the whole run in a result)
 * @param generated                  events generated
 * @param sent                       events handed to the producer
 * @param acknowledged               events Kinesis accepted
 * @param failed                     events given up on after attempts that all failed for sure: not in the stream
 * @param failedByReason             {@code failed} split by {@link FailureReason#label()}
 * @param retried                    record re-sends
 * @param inFlight                   events buffered, on the wire or waiting to be retried
 * @param shortfall                  events due that could not be sent at their intended time and were not
 *                                   generated (the producer was full, or the generator more than maxLag behind)
 * @param putLatency                 put latency since the previous snapshot (over the whole run in a result)
 * @param faults                     records touched by each injected data fault ({@link FaultInjector})
 * @param acknowledgedAfterAmbiguous of {@code acknowledged}, those accepted after an attempt that timed out or lost
 *                                   its connection: possibly in the stream twice
 * @param ambiguous                  events given up on after such an attempt: in the stream once or not at all
 * @param reaggregated               events sent again, aggregated by the stream's new shards, because the aggregate
 *                                   they were in landed in a shard whose hash-key range does not hold them all
 */
public record SimulatorStats(Duration elapsed, double targetRate, double actualRate, long generated, long sent,
                             long acknowledged, long failed, Map<String, Long> failedByReason, long retried,
                             long inFlight, long shortfall, LatencySummary putLatency, FaultCounts faults,
                             long acknowledgedAfterAmbiguous, long ambiguous, long reaggregated) {

    /** A reading without ambiguous outcomes. */
    public SimulatorStats(Duration elapsed, double targetRate, double actualRate, long generated, long sent,
                          long acknowledged, long failed, Map<String, Long> failedByReason, long retried,
                          long inFlight, long shortfall, LatencySummary putLatency, FaultCounts faults) {
        this(elapsed, targetRate, actualRate, generated, sent, acknowledged, failed, failedByReason, retried, inFlight,
                shortfall, putLatency, faults, 0, 0, 0);
    }
}
