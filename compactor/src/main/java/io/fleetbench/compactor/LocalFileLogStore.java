package io.fleetbench.compactor;

import io.delta.storage.HDFSLogStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * A Delta log store for tables in local folders that several writers may commit to at once: the lake
 * sink and compactors, in one process or several.
 *
 * <p>Delta commits are safe only if creating commit file {@code N} fails when another writer created it
 * first. delta-standalone's default store for local folders checks that the file is absent and then
 * renames its temporary file over it, which on a local file system replaces a file created in between:
 * two writers that commit the same version at the same moment can lose one commit, or leave a commit
 * file whose checksum does not match. This store creates the commit file as a hard link to its
 * temporary file, which the operating system refuses atomically if the name exists. It also lists the
 * log by name and looks up only the files from the requested version on, where Hadoop's local file
 * system looks up every file of the log (a stat and a {@code readlink} process each), which makes
 * commits slower the longer the log.
 *
 * <p>Selected with {@link #configure(Configuration)}; every writer of a table must use it. Paths of
 * other schemes are handled as by {@link HDFSLogStore}.
 */
public final class LocalFileLogStore extends HDFSLogStore {
    /** The Hadoop key that selects a Delta log store for the {@code file} scheme. */
    public static final String CONF_KEY = "delta.logStore.file.impl";

    public LocalFileLogStore(Configuration initHadoopConf) {
        super(initHadoopConf);
    }

    /** Makes Delta use this store for local tables opened with {@code conf}; returns {@code conf}. */
    public static Configuration configure(Configuration conf) {
        conf.set(CONF_KEY, LocalFileLogStore.class.getName());
        return conf;
    }

    /** A Hadoop configuration with the defaults and this store for local tables. */
    public static Configuration configuration() {
        return configure(new Configuration());
    }

    private static java.nio.file.Path local(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        Path qualified = fs.makeQualified(path);
        return "file".equals(qualified.toUri().getScheme()) ? Paths.get(qualified.toUri()) : null;
    }

    @Override
    public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
            throws IOException {
        java.nio.file.Path target = local(path, hadoopConf);
        if (target == null) {
            super.write(path, actions, overwrite, hadoopConf);
            return;
        }
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        java.nio.file.Path dir = target.getParent();
        Files.createDirectories(dir);
        java.nio.file.Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                while (actions.hasNext()) {
                    out.write((actions.next() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // link(2) fails with EEXIST if another writer created the file first, atomically.
                Files.createLink(target, temp);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Iterator<FileStatus> listFrom(Path path, Configuration hadoopConf) throws IOException {
        java.nio.file.Path start = local(path, hadoopConf);
        if (start == null) {
            return super.listFrom(path, hadoopConf);
        }
        java.nio.file.Path dir = start.getParent();
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException("No such file or directory: " + dir);
        }
        String from = start.getFileName().toString();
        List<String> names = new ArrayList<>();
        try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(dir)) {
            for (java.nio.file.Path e : entries) {
                String name = e.getFileName().toString();
                // Hidden files are temporary files and checksums, which Hadoop's listing leaves out too.
                if (name.compareTo(from) >= 0 && !name.startsWith(".")) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        Path parent = path.getFileSystem(hadoopConf).makeQualified(path).getParent();
        List<FileStatus> statuses = new ArrayList<>(names.size());
        for (String name : names) {
            try {
                BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
                statuses.add(new FileStatus(a.size(), a.isDirectory(), 1, 0, a.lastModifiedTime().toMillis(),
                        new Path(parent, name)));
            } catch (NoSuchFileException e) {
                // Deleted since it was listed (log cleanup): as if it had not been there.
            }
        }
        return statuses.iterator();
    }
}
