package io.fleetbench.ingest;

import java.util.Locale;

/** Why the endpoint refused a request's events without putting any: the {@code reason} of the rejected meter. */
public enum RejectReason {
    /** A body, or an event in it, that is not valid (400), or a content type the endpoint does not take (415). */
    INVALID,
    /** A body over the size limit, or more events than one request may carry (413). */
    TOO_LARGE,
    /** Credentials missing (401) or wrong (403). */
    UNAUTHORIZED,
    /** No room: too many events undecided, the producer full, or the endpoint stopping (503). */
    BACKPRESSURE;

    /** The snake_case label of metrics and stats. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
