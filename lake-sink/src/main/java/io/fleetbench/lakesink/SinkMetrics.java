package io.fleetbench.lakesink;

import io.micrometer.core.instrument.Counter;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink's meters, one method per event. Prometheus names: {@code fleetbench_sink_written_rows_total},
 * {@code fleetbench_sink_written_bytes_total}, {@code fleetbench_sink_files_written_total},
 * {@code fleetbench_sink_commits_total}, {@code fleetbench_sink_commit_latency_seconds},
 * {@code fleetbench_sink_records_dropped_total} and {@code fleetbench_sink_buffered_bytes}, labelled by table;
 * {@code fleetbench_sink_dead_letters_total} labelled by reason. Written rows, bytes and files count
 * the event tables only, so that their sum is the events in the lake; dead letters are counted by reason.
 */
final class SinkMetrics {
    private final Map<String, PerTable> tables = new HashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final AtomicLong bufferedBytes = new AtomicLong();

    private record PerTable(Counter rows, Counter bytes, Counter files, Counter commits, Timer commitLatency,
                            Counter dropped, Timer freshness) {
    }

    SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        List<String> names = new ArrayList<>();
        for (EventFamily f : EventFamily.values()) {
            names.add(f.wireName());
        }
        names.add(DeltaTable.DEAD_LETTERS);
        for (String table : names) {
            tables.put(table, new PerTable(
                    Counter.builder("fleetbench.sink.written.rows").description("Rows in data files committed to the table")
                            .tag("table", table).register(registry),
                    Counter.builder("fleetbench.sink.written").baseUnit("bytes")
                            .description("Bytes of Parquet data files committed to the table").tag("table", table).register(registry),
                    Counter.builder("fleetbench.sink.files.written").description("Parquet data files written")
                            .tag("table", table).register(registry),
                    Counter.builder("fleetbench.sink.commits").description("Delta commits that landed")
                            .tag("table", table).register(registry),
                    Timer.builder("fleetbench.sink.commit.latency")
                            .description("Time to write a table's buffered rows and commit them")
                            .publishPercentileHistogram()
                            .tag("table", table).register(registry),
                    Counter.builder("fleetbench.sink.records.dropped")
                            .description("Records dropped because the table already holds their position")
                            .tag("table", table).tag("reason", "already_committed").register(registry),
                    // Percentiles over the whole run (not a sliding window) so a run's report can quote them.
                    Timer.builder("fleetbench.sink.freshness")
                            .description("End-to-end freshness: from an event's production to the commit that made it visible")
                            .publishPercentileHistogram()
                            .publishPercentiles(0.5, 0.99, 0.999)
                            .distributionStatisticExpiry(Duration.ofDays(1))
                            .distributionStatisticBufferLength(1)
                            .minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofHours(1))
                            .tag("table", table).register(registry)));
        }
        Gauge.builder("fleetbench.sink.buffered", bufferedBytes, AtomicLong::get).baseUnit("bytes")
                .description("Estimated bytes buffered by open writers, not yet committed").register(registry);
    }

    void fileWritten(String table, long rows, long bytes) {
        PerTable t = tables.get(table);
        t.rows.increment(rows);
        t.bytes.increment(bytes);
        t.files.increment();
    }

    void committed(String table, Duration latency) {
        PerTable t = tables.get(table);
        t.commits.increment();
        t.commitLatency.record(latency);
    }

    /** An event became visible in its table {@code millis} after it was produced. */
    void visibleAfter(String table, long millis) {
        tables.get(table).freshness.record(Math.max(0, millis), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void droppedAsCommitted(String table) {
        tables.get(table).dropped.increment();
    }

    /** A dead letter of this reason was committed to the dead-letter table. */
    void deadLetterCommitted(String reason) {
        deadLetters.computeIfAbsent(reason, r -> Counter.builder("fleetbench.sink.dead.letters")
                .description("Records committed to the dead-letter table").tag("reason", r).register(registry))
                .increment();
    }

    void bufferedBytesChanged(long delta) {
        bufferedBytes.addAndGet(delta);
    }
}
