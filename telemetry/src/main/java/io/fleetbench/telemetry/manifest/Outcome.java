package io.fleetbench.telemetry.manifest;

import java.util.Locale;

/**
 * What a producer knows about one event it sent, as an acknowledgement manifest records it. The
 * first four are outcomes, of which an event has one once decided ({@link #ACKNOWLEDGED_AFTER_AMBIGUOUS}
 * is recorded beside {@link #ACKNOWLEDGED}); the next three mark events that a data fault sent
 * differently on purpose, so that an audit expects them where they belong; the last marks events the
 * producer sent again after the stream was resharded, so that an audit knows why one is there twice.
 */
public enum Outcome {
    /** The stream acknowledged the event: it must land. */
    ACKNOWLEDGED('a'),
    /**
     * Acknowledged, after an earlier attempt that timed out or lost its connection: that attempt may
     * have written it too, so it may be in the stream twice (a producer re-send, not a pipeline
     * duplicate). Always recorded beside {@link #ACKNOWLEDGED}.
     */
    ACKNOWLEDGED_AFTER_AMBIGUOUS('r'),
    /**
     * Given up on after at least one attempt whose outcome is unknown (timed out, connection lost):
     * it may be in the stream once, or not at all.
     */
    AMBIGUOUS('g'),
    /** Given up on after attempts that all failed for sure: it is not in the stream. */
    FAILED('f'),
    /** Sent twice on purpose (the duplicate data fault): two copies at different stream positions. */
    DUPLICATE_SENT('d'),
    /** Sent malformed on purpose (the malformed data fault): it belongs in the dead-letter table. */
    MALFORMED_SENT('m'),
    /** Sent with a newer schema version on purpose (the schema-change data fault). */
    NEWER_SCHEMA_SENT('v'),
    /**
     * Sent again, aggregated by the stream's new shards, because the aggregate it was in landed in a shard
     * whose hash-key range does not hold it (the stream was resharded): that first copy is in the stream too,
     * where a KPL-aware consumer drops the whole aggregate, so the event may be in the lake twice, at two
     * stream positions (a producer re-send). Recorded beside its outcome.
     */
    REAGGREGATED('x');

    private final char code;

    Outcome(char code) {
        this.code = code;
    }

    /** The one-letter code of the manifest's text form. */
    public char code() {
        return code;
    }

    /** The snake_case name used in reports and metric labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of a code, or null if none has it. */
    public static Outcome ofCode(char code) {
        for (Outcome o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        return null;
    }
}
