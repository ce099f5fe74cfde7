package io.fleetbench.cli;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.actions.AddFile;
import io.fleetbench.compactor.Vacuum;
import io.fleetbench.compactor.VacuumOptions;
import io.fleetbench.compactor.VacuumResult;
import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.KernelRows;
import io.fleetbench.cli.Main;
import io.fleetbench.runner.TestEvents;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills the compactor with SIGKILL after it wrote a new file but before it committed, and checks that
 * the table reads the same rows (delta-kernel), that vacuum's dry run lists exactly the files the
 * compactor left behind, and that vacuum removes them without changing a row.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CompactorCrashIT {
    /** Small files in the table's one partition: the compactor rewrites them all into one file before its commit. */
    private static final int FILES = 60;
    private static final int ROWS_PER_FILE = 4;
    private static final Duration COMPACTION_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void sigkillMidCompactionLeavesTheRowsAndOrphansThatVacuumFindsAndRemoves() throws Exception {
        long t0 = System.nanoTime();
        Path lake = dir.resolve("lake");
        // One flush per file; the cars are a second apart, all within one hour: one partition.
        try (DeltaLakeSink sink = new DeltaLakeSink(LakeSinkConfig.defaults(lake.toString()), new SimpleMeterRegistry(),
                Clock.systemUTC()); ShardWriter w = sink.open("shard-1")) {
            for (int i = 0; i < FILES * ROWS_PER_FILE; i++) {
                w.append(new SinkRecord(SourcePosition.of(Integer.toString(1_000 + i), 0), TestEvents.car(i)));
                if ((i + 1) % ROWS_PER_FILE == 0) {
                    w.flush();
                }
            }
        }
        Path table = lake.resolve("car_telemetry");
        Map<String, Integer> rows = KernelRows.read(table.toString());
        assertEquals(FILES * ROWS_PER_FILE, rows.size());
        Set<String> committed = committedFiles(table);
        assertEquals(FILES, committed.size());
        assertEquals(committed, dataFiles(table));
        long version = DeltaLog.forTable(new Configuration(), table.toString()).update().getVersion();

        long written = System.nanoTime();
        Path log = dir.resolve("compactor.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CrashableCompactor.class.getName(), table.toString());
        long launched = System.nanoTime();
        Process compactor = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Set<String> leftBehind;
        long killed;
        try {
            long deadline = System.nanoTime() + COMPACTION_TIMEOUT.toNanos();
            // Polled every few milliseconds: the kill must land soon after the first new file appears.
            while (true) {
                Set<String> files = dataFiles(table);
                files.removeAll(committed);
                if (!files.isEmpty()) {
                    break;
                }
                if (!compactor.isAlive()) {
                    fail("the compactor ended before it wrote a file; log: " + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("the compactor wrote no file within " + COMPACTION_TIMEOUT + "; log: " + Files.readString(log));
                }
                Thread.sleep(2);
            }
            killed = System.nanoTime();
            compactor.destroyForcibly();
            assertTrue(compactor.waitFor(30, TimeUnit.SECONDS), "the compactor still runs after SIGKILL");
        } finally {
            if (compactor.isAlive()) {
                compactor.destroyForcibly();
            }
        }
        String output = Files.readString(log);
        assertTrue(output.contains(CrashableCompactor.STARTED), output);
        assertFalse(output.contains("finished"), "killed before it finished: " + output);
        assertEquals(version, DeltaLog.forTable(new Configuration(), table.toString()).update().getVersion(),
                "killed before its commit: the table is where it was");
        leftBehind = dataFiles(table);
        leftBehind.removeAll(committed);
        assertFalse(leftBehind.isEmpty());
        assertEquals(rows, KernelRows.read(table.toString()), "the same rows after the kill");

        // Young orphans stay under the default retention; with none, exactly what the compactor left goes.
        VacuumResult byDefault = new Vacuum(new Configuration(), Clock.systemUTC())
                .vacuum(table.toString(), new VacuumOptions(VacuumOptions.DEFAULT_RETENTION, true, false));
        assertEquals(List.of(), byDefault.files());
        assertEquals(leftBehind.size(), byDefault.youngUnreferenced());
        VacuumResult dry = new Vacuum(new Configuration(), Clock.systemUTC())
                .vacuum(table.toString(), new VacuumOptions(Duration.ZERO, true, true));
        assertEquals(leftBehind, dry.files().stream().map(VacuumResult.DeletableFile::path)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertTrue(dry.files().stream().allMatch(f -> f.reason() == VacuumResult.Reason.UNREFERENCED), dry.files().toString());
        assertEquals(FILES, dry.referencedFiles());

        String listing = cli("vacuum", table.toString(), "--retention", "0s", "--force", "--dry-run");
        for (String orphan : leftBehind) {
            assertTrue(listing.contains("orphan") && listing.contains(orphan), listing);
        }
        assertEquals(leftBehind, dataFiles(table).stream().filter(f -> !committed.contains(f))
                .collect(Collectors.toCollection(TreeSet::new)), "a dry run deletes nothing");

        String done = cli("vacuum", table.toString(), "--retention", "0s", "--force");
        assertTrue(done.contains("deleted " + leftBehind.size() + " data files"), done);
        assertEquals(committed, dataFiles(table), "only the orphans went");
        assertEquals(rows, KernelRows.read(table.toString()), "the same rows after vacuum");
        assertEquals(List.of(), new Vacuum(new Configuration(), Clock.systemUTC())
                .vacuum(table.toString(), new VacuumOptions(Duration.ZERO, true, true)).files());
        System.out.printf("CompactorCrashIT: %d small files written in %d ms; compactor killed %d ms after its launch,"
                        + " leaving %s; vacuumed; %d rows read the same throughout; %d ms in all%n", FILES,
                (written - t0) / 1_000_000, (killed - launched) / 1_000_000, leftBehind, rows.size(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static String cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(ExitCode.OK, Main.execute(args));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The data files the table's snapshot references, relative to the table. */
    private static Set<String> committedFiles(Path table) {
        return DeltaLog.forTable(new Configuration(), table.toString()).update().getAllFiles().stream()
                .map(AddFile::getPath).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The data files on disk below the table, outside {@code _delta_log} and hidden files, relative to it. */
    private static Set<String> dataFiles(Path table) {
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> table.relativize(p).toString())
                    .filter(p -> !p.startsWith("_delta_log") && !Path.of(p).getFileName().toString().startsWith("."))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + table, e);
        }
    }
}
