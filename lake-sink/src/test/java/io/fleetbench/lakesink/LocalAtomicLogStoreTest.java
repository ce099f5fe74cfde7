package io.fleetbench.lakesink;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalAtomicLogStoreTest {
    @TempDir
    java.nio.file.Path dir;

    private final Configuration conf = new Configuration();

    @Test
    void aVersionIsCommittedOnceAndTheLoserIsToldSo() throws Exception {
        LocalAtomicLogStore store = new LocalAtomicLogStore(conf);
        Path commit = new Path(dir.resolve("00000000000000000001.json").toUri());
        store.write(commit, List.of("{\"a\":1}", "{\"b\":2}").iterator(), false, conf);
        assertThrows(FileAlreadyExistsException.class,
                () -> store.write(commit, List.of("{\"c\":3}").iterator(), false, conf));
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), Files.readAllLines(dir.resolve("00000000000000000001.json")));
        store.write(new Path(dir.resolve("_last_checkpoint").toUri()), List.of("{\"v\":1}").iterator(), true, conf);
        store.write(new Path(dir.resolve("_last_checkpoint").toUri()), List.of("{\"v\":2}").iterator(), true, conf);
        assertEquals(List.of("{\"v\":2}"), Files.readAllLines(dir.resolve("_last_checkpoint")), "overwrite replaces");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("00000000000000000001.json", "_last_checkpoint"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file left behind");
        }
    }

    @Test
    void ofWritersRacingForOneVersionExactlyOneWins() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int version = 0; version < 50; version++) {
                Path commit = new Path(dir.resolve(String.format("%020d.json", version)).toUri());
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String line = "{\"writer\":" + w + "}";
                    results.add(pool.submit(() -> {
                        LocalAtomicLogStore store = new LocalAtomicLogStore(conf);
                        start.await();
                        try {
                            store.write(commit, List.of(line).iterator(), false, conf);
                            return true;
                        } catch (FileAlreadyExistsException e) {
                            return false;
                        }
                    }));
                }
                int won = 0;
                for (Future<Boolean> r : results) {
                    won += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, won, "version " + version);
                List<String> lines = Files.readAllLines(dir.resolve(String.format("%020d.json", version)));
                assertEquals(1, lines.size());
                assertTrue(lines.get(0).startsWith("{\"writer\":"), lines.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
