package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.CapturedOutput;
import io.fleetbench.runner.KernelRows;
import io.fleetbench.runner.TestEvents;

import io.delta.standalone.DeltaLog;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.telemetry.EventFamily;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fleetbench compact <lake root>} on tables the real sink wrote: every table below the root, once. */
class CompactCommandTest {
    private static final int FLUSHES = 12;

    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    private static int files(String table) {
        return DeltaLog.forTable(new Configuration(), table).update().getAllFiles().size();
    }

    @Test
    void closedAfterZeroCompactsThePartitionsWrittenJustNow(@TempDir Path dir) {
        String lake = dir.resolve("lake").toString();
        String cars = writeTables(lake)[0];
        assertEquals(FLUSHES, files(cars));
        Map<String, Integer> rows = KernelRows.read(cars);

        assertEquals(ExitCode.OK, Main.execute("compact", lake, "--target-file-size", "1MiB", "--closed-after", "0s"));
        String text = output.out();
        assertEquals(1, files(cars), text);
        assertEquals(rows, KernelRows.read(cars), "the same rows, with the position each came from");
        assertTrue(rows.keySet().stream().allMatch(r -> r.contains("|shard=shard-0|sequence_number=")
                && r.contains("|sub_sequence_number=0|")), rows.keySet().iterator().next());
        assertTrue(text.contains(cars + ": 1 partitions compacted in 1 commits, " + FLUSHES + " files -> 1"), text);
    }

    /** The car and bike tables below {@code lake}, each written in {@value #FLUSHES} files of one open partition. */
    private static String[] writeTables(String lake) {
        String cars;
        String bikes;
        LakeSinkConfig config = LakeSinkConfig.defaults(lake).withBufferLimits(Duration.ofHours(1), 64L << 20);
        try (DeltaLakeSink sink = new DeltaLakeSink(config, new SimpleMeterRegistry(), Clock.systemUTC())) {
            cars = sink.tablePath(EventFamily.CAR_TELEMETRY);
            bikes = sink.tablePath(EventFamily.BIKE_METRICS);
            BigInteger sequence = BigInteger.ONE;
            try (ShardWriter w = sink.open("shard-0")) {
                for (int f = 0; f < FLUSHES; f++) {
                    for (int i = f * 10; i < f * 10 + 10; i++) {
                        sequence = sequence.add(BigInteger.ONE);
                        w.append(new SinkRecord(new SourcePosition(sequence, 0), TestEvents.car(i)));
                        sequence = sequence.add(BigInteger.ONE);
                        w.append(new SinkRecord(new SourcePosition(sequence, 0), TestEvents.bike(i)));
                    }
                    w.flush();
                }
            }
        }
        return new String[] {cars, bikes};
    }

    @Test
    void compactsEveryTableBelowALakeRootAndLeavesOpenPartitionsAloneByDefault(@TempDir Path dir) {
        String lake = dir.resolve("lake").toString();
        String[] tables = writeTables(lake);
        String cars = tables[0];
        String bikes = tables[1];
        assertEquals(FLUSHES, files(cars));

        // Just written: every partition is open, and left alone.
        assertEquals(ExitCode.OK, Main.execute("compact", lake, "--target-file-size", "1MiB"));
        assertEquals(FLUSHES, files(cars));
        String text = output.out();
        assertTrue(text.contains("1 open partitions (written within 15m) left alone"), text);
        assertTrue(output.err().contains("compact car_telemetry [####################] 0/0 partitions | elapsed "),
                output.err());
        assertEquals(ExitCode.OK, Main.execute("compact", lake, "--target-file-size", "1MiB", "--include-open-partitions",
                "--table-target-file-size", "bike_metrics=2MiB"));
        text = output.out();
        assertEquals(1, files(cars));
        assertEquals(1, files(bikes));
        assertTrue(text.contains(cars + ": 1 partitions compacted in 1 commits, " + FLUSHES + " files -> 1"), text);
        assertTrue(text.contains(bikes + ": 1 partitions compacted in 1 commits, " + FLUSHES + " files -> 1"), text);
        assertTrue(text.contains("1 passes, 2 commits of 2 bins: " + 2 * FLUSHES + " files -> 2"), text);
        for (String table : List.of("bike_metrics", "car_telemetry")) {
            assertTrue(Pattern.compile("compact " + table + " \\[#{20}] 1/1 partitions \\| elapsed \\d+s, remaining 0s "
                    + "\\| [\\d,.]+ (B|MiB) written\\R").matcher(output.err()).find(), output.err());
        }
    }
}
