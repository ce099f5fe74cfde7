package io.fleetbench.ingest;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the ingestion endpoint did so far, or in all once {@link IngestServer#stop()} has completed: then every
 * accepted event is decided, {@code eventsAccepted = eventsAcknowledged + eventsFailed + eventsAmbiguous}.
 *
 * @param requestsByStatus   requests answered, by HTTP status (those whose client had gone away included)
 * @param eventsAccepted     events taken for the stream: handed, or about to be handed, to the producer
 * @param eventsAcknowledged of those, events the stream acknowledged
 * @param eventsFailed       of those, events the producer gave up on after attempts that all failed for sure: not in
 *                           the stream
 * @param eventsAmbiguous    of those, events given up on after an attempt whose outcome is unknown: in the stream
 *                           once or not at all
 * @param rejectedByReason   events refused without being put, by reason; a request refused before its body was read
 *                           counts as one
 */
public record IngestStats(Map<Integer, Long> requestsByStatus, long eventsAccepted, long eventsAcknowledged,
                          long eventsFailed, long eventsAmbiguous, Map<RejectReason, Long> rejectedByReason) {

    public IngestStats {
        // Sorted, so that the stats read the same way every time.
        requestsByStatus = Collections.unmodifiableMap(new TreeMap<>(requestsByStatus));
        Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
        byReason.putAll(rejectedByReason);
        rejectedByReason = Collections.unmodifiableMap(byReason);
    }

    /** Requests answered with {@code status}. */
    public long requests(int status) {
        return requestsByStatus.getOrDefault(status, 0L);
    }

    /** Events refused for {@code reason}. */
    public long rejected(RejectReason reason) {
        return rejectedByReason.getOrDefault(reason, 0L);
    }

    /** Events accepted and not yet decided. */
    public long eventsPending() {
        return eventsAccepted - eventsAcknowledged - eventsFailed - eventsAmbiguous;
    }
}
