package io.fleetbench.lake;

import io.delta.storage.HDFSLogStore;
import io.delta.storage.HadoopFileSystemLogStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Delta log store for tables in local folders, which several writers may commit to at once: the lake
 * sink, compactors and the dead-letter replay, in one process or several. Commits through it are atomic
 * between threads and between processes, and its listings cost what they return. Every writer of a table must use
 * it: a single writer on delta-standalone's default store is enough to overwrite the others' commits.
 * Selected with {@link #configure(Configuration)} (or {@link #configuration()}), which every entry point
 * of fleetbench that opens a table calls on the configuration it is given.
 *
 * <p>Delta commits are safe only if creating commit file {@code N} fails when another writer created it
 * first. delta-standalone's default store for local folders ({@link HDFSLogStore}) checks that the file is
 * absent and then renames its temporary file over it, which on a local filesystem replaces a file created
 * in between: two writers that commit the same version at the same moment can both succeed, so that one
 * commit silently replaces the other, or leave a commit file whose checksum does not match. (delta-storage's
 * own {@code io.delta.storage.LocalLogStore} only makes the writers of one store instance take turns.) This
 * store writes a commit to a hidden temporary file, forces it to disk, and creates the commit file as a hard
 * link to it, which the operating system refuses atomically if the name exists: a put-if-absent. Because
 * the content is on disk before the name appears, a crash leaves a commit file whole or absent, never empty
 * or truncated. The filesystem must support hard links, as Linux and macOS local filesystems do.
 *
 * <p>A listing from a version (every listing delta-standalone makes) looks up that version's commit and
 * checkpoint files and the next version's, until there are none, so it costs what it returns rather than
 * what the log folder holds; Hadoop's local filesystem reads the whole folder and looks up every file in it
 * (a stat and a {@code readlink} process each), which made commits slower the longer the log. Where a
 * look-up cannot tell (a log cleaned up past the first version asked for, checkpoints in several parts),
 * the folder is read by name instead. Hidden files (temporary files, checksums) are left out, as Hadoop's
 * listing leaves out checksums, and so is a file deleted between the listing and its lookup.
 *
 * <p>It tells delta-standalone that partial writes are visible, so delta-standalone writes its checkpoints
 * under a temporary name and renames them: on a local filesystem a checkpoint being written is visible
 * under its name, and a writer killed mid-checkpoint would otherwise leave a truncated one behind.
 *
 * <p>Paths of other schemes are read, written and listed by {@link HDFSLogStore}. It is the base class
 * rather than {@link HadoopFileSystemLogStore} because it is what delta-standalone itself uses for every
 * scheme without a store of its own (hdfs, viewfs and the like): a path that is not local reaches this store
 * only if it is named for that scheme too, and then behaves as it would without it, committing through
 * Hadoop's {@code FileContext} rename, which refuses an existing target atomically on HDFS.
 * {@link HadoopFileSystemLogStore} has no commit of its own, only a check followed by a {@code FileSystem}
 * rename that is safe where nothing else writes. Neither is safe for several writers on S3 ({@code s3a}),
 * where a rename is a copy; {@link #configure} leaves delta-standalone's own stores for S3, Azure and GCS
 * in place.
 */
public final class LocalLogStore extends HDFSLogStore {
    /** A log file name that starts with a version: the listings delta-standalone makes. */
    private static final Pattern VERSION_PREFIX = Pattern.compile("(\\d{20})(\\..*)?");

    /** The Hadoop key through which delta-standalone picks the log store of local tables. */
    public static final String CONF_KEY = "delta.logStore.file.impl";

    /**
     * Keys that name a log store for local tables: the scheme's key, also with the {@code spark.} prefix
     * delta-standalone accepts, and the keys that name one store for every scheme, beside which
     * delta-standalone refuses a scheme's key.
     */
    private static final List<String> STORE_KEYS = List.of(CONF_KEY, "spark." + CONF_KEY, "delta.logStore.class",
            "spark.delta.logStore.class", "io.delta.standalone.LOG_STORE_CLASS_KEY");

    /** Called by delta-standalone with the configuration of the table it opens. */
    public LocalLogStore(Configuration initHadoopConf) {
        super(initHadoopConf);
    }

    /**
     * Makes Delta use this store for local tables opened with {@code conf}, unless {@code conf} names a log
     * store for them already ({@value #CONF_KEY}, or {@code delta.logStore.class} for every scheme).
     *
     * @return {@code conf}
     */
    public static Configuration configure(Configuration conf) {
        for (String key : STORE_KEYS) {
            if (conf.get(key) != null) {
                return conf;
            }
        }
        conf.set(CONF_KEY, LocalLogStore.class.getName());
        return conf;
    }

    /** A Hadoop configuration with the defaults and this store for local tables. */
    public static Configuration configuration() {
        return configure(new Configuration());
    }

    /** A path qualified by its filesystem, or null if that is not the local filesystem. */
    private static Path qualifiedLocal(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        Path qualified = fs.makeQualified(path);
        return "file".equals(qualified.toUri().getScheme()) ? qualified : null;
    }

    @Override
    public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
            throws IOException {
        Path qualified = qualifiedLocal(path, hadoopConf);
        if (qualified == null) {
            super.write(path, actions, overwrite, hadoopConf);
            return;
        }
        java.nio.file.Path target = Paths.get(qualified.toUri());
        if (!overwrite && Files.exists(target)) {
            throw taken(path);
        }
        java.nio.file.Path dir = target.getParent();
        Files.createDirectories(dir);
        java.nio.file.Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
                while (actions.hasNext()) {
                    out.write(actions.next().getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
                out.flush();
                // On disk before it has its name: a crash must not leave an empty or truncated commit file.
                channel.force(true);
            }
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try {
                    // link(2) fails with EEXIST if another writer created the file first, atomically.
                    Files.createLink(target, temp);
                } catch (FileAlreadyExistsException e) {
                    throw taken(path);
                }
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** What delta-standalone expects when another writer committed the version first. */
    private static FileAlreadyExistsException taken(Path path) {
        return new FileAlreadyExistsException(path.toString(), null, "another writer created it first");
    }

    @Override
    public Iterator<FileStatus> listFrom(Path path, Configuration hadoopConf) throws IOException {
        Path qualified = qualifiedLocal(path, hadoopConf);
        if (qualified == null) {
            return super.listFrom(path, hadoopConf);
        }
        java.nio.file.Path dir = Paths.get(qualified.getParent().toUri());
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException("No such file or directory: " + dir);
        }
        String from = qualified.getName();
        Matcher version = VERSION_PREFIX.matcher(from);
        if (version.matches()) {
            List<FileStatus> probed = probe(dir, qualified.getParent(), from, Long.parseLong(version.group(1)));
            if (probed != null) {
                return probed.iterator();
            }
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(dir)) {
            for (java.nio.file.Path e : entries) {
                String name = e.getFileName().toString();
                if (name.compareTo(from) >= 0 && !name.startsWith(".")) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        List<FileStatus> statuses = new ArrayList<>(names.size());
        for (String name : names) {
            try {
                BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
                statuses.add(new FileStatus(a.size(), a.isDirectory(), 1, 0, a.lastModifiedTime().toMillis(),
                        new Path(qualified.getParent(), name)));
            } catch (NoSuchFileException e) {
                // Deleted since it was listed (log cleanup): as if it had not been there.
            }
        }
        return statuses.iterator();
    }

    /**
     * Lists the commit and checkpoint files from a version on by looking them up one version after the
     * other, which costs what the listing returns: the log's versions are contiguous from its oldest file
     * to its latest commit, and the listings delta-standalone makes for each commit start at the latest
     * checkpoint or at a commit it has not read yet. Reading a folder costs what the folder holds, which
     * grows by a commit file per commit until log cleanup catches up, and made every commit slower the
     * longer the log grew.
     *
     * @return null when a look-up cannot tell: nothing at the first version while the version before it
     *         is not there either (a log cleaned up to a later checkpoint, or a listing that starts before
     *         the table's first version), or checkpoints in several parts, whose names cannot be guessed
     */
    private static List<FileStatus> probe(java.nio.file.Path dir, Path parent, String from, long first)
            throws IOException {
        if (multiPartCheckpoint(dir)) {
            return null;
        }
        List<FileStatus> statuses = new ArrayList<>();
        for (long v = first; ; v++) {
            String prefix = String.format(Locale.ROOT, "%020d", v);
            int found = 0;
            // In name order: "<v>.checkpoint.parquet" sorts before "<v>.json".
            for (String name : new String[] {prefix + ".checkpoint.parquet", prefix + ".json"}) {
                BasicFileAttributes a = attributes(dir.resolve(name));
                if (a != null) {
                    found++;
                    if (name.compareTo(from) >= 0) {
                        statuses.add(new FileStatus(a.size(), false, 1, 0, a.lastModifiedTime().toMillis(),
                                new Path(parent, name)));
                    }
                }
            }
            if (found == 0) {
                boolean pastTheEnd = v > first || (first > 0
                        && attributes(dir.resolve(String.format(Locale.ROOT, "%020d.json", first - 1))) != null);
                return pastTheEnd ? statuses : null;
            }
        }
    }

    /** Whether the log's latest checkpoint, as {@code _last_checkpoint} records it, is in several parts. */
    private static boolean multiPartCheckpoint(java.nio.file.Path dir) throws IOException {
        try {
            return Files.readString(dir.resolve("_last_checkpoint")).contains("\"parts\"");
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static BasicFileAttributes attributes(java.nio.file.Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * True: a file being written is visible under its name on a local filesystem, so delta-standalone must
     * write checkpoints under a temporary name and rename them. {@link HDFSLogStore} says the same for the
     * other schemes.
     */
    @Override
    public Boolean isPartialWriteVisible(Path path, Configuration hadoopConf) {
        return true;
    }
}
