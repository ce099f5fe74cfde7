package io.fleetbench.simulator;

import io.fleetbench.telemetry.manifest.AckManifest;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a run's acknowledgement manifest ({@link AckManifest}) was written.
 *
 * @param file         where it was written
 * @param writes       successful writes, the periodic ones and the last
 * @param complete     whether the last write was the one after the drain, with every event sent decided: if
 *                     not, the file holds what was decided up to its last write (or is missing without one)
 * @param bytes        the size of the last file written
 * @param lastWrite    how long the last write took
 * @param longestWrite how long the longest write took
 * @param problem      why a write failed, the last such reason; null when none did
 */
public record ManifestWrites(Path file, long writes, boolean complete, long bytes, Duration lastWrite,
                             Duration longestWrite, String problem) {
}
