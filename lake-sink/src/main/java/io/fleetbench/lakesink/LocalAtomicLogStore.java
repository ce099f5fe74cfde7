package io.fleetbench.lakesink;

import io.delta.storage.HadoopFileSystemLogStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.UUID;

/**
 * A Delta log store for tables on the local filesystem whose commits are atomic between threads and
 * between processes. A commit file is written to a hidden temporary file, flushed to disk, and then
 * hard-linked to its name, which the operating system refuses if the name exists: a put-if-absent.
 * Hadoop's local filesystem, which Delta's default log store uses, checks that the name is free and
 * then renames, so two writers can both pass the check and one commit overwrites the other; and it
 * renames a checksum file beside each commit separately, so a reader can meet a commit whose checksum
 * does not match. Reads and listings are Hadoop's. It is set for the {@code file} scheme with
 * {@link #configure}.
 */
public final class LocalAtomicLogStore extends HadoopFileSystemLogStore {
    /** The Hadoop configuration key through which delta-standalone picks the log store of local tables. */
    public static final String CONF_KEY = "delta.logStore.file.impl";

    public LocalAtomicLogStore(Configuration conf) {
        super(conf);
    }

    /** Sets this log store for local tables in a Hadoop configuration, unless one is set already; returns it. */
    public static Configuration configure(Configuration conf) {
        if (conf.get(CONF_KEY) == null) {
            conf.set(CONF_KEY, LocalAtomicLogStore.class.getName());
        }
        return conf;
    }

    @Override
    public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf) throws IOException {
        java.nio.file.Path target = Paths.get(path.toUri().getPath());
        java.nio.file.Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC)) {
                while (actions.hasNext()) {
                    out.write(actions.next().getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                try {
                    Files.createLink(target, temp);
                } catch (FileAlreadyExistsException e) {
                    throw new FileAlreadyExistsException(target.toString(), null, "another writer committed this version");
                }
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Commit files appear whole, but delta-standalone asks this for the checkpoints it writes itself: on a
     * local filesystem a checkpoint being written is visible under its name, so it must write them to a
     * temporary name and rename them, or a writer killed mid-checkpoint leaves a truncated one behind.
     */
    @Override
    public Boolean isPartialWriteVisible(Path path, Configuration conf) {
        return true;
    }
}
