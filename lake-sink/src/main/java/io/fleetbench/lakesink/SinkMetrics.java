package io.fleetbench.lakesink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.fleetbench.telemetry.EventFamily;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * The sink's meters, one method per event. Prometheus names, labelled by table:
 * {@code fleetbench_sink_written_rows_total}, {@code fleetbench_sink_written_bytes_total},
 * {@code fleetbench_sink_files_written_total}, {@code fleetbench_sink_commits_total},
 * {@code fleetbench_sink_commit_latency_seconds} (per writer flush), {@code fleetbench_sink_commit_sources},
 * {@code fleetbench_sink_commit_files} and {@code fleetbench_sink_commit_bytes} (per Delta commit), {@code fleetbench_sink_file_size_bytes} (a histogram of
 * the committed data files' sizes), {@code fleetbench_sink_freshness_seconds},
 * {@code fleetbench_sink_records_dropped_total} (reason {@code already_committed}) and
 * {@code fleetbench_sink_duplicates_total} (producer duplicates, action {@code kept} or {@code dropped});
 * {@code fleetbench_sink_dead_letters_total} labelled by reason;
 * {@code fleetbench_sink_commits_resolved_total} (commits that threw, by whether the table showed them
 * {@code landed} or {@code not_landed}); and the sink-wide gauges
 * {@code fleetbench_sink_buffered_bytes} (encoded rows in memory) and {@code fleetbench_sink_uncommitted_bytes}
 * (written, not yet committed); and {@code fleetbench_sink_busy_seconds_total}, the time the writers spent
 * on their own work (appending rows, finishing files, committing; see {@link BusyTime}), over every table.
 * Written rows, bytes and files count the event tables only, so that their sum is the events in the lake;
 * dead letters are counted by reason.
 */
final class SinkMetrics {
    private static final double[] FILE_SIZE_BUCKETS = {
            8 << 10, 64 << 10, 512 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20, 32 << 20, 64 << 20, 128 << 20,
            256 << 20, 512 << 20, 1 << 30};
    private final Map<String, PerTable> tables = new HashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Counter busy;

    private record PerTable(Counter rows, Counter bytes, Counter files, Counter commits, Timer commitLatency,
                            DistributionSummary commitSources, DistributionSummary commitFiles, DistributionSummary commitBytes,
                            DistributionSummary fileSize, Counter dropped, Counter duplicatesKept, Counter duplicatesDropped, Timer freshness) {
    }

    SinkMetrics(MeterRegistry registry, MemoryBudget memory) {
        this.registry = registry;
        List<String> names = new ArrayList<>();
        for (EventFamily f : EventFamily.values()) {
            names.add(f.wireName());
        }
        names.add(DeltaTable.DEAD_LETTERS);
        for (String table : names) {
            tables.put(table, new PerTable(
                    Counter.builder(SinkMeters.WRITTEN_ROWS).description("Rows in data files committed to the table")
                            .tag("table", table).register(registry),
                    Counter.builder(SinkMeters.WRITTEN_BYTES).baseUnit("bytes")
                            .description("Bytes of Parquet data files committed to the table").tag("table", table).register(registry),
                    Counter.builder(SinkMeters.FILES_WRITTEN).description("Parquet data files written")
                            .tag("table", table).register(registry),
                    Counter.builder(SinkMeters.COMMITS).description("Delta commits that landed")
                            .tag("table", table).register(registry),
                    Timer.builder(SinkMeters.COMMIT_LATENCY)
                            .description("From finishing a writer's files for a table to their commit landing")
                            .publishPercentileHistogram()
                            .publishPercentiles(0.5, 0.99)
                            .distributionStatisticExpiry(Duration.ofDays(1))
                            .distributionStatisticBufferLength(1)
                            .tag("table", table).register(registry),
                    DistributionSummary.builder(SinkMeters.COMMIT_SOURCES)
                            .description("Sources (shards) whose records one commit carries").tag("table", table)
                            .register(registry),
                    DistributionSummary.builder(SinkMeters.COMMIT_FILES)
                            .description("Data files added by one commit").tag("table", table).register(registry),
                    DistributionSummary.builder(SinkMeters.COMMIT_BYTES).baseUnit("bytes")
                            .description("Bytes of data files added by one commit").tag("table", table).register(registry),
                    // Buckets at the sizes people tune towards (Delta's histogram bins up to the 128 MiB target and beyond).
                    DistributionSummary.builder(SinkMeters.FILE_SIZE).baseUnit("bytes")
                            .description("Size of one committed Parquet data file")
                            .serviceLevelObjectives(FILE_SIZE_BUCKETS)
                            .distributionStatisticExpiry(Duration.ofDays(1))
                            .distributionStatisticBufferLength(1)
                            .tag("table", table).register(registry),
                    Counter.builder(SinkMeters.RECORDS_DROPPED)
                            .description("Records dropped because the table already holds their position")
                            .tag("table", table).tag("reason", "already_committed").register(registry),
                    duplicates(table, "kept"),
                    duplicates(table, "dropped"),
                    // Percentiles over the whole run (not a sliding window) so a run's report can quote them.
                    Timer.builder(SinkMeters.FRESHNESS)
                            .description("End-to-end freshness: from an event's production to the commit that made it visible")
                            .publishPercentileHistogram()
                            .publishPercentiles(0.5, 0.99, 0.999)
                            .distributionStatisticExpiry(Duration.ofDays(1))
                            .distributionStatisticBufferLength(1)
                            .minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofHours(1))
                            .tag("table", table).register(registry)));
        }
        busy = Counter.builder(SinkMeters.BUSY).baseUnit("seconds")
                .description("Time the writers spent on their own work: appending rows, finishing files, committing")
                .register(registry);
        Gauge.builder(SinkMeters.BUFFERED, memory, MemoryBudget::bufferedBytes).strongReference(true).baseUnit("bytes")
                .description("Bytes of encoded rows the writers hold in memory (open files' row groups), against the budget")
                .register(registry);
        Gauge.builder(SinkMeters.UNCOMMITTED, memory, MemoryBudget::uncommittedBytes).strongReference(true).baseUnit("bytes")
                .description("Bytes of data files written but not yet committed").register(registry);
    }

    /** A meter of one writer's busy time on the given clocks, with the given test-only slowdown (see {@link BusyTime}). */
    BusyTime busyTime(double slowdown, BusyTime.Ticks ticks) {
        return new BusyTime(busy, slowdown, ticks);
    }

    private Counter duplicates(String table, String action) {
        return Counter.builder(SinkMeters.DUPLICATES)
                .description("Records whose event_id the writer saw recently under another position (producer duplicates)")
                .tag("table", table).tag("action", action).register(registry);
    }

    /**
     * A writer's rows landed with these files, rows and bytes, {@code latency} after it began to finish
     * the files (finishing them, and waiting for and taking part in a group commit).
     */
    void committed(String table, int files, long rows, long bytes, Duration latency) {
        PerTable t = tables.get(table);
        if (!table.equals(DeltaTable.DEAD_LETTERS)) {
            t.rows.increment(rows);
            t.bytes.increment(bytes);
            t.files.increment(files);
        }
        t.commitLatency.record(latency);
    }

    /** A data file of this size was committed to the table. */
    void fileCommitted(String table, long bytes) {
        tables.get(table).fileSize.record(bytes);
    }

    /** A Delta commit landed in the table, carrying this many sources, files and bytes. */
    void deltaCommit(String table, DeltaTable.GroupCommit c) {
        PerTable t = tables.get(table);
        t.commits.increment();
        t.commitSources.record(c.sources());
        t.commitFiles.record(c.files());
        t.commitBytes.record(c.bytes());
    }

    /** {@code rows} events became visible in their table {@code millis} after they were produced. */
    void visibleAfter(String table, long millis, long rows) {
        Timer freshness = tables.get(table).freshness;
        long m = Math.max(0, millis);
        for (long i = 0; i < rows; i++) {
            freshness.record(m, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** A commit threw, and the table showed whether it had landed. */
    void commitResolved(String table, boolean landed) {
        Counter.builder(SinkMeters.COMMITS_RESOLVED)
                .description("Commits that threw, resolved from the table's txn versions")
                .tag("table", table).tag("outcome", landed ? "landed" : "not_landed").register(registry).increment();
    }

    /** A producer duplicate was recognised, and dropped or kept. */
    void duplicate(String table, boolean dropped) {
        PerTable t = tables.get(table);
        (dropped ? t.duplicatesDropped : t.duplicatesKept).increment();
    }

    void droppedAsCommitted(String table) {
        tables.get(table).dropped.increment();
    }

    /** Dead letters of this reason were committed to the dead-letter table. */
    void deadLettersCommitted(String reason, long count) {
        deadLetters.computeIfAbsent(reason, r -> Counter.builder(SinkMeters.DEAD_LETTERS)
                .description("Records committed to the dead-letter table").tag("reason", r).register(registry))
                .increment(count);
    }
}
