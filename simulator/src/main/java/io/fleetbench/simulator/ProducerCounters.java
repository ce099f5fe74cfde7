package io.fleetbench.simulator;

import java.util.Map;

/**
 * A reading of the producer's event counters. Once the producer is idle,
 * {@code sent == acknowledged + failed + inFlight} holds exactly; readings taken from another
 * thread while it works may be a few events apart.
 *
 * @param sent                events handed to the producer
 * @param acknowledged        events Kinesis accepted
 * @param failed              events given up on
 * @param failedByReason      {@code failed} split by reason; every reason is present
 * @param retried             record re-sends (one event retried twice counts two)
 * @param inFlight            events buffered, on the wire or waiting to be retried
 * @param inFlightRequests    PutRecords batches on the wire or waiting to be retried
 */
public record ProducerCounters(long sent, long acknowledged, long failed, Map<FailureReason, Long> failedByReason,
                               long retried, long inFlight, int inFlightRequests) {
}
