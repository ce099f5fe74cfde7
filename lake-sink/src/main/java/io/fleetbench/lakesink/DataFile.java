package io.fleetbench.lakesink;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.UUID;

/**
 * A Parquet data file being written below a table root, invisible to readers until a commit adds it.
 * Rows go straight into the Parquet writer: what is held in memory is the current row group's encoded
 * pages, not the rows.
 */
final class DataFile<R> {
    private final Configuration conf;
    private final Path path;
    private final String relativePath;
    private final RowFormat.PartitionSpec partition;
    private final TrackedOutputFile out;
    private final ParquetWriter<R> writer;
    private final RowFormat.RowStats<R> stats;
    private long rows;
    private boolean closed;

    private DataFile(Configuration conf, Path path, String relativePath, RowFormat.PartitionSpec partition,
                     TrackedOutputFile out, ParquetWriter<R> writer, RowFormat.RowStats<R> stats) {
        this.conf = conf;
        this.path = path;
        this.relativePath = relativePath;
        this.partition = partition;
        this.out = out;
        this.writer = writer;
        this.stats = stats;
    }

    /** Starts a new file in a partition of the table. */
    static <R> DataFile<R> create(RowFormat<R> format, Configuration conf, Path tableRoot,
                                  RowFormat.PartitionSpec partition, long rowGroupBytes) {
        String relative = partition.directory() + "/part-" + UUID.randomUUID() + "."
                + RowFormat.CODEC.name().toLowerCase() + ".parquet";
        Path path = new Path(tableRoot, relative);
        try {
            TrackedOutputFile out = new TrackedOutputFile(outputFile(path, conf));
            return new DataFile<>(conf, path, relative, partition, out, format.open(out, conf, rowGroupBytes),
                    format.newStats());
        } catch (IOException e) {
            throw new UncheckedIOException("creating data file " + path, e);
        }
    }

    void write(R row) {
        try {
            writer.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException("writing data file " + path, e);
        }
        stats.add(row);
        rows++;
    }

    long rows() {
        return rows;
    }

    /** Bytes written so far, including the row group still in memory (Parquet's estimate). */
    long dataSize() {
        return writer.getDataSize();
    }

    /** Bytes of the current row group, held in memory until the row group is full or the file finished. */
    long bufferedBytes() {
        return Math.max(0, writer.getDataSize() - out.position());
    }

    /**
     * The file to write. A local table is written with java.nio: Hadoop's local filesystem would add a
     * checksum file beside each data file and, without its native library, fork a {@code chmod} for
     * every file and directory it creates, which costs more than encoding the rows.
     */
    private static OutputFile outputFile(Path path, Configuration conf) throws IOException {
        java.nio.file.Path local = localPath(path);
        if (local != null) {
            Files.createDirectories(local.getParent());
            return new LocalOutputFile(local);
        }
        return HadoopOutputFile.fromPath(path, conf);
    }

    /** The java.nio path of a file on the local filesystem, or null if the path is on another filesystem. */
    private static java.nio.file.Path localPath(Path path) {
        String scheme = path.toUri().getScheme();
        return scheme == null || scheme.equals("file") ? Paths.get(path.toUri().getPath()) : null;
    }

    /** Writes the footer and closes the file. */
    WrittenFile finish() {
        closed = true;
        try {
            writer.close();
            java.nio.file.Path local = localPath(path);
            long size = local != null ? Files.size(local) : path.getFileSystem(conf).getFileStatus(path).getLen();
            return new WrittenFile(partition.values(), relativePath, size, rows, stats.toEscapedJson());
        } catch (IOException e) {
            throw new UncheckedIOException("finishing data file " + path, e);
        }
    }

    /** Closes the file if open and deletes it: its rows are not to be committed. */
    void abort() {
        if (!closed) {
            closed = true;
            try {
                writer.close();
            } catch (IOException | RuntimeException ignored) {
                // Deleted below anyway.
            }
        }
        delete(conf, path);
    }

    /** Deletes a finished file that will not be committed; a file left behind is an orphan for vacuum, not an error. */
    static void delete(Configuration conf, Path path) {
        try {
            java.nio.file.Path local = localPath(path);
            if (local != null) {
                Files.deleteIfExists(local);
                return;
            }
            FileSystem fs = path.getFileSystem(conf);
            fs.delete(path, false);
        } catch (IOException ignored) {
            // Uncommitted: no reader sees it, and vacuum removes orphans.
        }
    }

    /** An output file that remembers its stream, so the bytes already written out can be told from those in memory. */
    private static final class TrackedOutputFile implements OutputFile {
        private final OutputFile delegate;
        private PositionOutputStream stream;

        TrackedOutputFile(OutputFile delegate) {
            this.delegate = delegate;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            stream = delegate.create(blockSizeHint);
            return stream;
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            stream = delegate.createOrOverwrite(blockSizeHint);
            return stream;
        }

        @Override
        public boolean supportsBlockSize() {
            return delegate.supportsBlockSize();
        }

        @Override
        public long defaultBlockSize() {
            return delegate.defaultBlockSize();
        }

        @Override
        public String getPath() {
            return delegate.getPath();
        }

        long position() {
            try {
                return stream == null ? 0 : stream.getPos();
            } catch (IOException e) {
                return 0;
            }
        }
    }
}
