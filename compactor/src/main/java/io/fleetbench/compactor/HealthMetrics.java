package io.fleetbench.compactor;

import io.fleetbench.telemetry.ByteSize;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Table health as gauges, set from the latest {@link TableHealth} of each table. Prometheus names,
 * labelled by {@code table}:
 * <ul>
 *   <li>{@code fleetbench_table_files}, {@code fleetbench_table_size_bytes}, {@code fleetbench_table_partitions},
 *       {@code fleetbench_table_small_files}, {@code fleetbench_table_small_files_ratio} and
 *       {@code fleetbench_table_small_bytes_ratio} (small: below a quarter of the target file size);</li>
 *   <li>{@code fleetbench_table_bin_files} and {@code fleetbench_table_bin_bytes}, also labelled by {@code bin},
 *       the lower bound of one of Delta's file-size histogram bins ({@code 0B}, {@code 8KiB}, ... {@code 256GiB}),
 *       for the bins that have held a file since the table was first recorded;</li>
 *   <li>{@code fleetbench_table_version}, {@code fleetbench_table_log_commits_since_checkpoint},
 *       {@code fleetbench_table_log_commit_files} and {@code fleetbench_table_tombstones};</li>
 *   <li>{@code fleetbench_table_partition_files}, {@code fleetbench_table_partition_size_bytes} and
 *       {@code fleetbench_table_partition_small_bytes_ratio}, also labelled by {@code partition}
 *       ({@code event_date=2024-03-01/event_hour=5}), for the most recent partitions of each table only, so
 *       the number of series stays bounded as partitions accumulate: a partition that falls out of the most
 *       recent ones has its series removed.</li>
 * </ul>
 */
public final class HealthMetrics {
    /** Default number of most recent partitions per table with gauges of their own: a day of hourly partitions. */
    public static final int DEFAULT_RECENT_PARTITIONS = 24;

    private final MeterRegistry registry;
    private final int recentPartitions;
    private final Map<String, Value> values = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<Registered>>> partitionMeters = new HashMap<>();

    /**
     * Gauges in a registry.
     *
     * @param recentPartitions how many of each table's most recent partitions get gauges of their own; at least 0
     */
    public HealthMetrics(MeterRegistry registry, int recentPartitions) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (recentPartitions < 0) {
            throw new IllegalArgumentException("recentPartitions must be >= 0, found " + recentPartitions);
        }
        this.recentPartitions = recentPartitions;
    }

    /** Sets the gauges of a table from its latest health. */
    public synchronized void record(TableHealth health) {
        String table = health.table();
        Tags tags = Tags.of("table", table);
        TableHealth.Partition t = health.total();
        set(TableHealthMeters.FILES, null, "Data files in the table's snapshot", tags, t.files());
        set(TableHealthMeters.SIZE, "bytes", "Total size of the table's data files", tags, t.bytes());
        set(TableHealthMeters.PARTITIONS, null, "Partitions that hold data files", tags, health.partitions().size());
        set(TableHealthMeters.SMALL_FILES, null, "Data files below a quarter of the target file size", tags,
                t.smallFiles());
        set(TableHealthMeters.SMALL_FILES_RATIO, null, "Share of data files below a quarter of the target file size",
                tags, t.smallFileRatio());
        set(TableHealthMeters.SMALL_BYTES_RATIO, null,
                "Share of the table's bytes in files below a quarter of the target file size", tags, t.smallByteRatio());
        FileSizeHistogram h = t.histogram();
        for (int bin = 0; bin < FileSizeHistogram.bins(); bin++) {
            Tags binTags = tags.and("bin", ByteSize.format(FileSizeHistogram.lowerBound(bin)).replace(" ", ""));
            // Bins are registered once they first hold a file, and then kept (at 0 when empty again).
            if (h.files(bin) > 0 || values.containsKey(key(TableHealthMeters.BIN_FILES, binTags))) {
                set(TableHealthMeters.BIN_FILES, null, "Data files in a file-size bin (Delta's bins)", binTags,
                        h.files(bin));
                set(TableHealthMeters.BIN_BYTES, "bytes", "Bytes of the data files in a file-size bin", binTags, h.bytes(bin));
            }
        }
        set(TableHealthMeters.VERSION, null, "Version of the table's snapshot", tags, health.version());
        set(TableHealthMeters.LOG_COMMITS_SINCE_CHECKPOINT, null,
                "Commits a reader replays on top of the latest checkpoint", tags, health.log().commitsSinceCheckpoint());
        set(TableHealthMeters.LOG_COMMIT_FILES, null, "Commit files kept in the table's log", tags,
                health.log().commitFiles());
        set(TableHealthMeters.TOMBSTONES, null, "Removed files the snapshot still remembers (tombstones)", tags,
                health.log().tombstones());
        recordPartitions(table, tags, health.partitions());
    }

    private void recordPartitions(String table, Tags tags, List<TableHealth.Partition> partitions) {
        List<TableHealth.Partition> recent = partitions.subList(Math.max(0, partitions.size() - recentPartitions),
                partitions.size());
        Map<String, List<Registered>> before = partitionMeters.computeIfAbsent(table, k -> new HashMap<>());
        Map<String, List<Registered>> now = new HashMap<>();
        for (TableHealth.Partition p : recent) {
            Tags pt = tags.and("partition", p.name());
            now.put(p.name(), List.of(
                    set(TableHealthMeters.PARTITION_FILES, null, "Data files in a recent partition", pt, p.files()),
                    set(TableHealthMeters.PARTITION_SIZE, "bytes", "Total size of a recent partition's data files", pt,
                            p.bytes()),
                    set(TableHealthMeters.PARTITION_SMALL_BYTES_RATIO, null,
                            "Share of a recent partition's bytes in files below a quarter of the target file size", pt,
                            p.smallByteRatio())));
        }
        before.forEach((name, meters) -> {
            if (!now.containsKey(name)) {
                for (Registered r : meters) {
                    registry.remove(r.meter());
                    values.remove(r.key());
                }
            }
        });
        partitionMeters.put(table, now);
    }

    private Registered set(String name, String baseUnit, String description, Tags tags, double v) {
        String key = key(name, tags);
        Value value = values.get(key);
        if (value == null) {
            // Registered once: registering a gauge again is ignored, with a warning.
            value = new Value();
            value.v = v;
            value.meter = Gauge.builder(name, value, Value::get).baseUnit(baseUnit).description(description).tags(tags)
                    .strongReference(true).register(registry);
            values.put(key, value);
        }
        value.v = v;
        return new Registered(value.meter, key);
    }

    private static String key(String name, Tags tags) {
        return name + tags;
    }

    /** A registered gauge and the key of its value. */
    private record Registered(Meter meter, String key) {
    }

    /** A gauge's current value, and the gauge. */
    private static final class Value {
        volatile double v;
        Meter meter;

        double get() {
            return v;
        }
    }
}
