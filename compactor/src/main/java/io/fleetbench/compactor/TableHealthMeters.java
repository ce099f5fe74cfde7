package io.fleetbench.compactor;

/**
 * The names of the table-health gauges, all labelled by {@code table}, as {@link HealthMetrics} registers them and
 * readers look them up; docs/metrics.md gives their Prometheus names ({@code MeterCatalogueTest} holds the three
 * together).
 */
public final class TableHealthMeters {
    /** Data files in the table's snapshot. */
    public static final String FILES = "fleetbench.table.files";
    /** Total bytes of the table's data files. */
    public static final String SIZE = "fleetbench.table.size";
    /** Partitions that hold data files. */
    public static final String PARTITIONS = "fleetbench.table.partitions";
    /** Data files below a quarter of the target file size. */
    public static final String SMALL_FILES = "fleetbench.table.small.files";
    /** Share of data files that are small. */
    public static final String SMALL_FILES_RATIO = "fleetbench.table.small.files.ratio";
    /** Share of the table's bytes in small files. */
    public static final String SMALL_BYTES_RATIO = "fleetbench.table.small.bytes.ratio";
    /** Data files in one of Delta's file-size bins, also by {@code bin}. */
    public static final String BIN_FILES = "fleetbench.table.bin.files";
    /** Bytes of the data files in one of Delta's file-size bins, also by {@code bin}. */
    public static final String BIN_BYTES = "fleetbench.table.bin";
    /** Version of the table's snapshot. */
    public static final String VERSION = "fleetbench.table.version";
    /** Commits a reader replays on top of the latest checkpoint. */
    public static final String LOG_COMMITS_SINCE_CHECKPOINT = "fleetbench.table.log.commits.since.checkpoint";
    /** Commit files kept in the table's log. */
    public static final String LOG_COMMIT_FILES = "fleetbench.table.log.commit.files";
    /** Removed files the snapshot still remembers. */
    public static final String TOMBSTONES = "fleetbench.table.tombstones";
    /** Data files in a recent partition, also by {@code partition}. */
    public static final String PARTITION_FILES = "fleetbench.table.partition.files";
    /** Total bytes of a recent partition's data files, also by {@code partition}. */
    public static final String PARTITION_SIZE = "fleetbench.table.partition.size";
    /** Share of a recent partition's bytes in small files, also by {@code partition}. */
    public static final String PARTITION_SMALL_BYTES_RATIO = "fleetbench.table.partition.small.bytes.ratio";

    private TableHealthMeters() {
    }
}
