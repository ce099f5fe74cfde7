package io.fleetbench.telemetry;

/**
 * A record that is not a valid event. The reason is machine-readable (it becomes a metric label
 * and a dead-letter column); the message says what was expected and what was found, and never
 * quotes the payload.
 */
public final class InvalidEventException extends Exception {

    /** Why a record was rejected. */
    public enum Reason {
        MALFORMED_JSON,
        UNKNOWN_EVENT_TYPE,
        UNSUPPORTED_SCHEMA_VERSION,
        MISSING_FIELD,
        INVALID_VALUE,
        /** Larger than the reader's limit on record size; not parsed. */
        OVERSIZED,
        /**
         * A KPL aggregated record (it starts with the aggregation magic bytes) whose MD5 trailer does
         * not match its body, so the KCL passed it on whole instead of splitting it into its user records.
         */
        AGGREGATE_BAD_CHECKSUM,
        /**
         * A KPL aggregated record that the KCL passed on whole for another reason than its checksum:
         * too short to hold a body and a trailer, or a body that is not a valid aggregate.
         */
        MALFORMED_AGGREGATE;

        /** The snake_case label used in metrics and the dead-letter table. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public InvalidEventException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** The machine-readable reason. */
    public Reason reason() {
        return reason;
    }
}
