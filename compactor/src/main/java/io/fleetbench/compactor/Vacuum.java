package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.RemoveFile;
import io.fleetbench.lake.LocalLogStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Deletes the data files a Delta table no longer needs, by Delta's own vacuum rule: a file under the
 * table that the current snapshot does not reference goes once it is older than the retention. A file
 * a commit removed is old enough once its removal is (its tombstone's {@code deletionTimestamp}); any
 * other unreferenced file (an orphan: the uncommitted output of a writer or compactor that crashed)
 * once its last modification is. Never deleted: a file the snapshot references, anything in
 * {@code _delta_log} or another hidden folder, and any file modified within the retention, whatever
 * the log says, so a writer's files before its commit are safe while the retention is longer than
 * its commits take.
 *
 * <p>After the data files, the log is cleaned (see {@link LogCleaner}): commit and checkpoint files
 * older than the table's log retention go, but never the latest checkpoint, nor any commit after it,
 * nor the newest commit of any application's {@code txn}, which the lake sink reads its progress from.
 */
public final class Vacuum {
    private static final Logger LOG = LoggerFactory.getLogger(Vacuum.class);

    private final Configuration conf;
    private final Clock clock;

    /** A vacuum with Hadoop's default configuration (enough for local directories). */
    public Vacuum(Clock clock) {
        this(new Configuration(), clock);
    }

    /**
     * A vacuum with a given Hadoop configuration, e.g. with {@code fs.s3a.*} settings. Local tables are
     * opened with {@link LocalLogStore}, as their writers open them, unless the configuration names another
     * log store; the configuration itself is left as it is.
     */
    public Vacuum(Configuration conf, Clock clock) {
        this.conf = LocalLogStore.configure(new Configuration(Objects.requireNonNull(conf, "conf")));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Vacuums a table.
     *
     * @throws IllegalArgumentException if there is no Delta table at the path
     * @throws RetentionBeyondHistoryException if the retention reaches back further than both the
     *                                  snapshot's tombstones and the log's commits, so removed files could
     *                                  not be told from orphans; nothing is deleted then
     */
    public VacuumResult vacuum(String tablePath, VacuumOptions options) {
        return vacuum(tablePath, options, p -> { });
    }

    /**
     * Vacuums a table as {@link #vacuum(String, VacuumOptions)} does, telling {@code progress} after
     * each data file under the table has been looked at (and, if it went, deleted).
     *
     * @param progress told how far the vacuum has gone; called on this thread
     */
    public VacuumResult vacuum(String tablePath, VacuumOptions options, Consumer<VacuumProgress> progress) {
        Objects.requireNonNull(progress, "progress");
        Path root = new Path(tablePath);
        DeltaLog log = DeltaLog.forTable(conf, root);
        if (!log.tableExists()) {
            throw new IllegalArgumentException("no Delta table at " + tablePath + " (expected a folder with _delta_log)");
        }
        Snapshot snapshot = log.update();
        long now = clock.millis();
        long cutoff = now - options.retention().toMillis();
        try {
            FileSystem fs = root.getFileSystem(conf);
            Path qualifiedRoot = fs.makeQualified(root);
            Set<Path> referenced = new HashSet<>();
            for (AddFile f : snapshot.getAllFiles()) {
                referenced.add(resolve(qualifiedRoot, f.getPath()));
            }
            Map<Path, Long> removedAt = removals(log, snapshot, qualifiedRoot, options.retention().toMillis(), cutoff);
            Set<String> partitionColumns = new HashSet<>();
            for (String c : snapshot.getMetadata().getPartitionColumns()) {
                partitionColumns.add(c.toLowerCase(Locale.ROOT));
            }
            List<FileStatus> files = new ArrayList<>();
            walk(fs, qualifiedRoot, partitionColumns, files);

            List<VacuumResult.DeletableFile> deletable = new ArrayList<>();
            long deleted = 0;
            long bytesFreed = 0;
            long examined = 0;
            long keptReferenced = 0;
            long keptRemoved = 0;
            long keptYoung = 0;
            for (FileStatus f : files) {
                Path p = f.getPath();
                Long removed = removedAt.get(p);
                if (referenced.contains(p)) {
                    keptReferenced++;
                } else if (removed != null && removed >= cutoff) {
                    keptRemoved++;
                } else if (f.getModificationTime() >= cutoff) {
                    keptYoung++;
                } else {
                    deletable.add(new VacuumResult.DeletableFile(relative(qualifiedRoot, p), f.getLen(),
                            removed != null ? VacuumResult.Reason.REMOVED : VacuumResult.Reason.UNREFERENCED,
                            Instant.ofEpochMilli(f.getModificationTime()),
                            Optional.ofNullable(removed).map(Instant::ofEpochMilli)));
                    if (!options.dryRun()) {
                        delete(fs, p);
                    }
                    deleted++;
                    bytesFreed += f.getLen();
                }
                progress.accept(new VacuumProgress(++examined, files.size(), deleted, bytesFreed));
            }
            if (!options.dryRun()) {
                LOG.info("table {}: vacuum deleted {} data files older than {}", root, deleted,
                        Instant.ofEpochMilli(cutoff));
            }
            deletable.sort(Comparator.comparing(VacuumResult.DeletableFile::path));
            VacuumResult.LogCleanup logCleanup = new LogCleaner(conf).clean(log, snapshot, now, options.dryRun());
            return new VacuumResult(tablePath, snapshot.getVersion(), options.dryRun(), options.retention(),
                    Instant.ofEpochMilli(cutoff), deletable, keptReferenced, keptRemoved, keptYoung, logCleanup);
        } catch (IOException e) {
            throw new UncheckedIOException("vacuuming table " + tablePath, e);
        }
    }

    /**
     * When each file removed since the cutoff was removed, and of older removals those the snapshot
     * still holds. The snapshot keeps tombstones for the table's {@code delta.deletedFileRetentionDuration};
     * a retention longer than that needs the removals in between, which are read from the commits.
     */
    private Map<Path, Long> removals(DeltaLog log, Snapshot snapshot, Path root, long retention, long cutoff) {
        Map<Path, Long> removed = new HashMap<>();
        for (RemoveFile r : StandaloneInternals.tombstones(snapshot)) {
            removed.merge(resolve(root, r.getPath()), r.getDeletionTimestamp().orElse(0L), Math::max);
        }
        long kept = StandaloneInternals.tombstoneRetentionMillis(log);
        if (retention <= kept) {
            return removed;
        }
        LogFiles logFiles = LogFiles.list(conf, root);
        long oldest = logFiles.oldestCommit();
        long oldestWritten = oldest < 0 ? 0 : logFiles.commits().get(oldest).getModificationTime();
        if (oldest > 0 && oldestWritten >= cutoff) {
            // A retention works if the snapshot's tombstones cover it, or if the oldest commit is older than it.
            long hour = Duration.ofHours(1).toMillis();
            long age = cutoff + retention - oldestWritten;
            long longest = Math.max(kept, age > 0 ? (age - 1) / hour * hour : 0);
            throw new RetentionBeyondHistoryException(root.toString(), Duration.ofMillis(retention),
                    Instant.ofEpochMilli(cutoff), Duration.ofMillis(kept), oldest, Instant.ofEpochMilli(oldestWritten),
                    Duration.ofMillis(longest));
        }
        // Start at the last commit before the cutoff: removal times come from writers' clocks.
        long start = Math.max(oldest, 0);
        for (Map.Entry<Long, FileStatus> e : logFiles.commits().entrySet()) {
            if (e.getValue().getModificationTime() >= cutoff) {
                break;
            }
            start = e.getKey();
        }
        Iterator<VersionLog> changes = log.getChanges(start, false);
        while (changes.hasNext()) {
            VersionLog v = changes.next();
            if (v.getVersion() > snapshot.getVersion()) {
                break;
            }
            for (Action a : v.getActions()) {
                if (a instanceof RemoveFile r) {
                    removed.merge(resolve(root, r.getPath()), r.getDeletionTimestamp().orElse(0L), Math::max);
                }
            }
        }
        return removed;
    }

    /** Collects the files below a folder, skipping hidden ones and {@code _delta_log} as Delta's vacuum does. */
    private static void walk(FileSystem fs, Path dir, Set<String> partitionColumns, List<FileStatus> out)
            throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            // A concurrent vacuum or cleanup removed the folder meanwhile.
            return;
        }
        for (FileStatus s : entries) {
            if (hidden(s.getPath().getName(), partitionColumns)) {
                continue;
            }
            if (s.isDirectory()) {
                walk(fs, s.getPath(), partitionColumns, out);
            } else {
                out.add(s);
            }
        }
    }

    /**
     * Delta's rule for what vacuum never looks into: names starting with {@code _} or {@code .}
     * ({@code _delta_log}, checksum and temporary files), except a partition folder of a column whose
     * name starts so, and change-data files.
     */
    static boolean hidden(String name, Set<String> partitionColumns) {
        if (!name.startsWith("_") && !name.startsWith(".")) {
            return false;
        }
        if (name.startsWith("_change_data")) {
            return false;
        }
        int eq = name.indexOf('=');
        return eq < 0 || !partitionColumns.contains(name.substring(0, eq).toLowerCase(Locale.ROOT));
    }

    private static void delete(FileSystem fs, Path p) throws IOException {
        try {
            // false: already gone, e.g. deleted by a concurrent vacuum.
            fs.delete(p, false);
        } catch (FileNotFoundException e) {
            // Gone as well.
        }
    }

    /** A file action's path (a URI, relative to the table or absolute) as a qualified Hadoop path. */
    static Path resolve(Path qualifiedRoot, String actionPath) {
        try {
            URI uri = new URI(actionPath);
            return uri.isAbsolute() ? new Path(uri) : new Path(qualifiedRoot, new Path(uri));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("table " + qualifiedRoot + ": expected a URI as file path, found "
                    + actionPath, e);
        }
    }

    private static String relative(Path root, Path file) {
        String r = root.toUri().getPath();
        String f = file.toUri().getPath();
        return f.startsWith(r + "/") ? f.substring(r.length() + 1) : f;
    }
}
