package io.fleetbench.telemetry.manifest;

import io.fleetbench.telemetry.EventIds;

/**
 * Where a producer tells what became of each event it sent, under a key it was given with the event: an
 * {@link AckLedger} keeps it for the acknowledgement manifest (the key is the event's
 * {@linkplain EventIds#key device key}); an ingestion endpoint answers the request the event came in (the key
 * is its own ticket).
 */
@FunctionalInterface
public interface OutcomeRecorder {

    /**
     * Records an outcome or mark of one event. {@link Outcome#ACKNOWLEDGED_AFTER_AMBIGUOUS} follows
     * {@link Outcome#ACKNOWLEDGED} for the same key; {@link Outcome#REAGGREGATED} comes before the event's final
     * outcome.
     */
    void record(long key, Outcome outcome);
}
