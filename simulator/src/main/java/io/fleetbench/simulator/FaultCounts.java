package io.fleetbench.simulator;

/**
 * How many records each data fault touched, counted when the record was handed to the producer
 * (or, for the offline counts, when it was dropped or left unsent). Faults are exclusive where the
 * audit needs them to be: a malformed record is never also a duplicate, and only well-formed
 * records of the current schema version are duplicated.
 *
 * @param offlineDelayed events a device stored while offline and sent late, out of order, when it came back
 * @param offlineDropped events an offline device generated but never sent, because the store was full
 * @param offlinePending events still stored by offline devices (at the end of a run: never sent)
 * @param duplicates     extra copies sent of an event already sent (same event id)
 * @param clockDrift     records sent with the device clock off
 * @param malformed      records sent truncated, so not valid JSON
 * @param schemaChanged  well-formed records sent with the changed schema version
 */
public record FaultCounts(long offlineDelayed, long offlineDropped, long offlinePending, long duplicates,
                          long clockDrift, long malformed, long schemaChanged) {
    /** No faults. */
    public static final FaultCounts NONE = new FaultCounts(0, 0, 0, 0, 0, 0, 0);
}
