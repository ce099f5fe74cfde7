package io.fleetbench.sink;

import java.time.Instant;
import java.util.Objects;

/**
 * A record that could not be decoded, bound for the dead-letter table with where it came from.
 *
 * @param raw       the record's bytes as received
 * @param reason    a bounded reason label (e.g. {@code malformed_json}), also a metric label
 * @param message   why it was rejected; must not quote the payload
 * @param stream    the source stream's name
 * @param sourceId  the source partition (for Kinesis, the shard id)
 * @param position  the record's position in its source
 * @param arrivedAt when the record arrived in the stream; its UTC date is the table partition
 */
public record DeadLetter(byte[] raw, String reason, String message, String stream, String sourceId,
                         SourcePosition position, Instant arrivedAt) {
    public DeadLetter {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(arrivedAt, "arrivedAt");
    }
}
