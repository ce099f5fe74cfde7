package io.fleetbench.compactor;

/**
 * The names of the compactor's meters, all labelled by {@code table} and lazy, as {@link CompactorMetrics} registers
 * them; docs/metrics.md gives their Prometheus names and types ({@code MeterCatalogueTest} holds the three together).
 */
public final class CompactorMeters {
    /** Counter of compaction commits that landed. */
    public static final String COMMITS = "fleetbench.compactor.commits";
    /** Counter of bins rewritten and committed. */
    public static final String BINS = "fleetbench.compactor.bins";
    /** Counter of small files replaced. */
    public static final String FILES_REMOVED = "fleetbench.compactor.files.removed";
    /** Counter of files written in their place. */
    public static final String FILES_ADDED = "fleetbench.compactor.files.added";
    /** Counter of bytes of small files read and replaced. */
    public static final String READ_BYTES = "fleetbench.compactor.read";
    /** Counter of bytes of compacted files written. */
    public static final String WRITTEN_BYTES = "fleetbench.compactor.written";
    /** Counter of commits refused because a concurrent commit changed the files they read. */
    public static final String CONFLICTS = "fleetbench.compactor.conflicts";
    /** Counter of conflicting commits planned again from the new snapshot. */
    public static final String REPLANS = "fleetbench.compactor.replans";
    /** Counter of table passes that failed with an error. */
    public static final String FAILURES = "fleetbench.compactor.failures";
    /** Timer of one compaction pass over a table. */
    public static final String DURATION = "fleetbench.compactor.duration";

    private CompactorMeters() {
    }
}
