package io.fleetbench.compactor;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commit files are created once, whoever races for them, and the log lists from a version on. */
class LocalFileLogStoreTest {
    @TempDir
    java.nio.file.Path dir;

    private final Configuration conf = LocalFileLogStore.configuration();

    private Path commit(long version) {
        return new Path(dir.resolve(String.format("_delta_log/%020d.json", version)).toString());
    }

    @Test
    void ofTwoWritersRacingForOneCommitFileExactlyOneWinsAndItsContentStays() throws Exception {
        // Two store instances, as two Delta logs of one table (the sink's and a compactor's) have.
        LocalFileLogStore a = new LocalFileLogStore(conf);
        LocalFileLogStore b = new LocalFileLogStore(conf);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (long v = 0; v < 200; v++) {
                Path path = commit(v);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Boolean> fa = threads.submit(() -> race(start, a, path, "a"));
                Future<Boolean> fb = threads.submit(() -> race(start, b, path, "b"));
                boolean aWon = fa.get(10, TimeUnit.SECONDS);
                boolean bWon = fb.get(10, TimeUnit.SECONDS);
                assertTrue(aWon ^ bWon, "version " + v + ": a " + aWon + ", b " + bWon);
                assertEquals((aWon ? "a" : "b") + "\n", Files.readString(java.nio.file.Path.of(path.toString())));
            }
        } finally {
            threads.shutdownNow();
        }
        try (var files = Files.list(dir.resolve("_delta_log"))) {
            assertEquals(200, files.count(), "no temporary files left behind");
        }
    }

    private static boolean race(CyclicBarrier start, LocalFileLogStore store, Path path, String content) throws Exception {
        start.await();
        try {
            store.write(path, List.of(content).iterator(), false, new Configuration());
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @Test
    void overwritingReplacesAndListingStartsAtTheGivenVersion() throws Exception {
        LocalFileLogStore store = new LocalFileLogStore(conf);
        for (long v = 0; v < 12; v++) {
            store.write(commit(v), List.of("{}").iterator(), false, conf);
        }
        assertThrows(FileAlreadyExistsException.class, () -> store.write(commit(3), List.of("{}").iterator(), false, conf));
        Path last = new Path(dir.resolve("_delta_log/_last_checkpoint").toString());
        store.write(last, List.of("{\"version\":10}").iterator(), true, conf);
        store.write(last, List.of("{\"version\":20}").iterator(), true, conf);
        assertEquals("{\"version\":20}\n", Files.readString(dir.resolve("_delta_log/_last_checkpoint")));
        Files.writeString(dir.resolve("_delta_log/.00000000000000000011.json.crc"), "x");

        List<String> listed = new ArrayList<>();
        for (Iterator<FileStatus> it = store.listFrom(commit(9), conf); it.hasNext(); ) {
            FileStatus s = it.next();
            listed.add(s.getPath().getName());
            assertTrue(s.getLen() > 0, s.toString());
        }
        assertEquals(List.of("00000000000000000009.json", "00000000000000000010.json", "00000000000000000011.json",
                "_last_checkpoint"), listed);
    }
}
