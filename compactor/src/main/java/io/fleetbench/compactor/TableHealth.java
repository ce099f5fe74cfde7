package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.AddFile;
import io.fleetbench.lake.LocalLogStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The file-size health of a Delta table's current snapshot, per partition and in total, and the state
 * of its log. A file is small below a quarter of the target file size: the size compaction is meant to
 * leave no bytes in.
 *
 * @param table           the table's name (its folder)
 * @param path            the table's path
 * @param version         the snapshot version read
 * @param targetFileBytes the target file size the small-file figures are measured against
 * @param partitions      one entry per partition that holds files, oldest partition first (by partition
 *                        values, column by column: nulls first, then numbers in numeric order, then text);
 *                        one entry named {@code ""} for a table without partition columns
 * @param total           the whole table, named {@code ""}
 * @param log             the log's state
 */
public record TableHealth(String table, String path, long version, long targetFileBytes, List<Partition> partitions,
                          Partition total, Log log) {

    public TableHealth {
        partitions = List.copyOf(partitions);
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(log, "log");
    }

    /**
     * The files of one partition.
     *
     * @param name            the partition as a path, e.g. {@code event_date=2024-03-01/event_hour=5}
     * @param files           data files
     * @param bytes           their total size
     * @param smallFiles      files below a quarter of the target size
     * @param smallBytes      their total size
     * @param histogram       the files by size, in Delta's bins
     * @param lastAddedMicros when the newest of its files was added, in microseconds since the epoch, as the
     *                        compactor tells it (a compacted file counts as added when the newest file it
     *                        replaced was); {@link Long#MIN_VALUE} when there are no files
     */
    public record Partition(String name, long files, long bytes, long smallFiles, long smallBytes,
                            FileSizeHistogram histogram, long lastAddedMicros) {
        /** Share of the files that are small, 0 when there are none. */
        public double smallFileRatio() {
            return files == 0 ? 0 : (double) smallFiles / files;
        }

        /** Share of the bytes in small files, 0 when there are none. */
        public double smallByteRatio() {
            return bytes == 0 ? 0 : (double) smallBytes / bytes;
        }

        /**
         * Whether the partition is closed at {@code now} by the compactor's rule (see {@link Compactor} and
         * {@link CompactionOptions#closedAfter()}): no file has been added to it for {@code closedAfter}.
         * With {@code closedAfter} zero every partition is closed; otherwise one without files never is.
         */
        public boolean closed(Duration closedAfter, Instant now) {
            if (files == 0) {
                return closedAfter.isZero();
            }
            return Compactor.closed(lastAddedMicros, now.toEpochMilli() * 1000, closedAfter);
        }

        /**
         * The files of several partitions together, named {@code name}; no files at all when
         * {@code partitions} is empty.
         */
        public static Partition sum(String name, Collection<Partition> partitions) {
            Partition total = new Partition(name, 0, 0, 0, 0, new FileSizeHistogram(), Long.MIN_VALUE);
            for (Partition p : partitions) {
                total = new Partition(name, total.files + p.files, total.bytes + p.bytes,
                        total.smallFiles + p.smallFiles, total.smallBytes + p.smallBytes,
                        total.histogram.plus(p.histogram), Math.max(total.lastAddedMicros, p.lastAddedMicros));
            }
            return total;
        }
    }

    /**
     * The state of the table's {@code _delta_log}.
     *
     * @param latestCheckpoint       version of the newest checkpoint, -1 if there is none
     * @param checkpointInterval     the table's {@code delta.checkpointInterval}: writers checkpoint every this many commits
     * @param commitsSinceCheckpoint commits a reader replays on top of the checkpoint
     * @param oldestCommit           the lowest version whose commit file is still in the log
     * @param commitFiles            commit files in the log
     * @param logRetention           the table's {@code delta.logRetentionDuration}
     * @param standaloneLogCleanup   the table's {@code delta.enableExpiredLogCleanup}: whether delta-standalone
     *                               writers delete old commit files after a checkpoint by themselves,
     *                               regardless of the lake sink's progress marks in them
     * @param tombstones             removed files the snapshot still remembers (vacuum candidates once
     *                               older than the retention)
     */
    public record Log(long latestCheckpoint, int checkpointInterval, long commitsSinceCheckpoint, long oldestCommit,
                      long commitFiles, Duration logRetention, boolean standaloneLogCleanup, long tombstones) {
    }

    /** Files below this size count as small: a quarter of the target. */
    public long smallFileBytes() {
        return targetFileBytes / 4;
    }

    /** The partitions that are closed at {@code now} (see {@link Partition#closed}), oldest first. */
    public List<Partition> closedPartitions(Duration closedAfter, Instant now) {
        return partitions.stream().filter(p -> p.closed(closedAfter, now)).toList();
    }

    /**
     * Reads a table's health. A local table's log is read through {@link LocalLogStore}, which lists it by
     * name, unless {@code conf} names another log store; {@code conf} itself is left as it is.
     *
     * @param targetFileBytes the target file size; files below a quarter of it are small; at least 4
     * @throws IllegalArgumentException if there is no Delta table at the path, or the target is under 4 bytes
     */
    public static TableHealth read(Configuration conf, String tablePath, long targetFileBytes) {
        if (targetFileBytes < 4) {
            throw new IllegalArgumentException("targetFileBytes must be >= 4, found " + targetFileBytes);
        }
        Path root = new Path(tablePath);
        Configuration withStore = LocalLogStore.configure(new Configuration(Objects.requireNonNull(conf, "conf")));
        DeltaLog log = DeltaLog.forTable(withStore, root);
        if (!log.tableExists()) {
            throw new IllegalArgumentException("no Delta table at " + tablePath + " (expected a folder with _delta_log)");
        }
        Snapshot snapshot = log.update();
        List<String> columns = snapshot.getMetadata().getPartitionColumns();
        long small = targetFileBytes / 4;
        Map<List<String>, Builder> byPartition = new TreeMap<>(TableHealth::comparePartitionValues);
        for (AddFile f : snapshot.getAllFiles()) {
            List<String> values = new ArrayList<>(columns.size());
            for (String c : columns) {
                values.add(f.getPartitionValues().get(c));
            }
            byPartition.computeIfAbsent(values, v -> new Builder(name(columns, v))).add(f, small);
        }
        List<Partition> partitions = byPartition.values().stream().map(Builder::build).toList();
        Partition total = Partition.sum("", partitions);
        LogFiles files = LogFiles.list(conf, root);
        long checkpoint = files.latestCheckpoint(snapshot.getVersion());
        Log logHealth = new Log(checkpoint, StandaloneInternals.checkpointInterval(log),
                snapshot.getVersion() - checkpoint, files.oldestCommit(), files.commits().size(),
                Duration.ofMillis(StandaloneInternals.logRetentionMillis(log)), StandaloneInternals.expiredLogCleanup(log),
                StandaloneInternals.tombstones(snapshot).size());
        return new TableHealth(root.getName(), tablePath, snapshot.getVersion(), targetFileBytes, partitions, total,
                logHealth);
    }

    private static String name(List<String> columns, List<String> values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            b.append(i > 0 ? "/" : "").append(columns.get(i)).append('=')
                    .append(values.get(i) == null ? "__HIVE_DEFAULT_PARTITION__" : values.get(i));
        }
        return b.toString();
    }

    /**
     * Orders partitions by their values, column by column: nulls first, then numbers in numeric order,
     * then other values as text.
     */
    static int comparePartitionValues(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = compareValue(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compareValue(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        Long x = number(a);
        Long y = number(b);
        if (x != null && y != null) {
            return Long.compare(x, y);
        }
        if (x != null || y != null) {
            return x != null ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static Long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class Builder {
        private final String name;
        private final FileSizeHistogram histogram = new FileSizeHistogram();
        private long files;
        private long bytes;
        private long smallFiles;
        private long smallBytes;
        private long lastAddedMicros = Long.MIN_VALUE;

        Builder(String name) {
            this.name = name;
        }

        void add(AddFile f, long small) {
            long size = f.getSize();
            lastAddedMicros = Math.max(lastAddedMicros, Compactor.insertedMicros(f, true));
            files++;
            bytes += size;
            if (size < small) {
                smallFiles++;
                smallBytes += size;
            }
            histogram.add(size);
        }

        Partition build() {
            return new Partition(name, files, bytes, smallFiles, smallBytes, histogram, lastAddedMicros);
        }
    }
}
