package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.SetTransaction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes the oldest part of a table's {@code _delta_log}: the commit and checkpoint files of every
 * version below a floor, oldest first, so the log that stays is always one unbroken run of versions.
 * The floor is the newest checkpoint at or below the lowest of
 * <ul>
 *   <li>the latest checkpoint (a snapshot is read from it and the commits after it),</li>
 *   <li>the first commit younger than the table's {@code delta.logRetentionDuration} (default 30 days),
 *       going by its file's modification time, as Delta does, and</li>
 *   <li>the newest commit of every application id the snapshot holds a {@code txn} version for. The
 *       lake sink finds a source's committed position in the commit that set its current {@code txn}
 *       version, by scanning back through the commit files; without that commit a writer of the source
 *       cannot open ({@code MissingProgressException}). A source that stops committing therefore keeps
 *       the log from shrinking past its last commit, which {@link VacuumResult.LogCleanup#pinnedBy()} names.</li>
 * </ul>
 * The log must begin at a checkpoint because delta-standalone reads a commit's information only from
 * the earliest checkpoint on (unless version 0 is still there), even where older commit files remain;
 * with no checkpoint at or below that lowest version nothing is deleted.
 *
 * <p>delta-standalone cleans the log on its own after each checkpoint by the first two rules only,
 * unless the table sets {@code delta.enableExpiredLogCleanup=false}, as the lake sink's tables do.
 */
final class LogCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final Configuration conf;

    LogCleaner(Configuration conf) {
        this.conf = Objects.requireNonNull(conf, "conf");
    }

    VacuumResult.LogCleanup clean(DeltaLog log, Snapshot snapshot, long nowMillis, boolean dryRun) {
        Duration retention = Duration.ofMillis(StandaloneInternals.logRetentionMillis(log));
        LogFiles files = LogFiles.list(conf, log.getPath());
        long checkpoint = files.latestCheckpoint(snapshot.getVersion());
        long oldest = files.oldestCommit();
        if (checkpoint < 0 || oldest < 0) {
            return new VacuumResult.LogCleanup(retention, checkpoint, Math.max(oldest, 0), List.of(), Optional.empty());
        }
        long expiredBefore = nowMillis - retention.toMillis();
        long limit = checkpoint;
        for (Map.Entry<Long, FileStatus> e : files.commits().headMap(limit, false).entrySet()) {
            if (e.getValue().getModificationTime() >= expiredBefore) {
                limit = e.getKey();
                break;
            }
        }
        Optional<String> pinnedBy = Optional.empty();
        Map<String, Long> current = new HashMap<>();
        for (SetTransaction t : StandaloneInternals.setTransactions(snapshot)) {
            current.put(t.getAppId(), t.getVersion());
        }
        if (oldest < limit && !current.isEmpty()) {
            // Going forward, the first commit that set an application's current version is the lowest such commit.
            Iterator<VersionLog> changes = log.getChanges(oldest, false);
            scan:
            while (changes.hasNext()) {
                VersionLog v = changes.next();
                if (v.getVersion() >= limit) {
                    break;
                }
                for (Action a : v.getActions()) {
                    if (a instanceof SetTransaction t && Long.valueOf(t.getVersion()).equals(current.get(t.getAppId()))) {
                        limit = v.getVersion();
                        pinnedBy = Optional.of(t.getAppId());
                        break scan;
                    }
                }
            }
        }
        // delta-standalone reads a commit's info (as the lake sink does) only from the earliest checkpoint on,
        // unless version 0 is there: the log must start at a checkpoint.
        long floor = files.latestCheckpoint(limit);
        if (floor < 0) {
            return new VacuumResult.LogCleanup(retention, checkpoint, oldest, List.of(), pinnedBy);
        }
        List<Path> doomed = new ArrayList<>();
        // Checkpoints below the oldest commit file, left by an earlier cleanup that stopped part-way.
        for (List<FileStatus> parts : files.checkpoints().headMap(Math.min(oldest, floor), false).values()) {
            parts.forEach(f -> doomed.add(f.getPath()));
        }
        for (long v = oldest; v < floor; v++) {
            for (FileStatus c : files.checkpoints().getOrDefault(v, List.of())) {
                doomed.add(c.getPath());
            }
            FileStatus commit = files.commits().get(v);
            if (commit != null) {
                doomed.add(commit.getPath());
            }
        }
        if (!dryRun && !doomed.isEmpty()) {
            try {
                FileSystem fs = files.dir().getFileSystem(conf);
                for (Path p : doomed) {
                    try {
                        fs.delete(p, false);
                    } catch (FileNotFoundException e) {
                        // Deleted by a concurrent cleanup.
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cleaning the log of table " + log.getPath(), e);
            }
            LOG.info("table {}: log cleanup deleted {} files below version {}{}", log.getPath(), doomed.size(), floor,
                    pinnedBy.map(id -> " (kept from there for the newest commit of " + id + ")").orElse(""));
        }
        return new VacuumResult.LogCleanup(retention, checkpoint, Math.max(floor, oldest), doomed.stream().map(Path::getName).toList(),
                pinnedBy);
    }
}
