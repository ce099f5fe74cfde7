package io.fleetbench.compactor;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commit and checkpoint files in a table's {@code _delta_log}, by version, as one listing saw
 * them. Other files there ({@code _last_checkpoint}, checksums, temporary files) are not listed.
 */
final class LogFiles {
    /** A commit file: the table version as 20 digits. */
    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    /** A checkpoint in one file, or one part of a checkpoint in several. */
    private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(?:\\.(\\d{10})\\.(\\d{10}))?\\.parquet");

    private final Path logDir;
    private final NavigableMap<Long, FileStatus> commits;
    private final NavigableMap<Long, List<FileStatus>> checkpoints;
    private final Map<Long, Integer> checkpointParts;

    private LogFiles(Path logDir, NavigableMap<Long, FileStatus> commits, NavigableMap<Long, List<FileStatus>> checkpoints,
                     Map<Long, Integer> checkpointParts) {
        this.logDir = logDir;
        this.commits = commits;
        this.checkpoints = checkpoints;
        this.checkpointParts = checkpointParts;
    }

    /** Lists a table's log; a table without one has none of either kind. */
    static LogFiles list(Configuration conf, Path tableRoot) {
        Path logDir = new Path(tableRoot, "_delta_log");
        NavigableMap<Long, FileStatus> commits = new TreeMap<>();
        NavigableMap<Long, List<FileStatus>> checkpoints = new TreeMap<>();
        Map<Long, Integer> parts = new HashMap<>();
        try {
            FileSystem fs = logDir.getFileSystem(conf);
            for (FileStatus f : fs.listStatus(logDir)) {
                String name = f.getPath().getName();
                Matcher c = COMMIT.matcher(name);
                Matcher k = CHECKPOINT.matcher(name);
                if (c.matches()) {
                    commits.put(Long.parseLong(c.group(1)), f);
                } else if (k.matches()) {
                    long version = Long.parseLong(k.group(1));
                    checkpoints.computeIfAbsent(version, v -> new ArrayList<>()).add(f);
                    parts.put(version, k.group(3) == null ? 1 : Integer.parseInt(k.group(3)));
                }
            }
        } catch (FileNotFoundException e) {
            // No log: no table.
        } catch (IOException e) {
            throw new UncheckedIOException("listing the log of table " + tableRoot, e);
        }
        return new LogFiles(logDir, commits, checkpoints, parts);
    }

    Path dir() {
        return logDir;
    }

    /** Commit files by version. */
    NavigableMap<Long, FileStatus> commits() {
        return commits;
    }

    /** Checkpoint files by version (one per version, or the parts of a multi-part checkpoint). */
    NavigableMap<Long, List<FileStatus>> checkpoints() {
        return checkpoints;
    }

    /** The version of the newest complete checkpoint at or below a version, or -1 if there is none. */
    long latestCheckpoint(long atOrBelow) {
        for (Map.Entry<Long, List<FileStatus>> e : checkpoints.headMap(atOrBelow, true).descendingMap().entrySet()) {
            if (e.getValue().size() == checkpointParts.get(e.getKey())) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** The lowest version whose commit file is in the log, or -1 if there is none. */
    long oldestCommit() {
        return commits.isEmpty() ? -1 : commits.firstKey();
    }
}
