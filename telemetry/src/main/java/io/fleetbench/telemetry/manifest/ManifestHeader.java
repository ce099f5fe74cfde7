package io.fleetbench.telemetry.manifest;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The first line of an acknowledgement manifest: whose events it speaks of and how far it goes.
 *
 * @param seed            the fleet's seed: the manifest's event ids are {@code new EventIds(seed)}'s
 * @param cars            cars in the fleet
 * @param bikes           bikes in the fleet
 * @param instance        which share of the fleet the producer sent, {@code I/N} (1-based), {@code 1/1} for all
 * @param stream          the stream it put into
 * @param complete        whether the producer had finished: every event it sent is decided and recorded.
 *                        A manifest that is not complete (the producer was killed, or is still running)
 *                        holds what was decided up to its last flush
 * @param writtenAtMillis when it was written, epoch milliseconds
 * @param counts          events by {@link Outcome#label()} at the time of writing, plus {@code in_flight}
 */
public record ManifestHeader(long seed, int cars, int bikes, String instance, String stream, boolean complete,
                             long writtenAtMillis, Map<String, Long> counts) {
    /** The format's name, the header's {@code format} field. */
    public static final String FORMAT = "fleetbench-ack-manifest";
    /** The format's version this build writes and reads. */
    public static final int VERSION = 1;

    public ManifestHeader {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(stream, "stream");
        // Sorted by name, so that the header reads the same from one write to the next.
        counts = Collections.unmodifiableMap(new TreeMap<>(counts));
    }
}
