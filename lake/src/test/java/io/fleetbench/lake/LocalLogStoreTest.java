package io.fleetbench.lake;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commit files are created once, whoever races for them; the log lists from a version on; Delta uses it. */
class LocalLogStoreTest {
    @TempDir
    java.nio.file.Path dir;

    private final Configuration conf = LocalLogStore.configuration();

    private Path commit(long version) {
        return new Path(dir.resolve(String.format("_delta_log/%020d.json", version)).toString());
    }

    private java.nio.file.Path local(Path path) {
        return java.nio.file.Path.of(path.toUri().getPath());
    }

    @Test
    void aVersionIsCommittedOnceAndTheLoserIsToldSo() throws Exception {
        LocalLogStore store = new LocalLogStore(conf);
        Path commit = new Path(dir.resolve("00000000000000000001.json").toUri());
        store.write(commit, List.of("{\"a\":1}", "{\"b\":2}").iterator(), false, conf);
        assertThrows(FileAlreadyExistsException.class,
                () -> store.write(commit, List.of("{\"c\":3}").iterator(), false, conf));
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), Files.readAllLines(dir.resolve("00000000000000000001.json")));
        Path last = new Path(dir.resolve("_last_checkpoint").toUri());
        store.write(last, List.of("{\"version\":10}").iterator(), true, conf);
        store.write(last, List.of("{\"version\":20}").iterator(), true, conf);
        assertEquals("{\"version\":20}\n", Files.readString(dir.resolve("_last_checkpoint")), "overwrite replaces");
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            assertEquals(List.of("00000000000000000001.json", "_last_checkpoint"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file left behind");
        }
    }

    @Test
    void ofWritersRacingForOneVersionExactlyOneWinsAndItsContentStays() throws Exception {
        // A store instance each, as the Delta logs of one table's writers (the sink's, compactors') have.
        int writers = 4;
        int versions = 100;
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            for (long v = 0; v < versions; v++) {
                Path path = commit(v);
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String line = "{\"writer\":" + w + "}";
                    results.add(threads.submit(() -> {
                        LocalLogStore store = new LocalLogStore(conf);
                        start.await();
                        try {
                            store.write(path, List.of(line).iterator(), false, conf);
                            return true;
                        } catch (FileAlreadyExistsException e) {
                            return false;
                        }
                    }));
                }
                List<Integer> won = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    if (results.get(w).get(30, TimeUnit.SECONDS)) {
                        won.add(w);
                    }
                }
                assertEquals(1, won.size(), "version " + v + ": won by writers " + won);
                assertEquals("{\"writer\":" + won.get(0) + "}\n", Files.readString(local(path)), "version " + v);
            }
        } finally {
            threads.shutdownNow();
        }
        try (Stream<java.nio.file.Path> files = Files.list(dir.resolve("_delta_log"))) {
            assertEquals(versions, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void listingStartsAtTheGivenVersionAndLeavesOutHiddenFiles() throws Exception {
        LocalLogStore store = new LocalLogStore(conf);
        for (long v = 0; v < 12; v++) {
            store.write(commit(v), List.of("{}").iterator(), false, conf);
        }
        store.write(new Path(dir.resolve("_delta_log/_last_checkpoint").toString()),
                List.of("{\"version\":10}").iterator(), true, conf);
        Files.writeString(dir.resolve("_delta_log/.00000000000000000011.json.crc"), "x");
        Files.writeString(dir.resolve("_delta_log/.00000000000000000012.json.0b8e2b8c.tmp"), "{}");

        List<String> listed = new ArrayList<>();
        for (Iterator<FileStatus> it = store.listFrom(commit(9), conf); it.hasNext(); ) {
            FileStatus s = it.next();
            listed.add(s.getPath().getName());
            assertTrue(s.getLen() > 0, s.toString());
            assertEquals("file", s.getPath().toUri().getScheme(), s.toString());
        }
        assertEquals(List.of("00000000000000000009.json", "00000000000000000010.json", "00000000000000000011.json"),
                listed);
        assertEquals(List.of("_last_checkpoint"), names(store, new Path(dir.resolve("_delta_log/_last_checkpoint").toString())),
                "a listing from a name that is not a version reads the folder");
        assertThrows(FileNotFoundException.class,
                () -> store.listFrom(new Path(dir.resolve("missing/_delta_log/" + commit(0).getName()).toString()), conf));
    }

    @Test
    void listingsFromAVersionFindWhatTheFolderHolds() throws Exception {
        LocalLogStore store = new LocalLogStore(conf);
        java.nio.file.Path log = dir.resolve("_delta_log");
        for (long v = 0; v < 26; v++) {
            store.write(commit(v), List.of("{}").iterator(), false, conf);
            if (v % 10 == 0 && v > 0) {
                Files.writeString(log.resolve(String.format("%020d.checkpoint.parquet", v)), "parquet");
            }
        }
        for (String from : List.of("00000000000000000000.json", "00000000000000000007.json", "00000000000000000010.checkpoint",
                "00000000000000000010.json", "00000000000000000020", "00000000000000000025.json", "00000000000000000026.json",
                "00000000000000000040.checkpoint")) {
            assertEquals(readFolder(log, from), names(store, new Path(log.resolve(from).toString())), "from " + from);
        }

        // Cleaned up to checkpoint 20: a listing from version 0 still finds it, by reading the folder.
        for (long v = 0; v < 20; v++) {
            Files.delete(log.resolve(String.format("%020d.json", v)));
            Files.deleteIfExists(log.resolve(String.format("%020d.checkpoint.parquet", v)));
        }
        for (String from : List.of("00000000000000000000.checkpoint", "00000000000000000019.json", "00000000000000000021.json")) {
            assertEquals(readFolder(log, from), names(store, new Path(log.resolve(from).toString())), "cleaned, from " + from);
        }

        // A checkpoint in parts (as Spark writes them): only the folder knows the parts' names.
        Files.writeString(log.resolve("00000000000000000020.checkpoint.0000000001.0000000002.parquet"), "part");
        Files.writeString(log.resolve("00000000000000000020.checkpoint.0000000002.0000000002.parquet"), "part");
        Files.writeString(log.resolve("_last_checkpoint"), "{\"version\":20,\"size\":40,\"parts\":2}");
        String from = "00000000000000000020.checkpoint";
        List<String> listed = new ArrayList<>(names(store, new Path(log.resolve(from).toString())));
        listed.remove("_last_checkpoint");
        assertEquals(readFolder(log, from), listed);
        assertTrue(listed.contains("00000000000000000020.checkpoint.0000000002.0000000002.parquet"), listed.toString());
    }

    private List<String> names(LocalLogStore store, Path from) throws IOException {
        List<String> names = new ArrayList<>();
        for (Iterator<FileStatus> it = store.listFrom(from, conf); it.hasNext(); ) {
            names.add(it.next().getPath().getName());
        }
        return names;
    }

    /** The folder's commit and checkpoint files from a name on, in name order. */
    private static List<String> readFolder(java.nio.file.Path log, String from) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(log)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.compareTo(from) >= 0 && n.matches("\\d{20}\\.(json|checkpoint\\..*parquet)"))
                    .sorted().toList();
        }
    }

    @Test
    void configureSelectsThisStoreUnlessAnotherIsNamed() {
        Configuration plain = new Configuration(false);
        assertSame(plain, LocalLogStore.configure(plain));
        assertEquals(LocalLogStore.class.getName(), plain.get(LocalLogStore.CONF_KEY));
        assertEquals(LocalLogStore.class.getName(), LocalLogStore.configuration().get(LocalLogStore.CONF_KEY));

        Configuration other = new Configuration(false);
        other.set(LocalLogStore.CONF_KEY, "com.example.OtherLogStore");
        assertEquals("com.example.OtherLogStore", LocalLogStore.configure(other).get(LocalLogStore.CONF_KEY));

        // delta-standalone refuses a scheme's store beside one for every scheme.
        Configuration everyScheme = new Configuration(false);
        everyScheme.set("delta.logStore.class", "com.example.OtherLogStore");
        assertNull(LocalLogStore.configure(everyScheme).get(LocalLogStore.CONF_KEY));
    }

    /** A local filesystem that records the renames and the listings of folders it is asked for. */
    public static final class RecordingFileSystem extends LocalFileSystem {
        static final Queue<String> RENAMES = new ConcurrentLinkedQueue<>();
        static final Queue<String> LISTED = new ConcurrentLinkedQueue<>();

        @Override
        public boolean rename(Path src, Path dst) throws IOException {
            RENAMES.add(src.getName() + " -> " + dst.getName());
            return super.rename(src, dst);
        }

        @Override
        public FileStatus[] listStatus(Path f) throws IOException {
            LISTED.add(f.getName());
            return super.listStatus(f);
        }
    }

    @Test
    void deltaStandaloneCommitsThroughItAndWritesCheckpointsUnderATemporaryName() {
        Configuration recorded = LocalLogStore.configuration();
        recorded.setClass("fs.file.impl", RecordingFileSystem.class, FileSystem.class);
        recorded.setBoolean("fs.file.impl.disable.cache", true);
        RecordingFileSystem.RENAMES.clear();
        RecordingFileSystem.LISTED.clear();
        String table = dir.resolve("table").toString();
        DeltaLog log = DeltaLog.forTable(recorded, table);
        OptimisticTransaction create = log.startTransaction();
        create.updateMetadata(Metadata.builder()
                .schema(new StructType(new StructField[] {new StructField("seq", new LongType(), false)})).build());
        create.commit(List.<Action>of(), new Operation(Operation.Name.CREATE_TABLE), "test");
        // delta-standalone checkpoints every 10 commits.
        for (int i = 1; i <= 10; i++) {
            AddFile add = new AddFile("part-" + i + ".parquet", Map.of(), 100, 0, true, null, null);
            assertEquals(i, log.startTransaction().commit(List.of(add), new Operation(Operation.Name.WRITE), "test")
                    .getVersion());
        }

        assertTrue(Files.exists(dir.resolve("table/_delta_log/00000000000000000010.checkpoint.parquet")));
        assertTrue(RecordingFileSystem.RENAMES.stream()
                        .anyMatch(r -> r.matches("\\.00000000000000000010\\.checkpoint\\.parquet\\..+\\.tmp -> "
                                + "00000000000000000010\\.checkpoint\\.parquet")),
                "the checkpoint was written under a temporary name: " + RecordingFileSystem.RENAMES);
        assertTrue(RecordingFileSystem.LISTED.stream().noneMatch("_delta_log"::equals),
                "the log is listed by name, not through Hadoop: " + RecordingFileSystem.LISTED);
        assertEquals(10, DeltaLog.forTable(new Configuration(), table).update().getAllFiles().size());
    }

    @Test
    void pathsOfOtherSchemesAreLeftToHdfsLogStore() throws Exception {
        // viewfs over a local folder: a Hadoop filesystem of another scheme that needs no server.
        Files.createDirectories(dir.resolve("mounted/_delta_log"));
        Configuration viewConf = LocalLogStore.configuration();
        viewConf.set("fs.viewfs.mounttable.lake.link./mounted", dir.resolve("mounted").toUri().toString());
        LocalLogStore store = new LocalLogStore(viewConf);
        Path viewCommit = new Path("viewfs://lake/mounted/_delta_log/00000000000000000000.json");
        store.write(viewCommit, List.of("{}").iterator(), false, viewConf);
        assertThrows(FileAlreadyExistsException.class,
                () -> store.write(viewCommit, List.of("{}").iterator(), false, viewConf));
        assertEquals("{}\n", Files.readString(dir.resolve("mounted/_delta_log/00000000000000000000.json")));
        List<String> listed = new ArrayList<>();
        store.listFrom(viewCommit, viewConf).forEachRemaining(s -> listed.add(s.getPath().toString()));
        assertEquals(List.of("viewfs://lake/mounted/_delta_log/00000000000000000000.json"), listed);
    }
}
