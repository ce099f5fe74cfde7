package io.fleetbench.compactor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The compactor's meters. Prometheus names: {@code fleetbench_compactor_files_removed_total},
 * {@code fleetbench_compactor_files_added_total}, {@code fleetbench_compactor_rewritten_bytes_total},
 * {@code fleetbench_compactor_conflicts_total} and {@code fleetbench_compactor_duration_seconds},
 * labelled by table.
 */
final class CompactorMetrics {
    private final MeterRegistry registry;

    CompactorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void partitionCompacted(String table, int removed, int added, long bytesRewritten) {
        Counter.builder("fleetbench.compactor.files.removed").description("Small files replaced by compaction")
                .tag("table", table).register(registry).increment(removed);
        Counter.builder("fleetbench.compactor.files.added").description("Files written by compaction")
                .tag("table", table).register(registry).increment(added);
        Counter.builder("fleetbench.compactor.rewritten").baseUnit("bytes")
                .description("Bytes of small files read and rewritten").tag("table", table).register(registry)
                .increment(bytesRewritten);
    }

    void partitionConflicted(String table) {
        Counter.builder("fleetbench.compactor.conflicts")
                .description("Partition compactions abandoned because a concurrent commit removed their files")
                .tag("table", table).register(registry).increment();
    }

    void run(String table, Duration duration) {
        Timer.builder("fleetbench.compactor.duration").description("Time of one compaction run over a table")
                .tag("table", table).register(registry).record(duration);
    }
}
