package io.fleetbench.simulator;

import java.util.Map;

/**
 * A reading of the producer's event counters. Once the producer is idle,
 * {@code sent == acknowledged + failed + ambiguous + inFlight} holds exactly; readings taken from
 * another thread while it works may be a few events apart.
 *
 * <p>A PutRecords attempt that timed out or lost its connection neither acknowledges nor fails its
 * records: the stream may have written them. Such records are ambiguous until a later attempt
 * decides: acknowledged ({@code acknowledgedAfterAmbiguous}: possibly in the stream twice) or given
 * up on ({@code ambiguous}: possibly in the stream once).
 *
 * @param sent                       events handed to the producer
 * @param acknowledged               events Kinesis accepted
 * @param acknowledgedAfterAmbiguous of {@code acknowledged}, those accepted after an ambiguous attempt
 * @param failed                     events given up on after attempts that all failed for sure: not in the stream
 * @param failedByReason             {@code failed} split by the reason of the last attempt; every reason is present
 * @param ambiguous                  events given up on after at least one ambiguous attempt: in the stream once or not at all
 * @param retried                    record re-sends (one event retried twice counts two)
 * @param inFlight                   events buffered, on the wire or waiting to be retried
 * @param inFlightRequests           PutRecords batches on the wire or waiting to be retried
 * @param reaggregated               events sent again, aggregated by the stream's new shards, because the aggregate
 *                                   they were in landed in a shard whose hash-key range does not hold them all (one
 *                                   event sent again twice counts two); they are still counted once as sent and
 *                                   once by their final outcome
 */
public record ProducerCounters(long sent, long acknowledged, long acknowledgedAfterAmbiguous, long failed,
                               Map<FailureReason, Long> failedByReason, long ambiguous, long retried, long inFlight,
                               int inFlightRequests, long reaggregated) {
}
