package io.fleetbench.lakesink;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One writer's uncommitted data files of one table: a file open per partition, written row by row,
 * and the files that reached the target size and were finished. Not thread-safe.
 *
 * <p>A partition's file is finished once it reaches the target file size, and the next row of that
 * partition starts a new one; every file still open is finished when the writer commits. Memory holds
 * only each open file's current row group, so a file can grow to the target size without its rows
 * being held.
 */
final class PartitionedFiles<R> {
    /** Rows between two checks of a file's size against the target (Parquet's size estimate is not free). */
    static final int SIZE_CHECK_INTERVAL = 128;

    private final RowFormat<R> format;
    private final Configuration conf;
    private final Path tableRoot;
    private final long targetFileBytes;
    private final long rowGroupBytes;
    private final Map<Long, DataFile<R>> open = new HashMap<>();
    private final List<WrittenFile> finished = new ArrayList<>();
    /** The partition of the last row and its file: rows mostly come in runs of one partition. */
    private long lastKey;
    private DataFile<R> lastFile;
    private long rows;

    PartitionedFiles(RowFormat<R> format, Configuration conf, Path tableRoot, long targetFileBytes, long rowGroupBytes) {
        this.format = format;
        this.conf = conf;
        this.tableRoot = tableRoot;
        this.targetFileBytes = targetFileBytes;
        this.rowGroupBytes = Math.min(rowGroupBytes, targetFileBytes);
    }

    void append(R row) {
        long key = format.partitionKey(row);
        DataFile<R> file = lastFile != null && key == lastKey ? lastFile : open.get(key);
        if (file == null) {
            file = DataFile.create(format, conf, tableRoot, format.partition(key), rowGroupBytes);
            open.put(key, file);
        }
        lastKey = key;
        lastFile = file;
        file.write(row);
        rows++;
        if (file.rows() % SIZE_CHECK_INTERVAL == 0 && file.dataSize() >= targetFileBytes) {
            finished.add(file.finish());
            open.remove(key);
            lastFile = null;
        }
    }

    /** Rows appended since the last {@link #finishAll()} or {@link #abort()}. */
    long rows() {
        return rows;
    }

    boolean isEmpty() {
        return rows == 0;
    }

    /** Bytes held in memory by the open files' current row groups. */
    long bufferedBytes() {
        long bytes = 0;
        for (DataFile<R> f : open.values()) {
            bytes += f.bufferedBytes();
        }
        return bytes;
    }

    /** Bytes written and not yet committed: the finished files and the open ones so far. */
    long uncommittedBytes() {
        long bytes = 0;
        for (WrittenFile f : finished) {
            bytes += f.sizeBytes();
        }
        for (DataFile<R> f : open.values()) {
            bytes += f.dataSize();
        }
        return bytes;
    }

    /** Finishes every open file and hands over all files for a commit; the writer starts empty again. */
    List<WrittenFile> finishAll() {
        List<WrittenFile> all = new ArrayList<>(finished);
        for (DataFile<R> f : open.values()) {
            all.add(f.finish());
        }
        open.clear();
        finished.clear();
        lastFile = null;
        rows = 0;
        return all;
    }

    /** Deletes every uncommitted file, open or finished; the writer starts empty again. */
    void abort() {
        for (DataFile<R> f : open.values()) {
            f.abort();
        }
        for (WrittenFile f : finished) {
            DataFile.delete(conf, new Path(tableRoot, f.relativePath()));
        }
        open.clear();
        finished.clear();
        lastFile = null;
        rows = 0;
    }
}
