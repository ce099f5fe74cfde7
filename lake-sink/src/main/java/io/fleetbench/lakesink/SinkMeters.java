package io.fleetbench.lakesink;

/**
 * The names of the sink's meters, as {@link SinkMetrics} registers them and readers look them up; docs/metrics.md
 * gives their Prometheus names, types and labels ({@code MeterCatalogueTest} holds the three together).
 */
public final class SinkMeters {
    /** Counter of rows committed to an event table, by {@code table}. */
    public static final String WRITTEN_ROWS = "fleetbench.sink.written.rows";
    /** Counter of bytes of data files committed to an event table, by {@code table}. */
    public static final String WRITTEN_BYTES = "fleetbench.sink.written";
    /** Counter of data files committed to an event table, by {@code table}. */
    public static final String FILES_WRITTEN = "fleetbench.sink.files.written";
    /** Histogram of the sizes of committed data files in bytes, by {@code table}. */
    public static final String FILE_SIZE = "fleetbench.sink.file.size";
    /** Counter of Delta commits that landed, by {@code table}. */
    public static final String COMMITS = "fleetbench.sink.commits";
    /** Timer from finishing a writer's files to their commit landing, by {@code table}. */
    public static final String COMMIT_LATENCY = "fleetbench.sink.commit.latency";
    /** Summary of the sources (shards) one Delta commit carries, by {@code table}. */
    public static final String COMMIT_SOURCES = "fleetbench.sink.commit.sources";
    /** Summary of the data files one Delta commit adds, by {@code table}. */
    public static final String COMMIT_FILES = "fleetbench.sink.commit.files";
    /** Summary of the bytes one Delta commit adds, by {@code table}. */
    public static final String COMMIT_BYTES = "fleetbench.sink.commit";
    /** Timer from an event's production to the commit that made it visible, by {@code table}. */
    public static final String FRESHNESS = "fleetbench.sink.freshness";
    /** Counter of records dropped because their position is already committed, by {@code table}, {@code reason}. */
    public static final String RECORDS_DROPPED = "fleetbench.sink.records.dropped";
    /** Counter of producer duplicates recognised, by {@code table}, {@code action}. */
    public static final String DUPLICATES = "fleetbench.sink.duplicates";
    /** Counter of commits that threw, resolved from the table's txn versions, by {@code table}, {@code outcome}; lazy. */
    public static final String COMMITS_RESOLVED = "fleetbench.sink.commits.resolved";
    /** Counter of records committed to the dead-letter table, by {@code reason}; lazy. */
    public static final String DEAD_LETTERS = "fleetbench.sink.dead.letters";
    /** Gauge of the encoded bytes the writers hold in memory. */
    public static final String BUFFERED = "fleetbench.sink.buffered";
    /** Gauge of the bytes of data files written but not yet committed. */
    public static final String UNCOMMITTED = "fleetbench.sink.uncommitted";
    /** Counter of the seconds the writers spent on their own work ({@link BusyTime}). */
    public static final String BUSY = "fleetbench.sink.busy";

    private SinkMeters() {
    }
}
