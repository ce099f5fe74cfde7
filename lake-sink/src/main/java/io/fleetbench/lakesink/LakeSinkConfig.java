package io.fleetbench.lakesink;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link DeltaLakeSink}.
 *
 * @param tableRoot           Hadoop path or URI under which each family's table lives as
 *                            {@code <tableRoot>/<family wire name>}; a plain path is a local directory
 * @param applicationId       names this application in the tables' {@code txn} actions
 *                            ({@code <applicationId>-<sourceId>}); default {@value #DEFAULT_APPLICATION_ID}
 * @param targetFileBytes     a partition's Parquet file is finished once it reaches this size, and the
 *                            partition's next rows start a new one; default 128 MiB, at least 1 MiB
 * @param maxBufferLatency    a writer commits once its oldest uncommitted record is this old; default 5 s
 * @param maxBufferedBytes    the sink's memory budget: once its writers together hold this many bytes of
 *                            encoded rows in memory, each of them commits at its next chance, and the
 *                            consumer takes no more records from a source until its writer has; default 256 MiB
 * @param rowGroupBytes       the Parquet row group size, which bounds what one open file holds in memory;
 *                            at most the target file size; default 16 MiB
 * @param dropDuplicates      whether a record whose {@code event_id} the writer saw recently (a producer's
 *                            duplicate, under a new position) is dropped; off by default: such duplicates
 *                            are then counted and written
 * @param duplicateWindow     how many recent {@code event_id}s per source the writer remembers to recognise
 *                            producer duplicates; 0 turns the check off; default {@value #DEFAULT_DUPLICATE_WINDOW}
 * @param failCommitsEvery    fault injection for tests: every n-th commit of the sink throws after it landed,
 *                            as a failing checkpoint would; 0, the default, injects nothing
 * @param slowdown            test-only: a fraction {@code f >= 0} by which each writer stretches its own work with
 *                            a busy wait, so that its busy time grows by {@code f} and a comparison of two builds
 *                            has a slower sink to catch; 0, the default, adds nothing
 */
public record LakeSinkConfig(
        String tableRoot,
        String applicationId,
        long targetFileBytes,
        Duration maxBufferLatency,
        long maxBufferedBytes,
        long rowGroupBytes,
        boolean dropDuplicates,
        int duplicateWindow,
        int failCommitsEvery,
        double slowdown) {

    /** Default application id. */
    public static final String DEFAULT_APPLICATION_ID = "fleetbench";
    /** Default target Parquet file size: 128 MiB. */
    public static final long DEFAULT_TARGET_FILE_BYTES = 128L << 20;
    /** Default longest time a record waits before it is committed: 5 s. */
    public static final Duration DEFAULT_MAX_BUFFER_LATENCY = Duration.ofSeconds(5);
    /** Default memory budget of the sink's writers together: 256 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 256L << 20;
    /** Default Parquet row group size: 16 MiB. */
    public static final long DEFAULT_ROW_GROUP_BYTES = 16L << 20;
    /** Default number of recent event ids remembered per source. */
    public static final int DEFAULT_DUPLICATE_WINDOW = 50_000;

    public LakeSinkConfig {
        Objects.requireNonNull(tableRoot, "tableRoot");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(maxBufferLatency, "maxBufferLatency");
        if (tableRoot.isBlank()) {
            throw new IllegalArgumentException("tableRoot must not be blank");
        }
        if (applicationId.isBlank()) {
            throw new IllegalArgumentException("applicationId must not be blank");
        }
        if (targetFileBytes < (1L << 20)) {
            throw new IllegalArgumentException("targetFileBytes must be >= 1 MiB, found " + targetFileBytes);
        }
        if (maxBufferLatency.isNegative() || maxBufferLatency.isZero()) {
            throw new IllegalArgumentException("maxBufferLatency must be positive, found " + maxBufferLatency);
        }
        if (maxBufferedBytes <= 0) {
            throw new IllegalArgumentException("maxBufferedBytes must be positive, found " + maxBufferedBytes);
        }
        if (rowGroupBytes < (64L << 10)) {
            throw new IllegalArgumentException("rowGroupBytes must be >= 64 KiB, found " + rowGroupBytes);
        }
        if (duplicateWindow < 0) {
            throw new IllegalArgumentException("duplicateWindow must be >= 0, found " + duplicateWindow);
        }
        if (dropDuplicates && duplicateWindow == 0) {
            throw new IllegalArgumentException("dropDuplicates needs a duplicateWindow > 0");
        }
        if (failCommitsEvery < 0) {
            throw new IllegalArgumentException("failCommitsEvery must be >= 0, found " + failCommitsEvery);
        }
        if (!Double.isFinite(slowdown) || slowdown < 0) {
            throw new IllegalArgumentException("slowdown must be a fraction >= 0, found " + slowdown);
        }
    }

    /** The defaults for every option except the table root. */
    public static LakeSinkConfig defaults(String tableRoot) {
        return new LakeSinkConfig(tableRoot, DEFAULT_APPLICATION_ID, DEFAULT_TARGET_FILE_BYTES,
                DEFAULT_MAX_BUFFER_LATENCY, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_ROW_GROUP_BYTES, false,
                DEFAULT_DUPLICATE_WINDOW, 0, 0);
    }

    /** A copy with another application id. */
    public LakeSinkConfig withApplicationId(String id) {
        return new LakeSinkConfig(tableRoot, id, targetFileBytes, maxBufferLatency, maxBufferedBytes, rowGroupBytes,
                dropDuplicates, duplicateWindow, failCommitsEvery, slowdown);
    }

    /** A copy with another latency limit and memory budget. */
    public LakeSinkConfig withBufferLimits(Duration latency, long bytes) {
        return new LakeSinkConfig(tableRoot, applicationId, targetFileBytes, latency, bytes, rowGroupBytes,
                dropDuplicates, duplicateWindow, failCommitsEvery, slowdown);
    }

    /** A copy with another target file size (and a row group no larger than it). */
    public LakeSinkConfig withTargetFileBytes(long bytes) {
        return new LakeSinkConfig(tableRoot, applicationId, bytes, maxBufferLatency, maxBufferedBytes,
                Math.min(rowGroupBytes, bytes), dropDuplicates, duplicateWindow, failCommitsEvery, slowdown);
    }

    /** A copy with another Parquet row group size. */
    public LakeSinkConfig withRowGroupBytes(long bytes) {
        return new LakeSinkConfig(tableRoot, applicationId, targetFileBytes, maxBufferLatency, maxBufferedBytes, bytes,
                dropDuplicates, duplicateWindow, failCommitsEvery, slowdown);
    }

    /** A copy that drops (or keeps) producer duplicates recognised within the window. */
    public LakeSinkConfig withDuplicates(boolean drop, int window) {
        return new LakeSinkConfig(tableRoot, applicationId, targetFileBytes, maxBufferLatency, maxBufferedBytes,
                rowGroupBytes, drop, window, failCommitsEvery, slowdown);
    }

    /** A copy whose every n-th commit throws after landing (tests only; 0 for none). */
    public LakeSinkConfig withFailCommitsEvery(int n) {
        return new LakeSinkConfig(tableRoot, applicationId, targetFileBytes, maxBufferLatency, maxBufferedBytes,
                rowGroupBytes, dropDuplicates, duplicateWindow, n, slowdown);
    }

    /** A copy whose writers stretch their work by the fraction {@code f} (tests only; 0 for none). */
    public LakeSinkConfig withSlowdown(double f) {
        return new LakeSinkConfig(tableRoot, applicationId, targetFileBytes, maxBufferLatency, maxBufferedBytes,
                rowGroupBytes, dropDuplicates, duplicateWindow, failCommitsEvery, f);
    }
}
