package io.fleetbench.simulator;

import java.util.Locale;

/** Why the producer gave up on an event, or why it retried one; a bounded metric label. */
public enum FailureReason {
    /** Shard or stream throughput exceeded ({@code ProvisionedThroughputExceededException}, throttling). */
    THROUGHPUT_EXCEEDED(true),
    /** The per-record error code {@code InternalFailure}. */
    INTERNAL_FAILURE(true),
    /** Any other per-record error code (for example a KMS error). */
    RECORD_ERROR(true),
    /** The whole request failed in a way worth retrying: I/O error, timeout, HTTP 5xx. */
    REQUEST_FAILED(true),
    /** The whole request was refused for good: missing stream, access denied, invalid argument. */
    REQUEST_REJECTED(false);

    private final boolean retryable;

    FailureReason(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether an event that failed for this reason is retried while its time-to-live lasts. */
    public boolean retryable() {
        return retryable;
    }

    /** The snake_case metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason for a per-record PutRecords error code. */
    public static FailureReason ofErrorCode(String errorCode) {
        return switch (errorCode) {
            case "ProvisionedThroughputExceededException" -> THROUGHPUT_EXCEEDED;
            case "InternalFailure" -> INTERNAL_FAILURE;
            default -> RECORD_ERROR;
        };
    }
}
