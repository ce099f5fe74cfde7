package io.fleetbench.compactor;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Finds the Delta tables at or below a folder, such as a lake root with one table per event family. */
public final class DeltaTables {
    /** How many folder levels below the given one are searched. */
    static final int MAX_DEPTH = 4;

    private DeltaTables() {
    }

    /**
     * The Delta tables at or below a path, in path order: the path itself if it is a table (holds
     * {@code _delta_log}), else every table in the folders below it, up to {@value #MAX_DEPTH} levels
     * deep. Tables are not searched for tables inside them, and folders whose names start with
     * {@code _} or {@code .} are skipped.
     *
     * @return the tables' paths; empty if there are none or the path does not exist
     */
    public static List<String> find(String path, Configuration conf) {
        Path root = new Path(path);
        try {
            FileSystem fs = root.getFileSystem(conf);
            List<String> tables = new ArrayList<>();
            collect(fs, root, 0, tables);
            tables.sort(Comparator.naturalOrder());
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException("looking for Delta tables under " + path, e);
        }
    }

    private static void collect(FileSystem fs, Path dir, int depth, List<String> tables) throws IOException {
        if (fs.exists(new Path(dir, "_delta_log"))) {
            tables.add("file".equals(dir.toUri().getScheme()) ? dir.toUri().getPath() : dir.toString());
            return;
        }
        if (depth >= MAX_DEPTH) {
            return;
        }
        FileStatus[] children;
        try {
            children = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return;
        }
        Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (child.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
                collect(fs, child.getPath(), depth + 1, tables);
            }
        }
    }
}
