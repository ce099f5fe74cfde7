package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.CapturedOutput;
import io.fleetbench.runner.KernelRows;
import io.fleetbench.runner.TestEvents;
import io.fleetbench.runner.TestLake;

import io.delta.standalone.DeltaLog;
import io.fleetbench.compactor.Vacuum;
import io.fleetbench.compactor.VacuumOptions;
import io.fleetbench.compactor.VacuumResult;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fleetbench vacuum}: refusals (a retention under an hour, or one reaching back past the table's
 * history), and the log cleanup on a table written by the real sink, after
 * which every source's writer still resumes where it stopped.
 */
class VacuumCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    private static SinkRecord car(int i) {
        return new SinkRecord(SourcePosition.of(Integer.toString(1_000 + i), 0), TestEvents.car(i));
    }

    @Test
    void aRetentionUnderAnHourIsRefusedWithExitTwoUnlessForced() throws Exception {
        Path table = dir.resolve("lake").resolve("car_telemetry");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("vacuum", table.toString(), "--retention", "30m"));
        String message = output.err();
        assertTrue(message.contains("fleetbench: vacuum: --retention 30m is under the minimum of 1h"), message);
        assertTrue(message.contains("Add --force"), message);
        assertEquals(ExitCode.BAD_INPUT, Main.execute("vacuum", table.toString(), "--retention", "0s"));

        assertEquals(ExitCode.BAD_INPUT, Main.execute("vacuum", table.toString(), "--retention", "0s", "--force"));
        assertTrue(output.err().contains("no Delta table at " + table), output.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("vacuum", table.toString(), "--retention", "7 days"));
        assertTrue(output.err().contains("--retention"), output.err());

        try (TestLake lake = new TestLake(dir.resolve("lake"), Clock.systemUTC())) {
            lake.flush("shard-1", TestEvents.car(0));
        }
        Path orphan = Files.writeString(table.resolve("event_date=2023-11-14").resolve("orphan.parquet"), "x");
        assertEquals(ExitCode.OK, Main.execute("vacuum", table.toString(), "--retention", "0s", "--force", "--dry-run"));
        String listing = output.out();
        assertTrue(listing.contains("vacuum (dry run, nothing deleted): " + table), listing);
        assertTrue(listing.contains("would delete 1 data files, 1 B (0 removed, 1 orphan)"), listing);
        assertTrue(listing.contains("orphan          1 B  event_date=2023-11-14/orphan.parquet"), listing);
        assertTrue(Files.exists(orphan));
        assertTrue(Pattern.compile("vacuum \\[#{20}] 2/2 files examined \\| elapsed \\d+s, remaining 0s "
                + "\\| would delete 1, 1 B to free" + System.lineSeparator()).matcher(output.err()).find(), output.err());
        assertEquals(ExitCode.OK, Main.execute("vacuum", table.toString(), "--retention", "0s", "--force"));
        assertFalse(Files.exists(orphan));
        String progress = output.err();
        assertTrue(progress.matches("(?s).* 2/2 files examined \\| elapsed \\d+s, "
                + "remaining 0s \\| deleted 1, 1 B freed\\R"), progress);
    }

    @Test
    void aRetentionReachingBackPastTheTablesHistoryExitsTwoSuggestingAShorterOne() {
        Path table = dir.resolve("lake").resolve("car_telemetry");
        // Versions 0 create, 1 the claim, 2-13 the flushes; a checkpoint at 10.
        try (TestLake lake = new TestLake(dir.resolve("lake"), Clock.systemUTC())) {
            for (int i = 0; i < 12; i++) {
                lake.flush("shard-1", TestEvents.car(i));
            }
        }
        // 40 days on, log cleanup deletes the commits before the checkpoint: the log now starts at version 10.
        VacuumResult cleaned = new Vacuum(new Configuration(), Clock.offset(Clock.systemUTC(), Duration.ofDays(40)))
                .vacuum(table.toString(), VacuumOptions.defaults());
        assertEquals(10, cleaned.log().keptFromVersion());

        assertEquals(ExitCode.BAD_INPUT, Main.execute("vacuum", table.toString(), "--retention", "30d", "--dry-run"));
        String message = output.err();
        assertTrue(message.contains("fleetbench: vacuum: --retention 30d reaches back to "), message);
        assertTrue(message.contains("further than the history of " + table + ": its snapshot keeps removed files for"
                + " 7d (delta.deletedFileRetentionDuration) and the oldest commit in its log, version 10, was written"
                + " at "), message);
        assertTrue(message.contains("Nothing was deleted. Use a shorter retention: --retention 7d or less."), message);
        assertEquals("", output.out());

        assertEquals(ExitCode.OK, Main.execute("vacuum", table.toString(), "--retention", "7d", "--dry-run"));
        assertTrue(output.out().contains("would delete 0 data files"));
    }

    @Test
    void logCleanupKeepsEachSourcesNewestCommitSoItsWriterResumes() {
        String lake = dir.resolve("lake").toString();
        LakeSinkConfig config = LakeSinkConfig.defaults(lake);
        // Table versions: 0 create, 1 busy's claim, 2-13 its flushes, 14 quiet's claim, 15 its flush, 16-29 busy's
        // flushes; delta-standalone checkpoints at 10 and 20.
        try (DeltaLakeSink sink = new DeltaLakeSink(config, new SimpleMeterRegistry(), Clock.systemUTC());
             ShardWriter busy = sink.open("busy")) {
            int i = 0;
            for (; i < 12; i++) {
                busy.append(car(i));
                busy.flush();
            }
            try (ShardWriter quiet = sink.open("quiet")) {
                quiet.append(car(100));
                quiet.flush();
            }
            for (; i < 26; i++) {
                busy.append(car(i));
                busy.flush();
            }
        }
        String table = lake + "/car_telemetry";
        DeltaLog log = DeltaLog.forTable(new Configuration(), table);
        assertEquals(29, log.update().getVersion());
        assertEquals("false", log.snapshot().getMetadata().getConfiguration().get("delta.enableExpiredLogCleanup"),
                "the sink's tables leave log cleanup to vacuum");
        Map<String, Integer> rows = KernelRows.read(table);
        assertEquals(27, rows.size());

        // 40 days on, every commit is past the 30-day log retention.
        Vacuum later = new Vacuum(new Configuration(), Clock.offset(Clock.systemUTC(), Duration.ofDays(40)));
        VacuumResult r = later.vacuum(table, VacuumOptions.defaults());
        assertEquals(20, r.log().latestCheckpoint());
        assertEquals(Optional.of("fleetbench-quiet"), r.log().pinnedBy());
        assertEquals(10, r.log().keptFromVersion(), "the checkpoint below quiet's newest commit (15)");
        assertEquals(10, r.log().files().size(), r.log().files().toString());
        assertEquals(0, r.files().size(), "every data file is referenced");
        assertFalse(Files.exists(dir.resolve("lake/car_telemetry/_delta_log/00000000000000000009.json")));
        assertEquals(rows, KernelRows.read(table));

        try (DeltaLakeSink sink = new DeltaLakeSink(config, new SimpleMeterRegistry(), Clock.systemUTC());
             ShardWriter quiet = sink.open("quiet"); ShardWriter busy = sink.open("busy")) {
            assertFalse(quiet.append(car(100)), "quiet's position was found: its committed record is dropped");
            assertFalse(busy.append(car(25)), "busy's position was found");
            assertTrue(busy.append(car(26)));
            busy.flush();
        }
        assertEquals(28, KernelRows.read(table).size());
    }
}
