package io.fleetbench.lakesink;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link DeltaLakeSink}.
 *
 * @param tableRoot            Hadoop path or URI under which each family's table lives as
 *                             {@code <tableRoot>/<family wire name>}; a plain path is a local directory
 * @param applicationId        names this application in the tables' {@code txn} actions
 *                             ({@code <applicationId>-<sourceId>}); default {@value #DEFAULT_APPLICATION_ID}
 * @param targetFileBytes      a Parquet file is closed and a new one started once it reaches this size;
 *                             default 128 MiB, at least 1 MiB
 * @param maxBufferLatency     a writer's flush is due once its oldest buffered record is this old; default 5 s
 * @param maxBufferedBytes     a writer's flush is due once it buffers this many (estimated) bytes; default 64 MiB
 */
public record LakeSinkConfig(
        String tableRoot,
        String applicationId,
        long targetFileBytes,
        Duration maxBufferLatency,
        long maxBufferedBytes) {

    /** Default application id. */
    public static final String DEFAULT_APPLICATION_ID = "fleetbench";
    /** Default target Parquet file size: 128 MiB. */
    public static final long DEFAULT_TARGET_FILE_BYTES = 128L << 20;
    /** Default longest time a record waits in the buffer: 5 s. */
    public static final Duration DEFAULT_MAX_BUFFER_LATENCY = Duration.ofSeconds(5);
    /** Default buffer size per writer that makes a flush due: 64 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L << 20;

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
    }

    /** The defaults for every option except the table root. */
    public static LakeSinkConfig defaults(String tableRoot) {
        return new LakeSinkConfig(tableRoot, DEFAULT_APPLICATION_ID, DEFAULT_TARGET_FILE_BYTES,
                DEFAULT_MAX_BUFFER_LATENCY, DEFAULT_MAX_BUFFERED_BYTES);
    }

    /** A copy with another application id. */
    public LakeSinkConfig withApplicationId(String id) {
        return new LakeSinkConfig(tableRoot, id, targetFileBytes, maxBufferLatency, maxBufferedBytes);
    }

    /** A copy with other buffer limits. */
    public LakeSinkConfig withBufferLimits(Duration latency, long bytes) {
        return new LakeSinkConfig(tableRoot, applicationId, targetFileBytes, latency, bytes);
    }

    /** A copy with another target file size. */
    public LakeSinkConfig withTargetFileBytes(long bytes) {
        return new LakeSinkConfig(tableRoot, applicationId, bytes, maxBufferLatency, maxBufferedBytes);
    }
}
