package io.fleetbench.compactor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The compactor's meters, labelled by table. Prometheus names: {@code fleetbench_compactor_read_bytes_total}
 * and {@code fleetbench_compactor_written_bytes_total}, {@code fleetbench_compactor_files_removed_total} and
 * {@code fleetbench_compactor_files_added_total}, {@code fleetbench_compactor_bins_total},
 * {@code fleetbench_compactor_commits_total}, {@code fleetbench_compactor_conflicts_total},
 * {@code fleetbench_compactor_replans_total}, {@code fleetbench_compactor_failures_total} and
 * {@code fleetbench_compactor_duration_seconds} (one table's pass). The table label takes at most
 * {@value #MAX_TABLES} values; further tables are counted as {@code other}.
 */
final class CompactorMetrics {
    static final int MAX_TABLES = 32;
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Set<String> tables = new HashSet<>();

    CompactorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The label for a table: its name, or {@code other} once {@value #MAX_TABLES} tables have one. */
    synchronized String label(String table) {
        if (tables.contains(table)) {
            return table;
        }
        if (tables.size() >= MAX_TABLES) {
            return OTHER;
        }
        tables.add(table);
        return table;
    }

    void committed(String table, int bins, int removed, long bytesRead, long bytesWritten) {
        String t = label(table);
        counter(CompactorMeters.COMMITS, "Compaction commits that landed", t, null).increment();
        counter(CompactorMeters.BINS, "Bins rewritten and committed, each into one file", t, null)
                .increment(bins);
        counter(CompactorMeters.FILES_REMOVED, "Small files replaced by compaction", t, null)
                .increment(removed);
        counter(CompactorMeters.FILES_ADDED, "Files written by compaction", t, null).increment(bins);
        counter(CompactorMeters.READ_BYTES, "Bytes of small files read and replaced", t, "bytes")
                .increment(bytesRead);
        counter(CompactorMeters.WRITTEN_BYTES, "Bytes of compacted files written", t, "bytes")
                .increment(bytesWritten);
    }

    void conflicted(String table, boolean replanned) {
        String t = label(table);
        counter(CompactorMeters.CONFLICTS,
                "Compaction commits refused because a concurrent commit changed the files they read", t, null)
                .increment();
        if (replanned) {
            counter(CompactorMeters.REPLANS, "Conflicting compaction commits planned again from the new snapshot",
                    t, null).increment();
        }
    }

    void failed(String table) {
        counter(CompactorMeters.FAILURES, "Table passes that failed with an error", label(table), null)
                .increment();
    }

    void pass(String table, Duration duration) {
        Timer.builder(CompactorMeters.DURATION).description("Time of one compaction pass over a table")
                .tag("table", label(table)).register(registry).record(duration);
    }

    private Counter counter(String name, String description, String table, String unit) {
        Counter.Builder b = Counter.builder(name).description(description).tag("table", table);
        if (unit != null) {
            b.baseUnit(unit);
        }
        return b.register(registry);
    }
}
