package io.fleetbench.compactor;

/**
 * How far a vacuum has gone through the data files under a table, reported after each file.
 *
 * @param examined   files looked at so far
 * @param total      files under the table (the listing), so the vacuum is done when {@code examined == total}
 * @param deleted    files deleted so far; in a dry run, the files that would be
 * @param bytesFreed their size in bytes
 */
public record VacuumProgress(long examined, long total, long deleted, long bytesFreed) {
}
