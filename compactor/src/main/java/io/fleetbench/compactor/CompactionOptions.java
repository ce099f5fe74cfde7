package io.fleetbench.compactor;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of a {@link Compactor}.
 *
 * @param targetFileBytes        files smaller than 3/4 of this are merged into files of up to this size;
 *                               default 128 MiB, at least 4 bytes
 * @param targetFileBytesByTable the target file size of particular tables, by table name (the table folder's
 *                               name, e.g. {@code car_telemetry}); a table not named here has
 *                               {@code targetFileBytes}; default none; each at least 4 bytes
 * @param minFilesPerBin         a group of files is rewritten only if it has at least this many; default 2, at least 2
 * @param closedAfter            a partition is closed, and compacted, once no file has been added to it for this
 *                               long (see {@link Compactor}); default 15 minutes, not negative
 * @param includeOpenPartitions  compact open partitions too; default false
 * @param binsPerCommit          a partition's bins are committed this many at a time, so that a conflict or a
 *                               failure loses at most this many bins' work; default 4, at least 1
 */
public record CompactionOptions(long targetFileBytes, Map<String, Long> targetFileBytesByTable, int minFilesPerBin,
                                Duration closedAfter, boolean includeOpenPartitions, int binsPerCommit) {

    /** Default target file size: 128 MiB. */
    public static final long DEFAULT_TARGET_FILE_BYTES = 128L << 20;
    /** Default smallest number of files worth rewriting together: 2. */
    public static final int DEFAULT_MIN_FILES_PER_BIN = 2;
    /** Default time without new files after which a partition counts as closed: 15 minutes. */
    public static final Duration DEFAULT_CLOSED_AFTER = Duration.ofMinutes(15);
    /** Default number of bins per commit: 4. */
    public static final int DEFAULT_BINS_PER_COMMIT = 4;

    public CompactionOptions {
        Objects.requireNonNull(targetFileBytesByTable, "targetFileBytesByTable");
        Objects.requireNonNull(closedAfter, "closedAfter");
        requireTarget("targetFileBytes", targetFileBytes);
        for (Map.Entry<String, Long> e : targetFileBytesByTable.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getKey().contains("/")) {
                throw new IllegalArgumentException("targetFileBytesByTable: a table name must be a folder name,"
                        + " not blank and without '/', found \"" + e.getKey() + "\"");
            }
            requireTarget("targetFileBytesByTable[" + e.getKey() + "]", e.getValue());
        }
        targetFileBytesByTable = Collections.unmodifiableMap(new TreeMap<>(targetFileBytesByTable));
        if (minFilesPerBin < 2) {
            throw new IllegalArgumentException("minFilesPerBin must be >= 2, found " + minFilesPerBin);
        }
        if (closedAfter.isNegative()) {
            throw new IllegalArgumentException("closedAfter must not be negative, found " + closedAfter);
        }
        if (binsPerCommit < 1) {
            throw new IllegalArgumentException("binsPerCommit must be >= 1, found " + binsPerCommit);
        }
    }

    private static void requireTarget(String name, Long bytes) {
        if (bytes == null || bytes < 4) {
            throw new IllegalArgumentException(name + " must be >= 4 bytes, found " + bytes);
        }
    }

    /** The defaults. */
    public static CompactionOptions defaults() {
        return new CompactionOptions(DEFAULT_TARGET_FILE_BYTES, Map.of(), DEFAULT_MIN_FILES_PER_BIN,
                DEFAULT_CLOSED_AFTER, false, DEFAULT_BINS_PER_COMMIT);
    }

    /** A copy with another target file size for the tables not named in {@link #targetFileBytesByTable()}. */
    public CompactionOptions withTargetFileBytes(long bytes) {
        return new CompactionOptions(bytes, targetFileBytesByTable, minFilesPerBin, closedAfter, includeOpenPartitions,
                binsPerCommit);
    }

    /** A copy with other target file sizes for particular tables. */
    public CompactionOptions withTargetFileBytesByTable(Map<String, Long> bytesByTable) {
        return new CompactionOptions(targetFileBytes, bytesByTable, minFilesPerBin, closedAfter, includeOpenPartitions,
                binsPerCommit);
    }

    /** A copy with another smallest number of files per bin. */
    public CompactionOptions withMinFilesPerBin(int files) {
        return new CompactionOptions(targetFileBytes, targetFileBytesByTable, files, closedAfter, includeOpenPartitions,
                binsPerCommit);
    }

    /** A copy with another rule for closed partitions. */
    public CompactionOptions withClosedPartitions(Duration after, boolean includeOpen) {
        return new CompactionOptions(targetFileBytes, targetFileBytesByTable, minFilesPerBin, after, includeOpen,
                binsPerCommit);
    }

    /** A copy that commits another number of bins at a time. */
    public CompactionOptions withBinsPerCommit(int bins) {
        return new CompactionOptions(targetFileBytes, targetFileBytesByTable, minFilesPerBin, closedAfter,
                includeOpenPartitions, bins);
    }

    /** The target file size of a table, by its name. */
    public long targetFileBytes(String table) {
        return targetFileBytesByTable.getOrDefault(table, targetFileBytes);
    }

    /** Files below this size are candidates for a target size: 3/4 of it. */
    static long smallFileBytes(long targetFileBytes) {
        return targetFileBytes - targetFileBytes / 4;
    }
}
