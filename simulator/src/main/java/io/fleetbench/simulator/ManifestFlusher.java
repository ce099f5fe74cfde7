package io.fleetbench.simulator;

import io.fleetbench.telemetry.manifest.AckLedger;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Writes a producer's {@link AckLedger} to its manifest file: every {@code interval} while the run goes,
 * so that a killed run keeps what was decided up to its last write, and once more, complete, after the
 * drain. A write rewrites the whole file (its cost grows with the devices that have anything recorded),
 * so writes are spaced at least ten times as far apart as the last one took: a very large fleet spends
 * at most about a tenth of its producer thread writing. A write that fails is logged once and the run
 * goes on; {@link #writes()} says what became of the file.
 *
 * <p>Single thread: the one that records into the ledger.
 */
final class ManifestFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestFlusher.class);
    /** How much longer than the last write took the pause before the next one is at least. */
    static final int SPACING = 10;

    private final Path file;
    private final AckLedger ledger;
    private final long seed;
    private final String stream;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long nextNanos;
    private long writes;
    private boolean complete;
    private long bytes;
    private long lastWriteNanos;
    private long longestWriteNanos;
    private String problem;

    /**
     * @param file     the manifest file; its folder must exist
     * @param ledger   what to write
     * @param seed     the fleet's seed, for the header
     * @param stream   the stream put into, for the header
     * @param interval the least time between two periodic writes
     * @param nanoTime the clock writes are timed and spaced on, as {@link System#nanoTime()}
     */
    ManifestFlusher(Path file, AckLedger ledger, long seed, String stream, Duration interval, LongSupplier nanoTime) {
        this.file = Objects.requireNonNull(file, "file");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.seed = seed;
        this.stream = Objects.requireNonNull(stream, "stream");
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextNanos = nanoTime.getAsLong() + intervalNanos;
    }

    /** Writes the manifest, incomplete, if the time for the next periodic write has come. */
    void writeIfDue(long inFlight) {
        if (!complete && nanoTime.getAsLong() - nextNanos >= 0) {
            write(false, inFlight);
        }
    }

    /**
     * Writes the manifest now; {@code complete} once every event sent is decided and recorded, after which
     * no periodic write follows.
     *
     * @return whether it was written
     */
    boolean write(boolean complete, long inFlight) {
        long start = nanoTime.getAsLong();
        boolean written;
        try {
            AckManifest.write(file, header(complete, inFlight), ledger);
            bytes = Files.size(file);
            writes++;
            this.complete = complete;
            written = true;
        } catch (IOException | RuntimeException e) {
            if (problem == null) {
                LOG.warn("Could not write the acknowledgement manifest {}: {}; the run goes on, and the manifest"
                        + " holds at most what an earlier write put there", file, e.toString());
            }
            problem = e.toString();
            written = false;
        }
        long end = nanoTime.getAsLong();
        lastWriteNanos = end - start;
        longestWriteNanos = Math.max(longestWriteNanos, lastWriteNanos);
        nextNanos = end + Math.max(intervalNanos, SPACING * lastWriteNanos);
        if (written) {
            LOG.debug("Wrote {} ({} bytes{}) in {} ms", file, bytes, complete ? ", complete" : "",
                    lastWriteNanos / 1_000_000);
        }
        return written;
    }

    /** How the manifest was written so far. */
    ManifestWrites writes() {
        return new ManifestWrites(file, writes, complete, bytes, Duration.ofNanos(lastWriteNanos),
                Duration.ofNanos(longestWriteNanos), problem);
    }

    private ManifestHeader header(boolean complete, long inFlight) {
        Map<String, Long> counts = new LinkedHashMap<>();
        ledger.counts().forEach((o, n) -> counts.put(o.label(), n));
        counts.put("in_flight", inFlight);
        return new ManifestHeader(seed, ledger.cars(), ledger.bikes(), "1/1", stream, complete,
                System.currentTimeMillis(), counts);
    }
}
