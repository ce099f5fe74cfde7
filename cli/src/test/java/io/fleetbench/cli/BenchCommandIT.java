package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.CapturedOutput;
import io.fleetbench.runner.KernelRows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.fleetbench.lake.KernelTableReader;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fleetbench bench} with every stage, a few thousand events and one round, the producer
 * stage against kinesalite on free ports; the tables it kept are read back with delta-kernel.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BenchCommandIT {
    private static final int EVENTS = 4_000;
    private static final int FILES = 8;
    private static final int ROWS_PER_FILE = 500;

    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    @Test
    void measuresEveryStageAndLeavesTheTablesItWasGiven(@TempDir Path runs) throws IOException {
        int exit = Main.execute("bench", "--events", "" + EVENTS, "--producer-events", "" + EVENTS, "--shards", "2",
                "--sink-batch", "1000", "--compactor-files", "" + FILES, "--compactor-rows-per-file", "" + ROWS_PER_FILE,
                "--rounds", "1", "--keep-lake", "--runs-dir", runs.toString());
        String err = output.err();
        assertEquals(ExitCode.OK, exit, err);
        Path dir;
        try (Stream<Path> folders = Files.list(runs)) {
            dir = folders.filter(p -> p.getFileName().toString().startsWith("bench-")).findFirst().orElseThrow();
        }
        assertTrue(Files.exists(dir.resolve("bench.txt")));
        JsonNode bench = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
        assertTrue(bench.path("machine").path("cores").asInt() > 0, bench.toString());
        JsonNode stages = bench.path("stages");
        assertEquals(List.of("generator", "producer", "sink", "compactor"), fieldNames(stages));
        for (String stage : fieldNames(stages)) {
            assertTrue(err.contains("bench " + stage + " round 1/1"), "no progress line for " + stage + " in\n" + err);
            assertEquals(1, stages.path(stage).path("rounds").size(), stage);
        }

        JsonNode generator = stages.path("generator").path("median");
        assertEquals(EVENTS, generator.path("events").asLong());
        positive(generator, "events_per_s", "mb_per_s", "cpu_s_per_million_events", "kinesis_records");

        JsonNode producer = stages.path("producer").path("median");
        assertEquals(EVENTS, producer.path("events").asLong());
        assertEquals(0, producer.path("failures").asLong());
        positive(producer, "events_per_s", "put_calls_per_s", "put_latency_p50_ms", "put_latency_p99_ms");

        JsonNode sink = stages.path("sink").path("median");
        positive(sink, "rows_per_s", "parquet_mb_per_s", "commits", "cpu_s_per_million_rows");
        assertEquals(EVENTS, sink.path("records").asLong());
        assertEquals(EVENTS, sink.path("rows").asLong());
        long rows = 0;
        for (Path table : tables(Path.of(stages.path("sink").path("lake").asText()).resolve("round-1"))) {
            for (Map.Entry<String, Integer> row : KernelRows.read(table.toString()).entrySet()) {
                assertEquals(1, row.getValue(), "a row committed more than once in " + table);
                rows++;
            }
        }
        assertEquals(EVENTS, rows, "rows the sink stage committed");

        JsonNode compactor = stages.path("compactor").path("median");
        positive(compactor, "mb_per_s", "mb_per_cpu_s", "mb_read");
        assertEquals(FILES, compactor.path("files_in").asLong());
        Path compacted = Path.of(stages.path("compactor").path("lake").asText()).resolve("round-1").resolve("car_telemetry");
        long[] files = new long[1];
        long[] compactedRows = new long[1];
        Engine engine = DefaultEngine.create(new Configuration());
        Snapshot snapshot = Table.forPath(engine, compacted.toString()).getLatestSnapshot(engine);
        KernelTableReader.scan(engine, snapshot, snapshot.getSchema(), f -> files[0]++,
                batch -> batch.forEach(r -> compactedRows[0]++));
        assertEquals((long) FILES * ROWS_PER_FILE, compactedRows[0], "rows after compaction");
        assertTrue(files[0] < FILES, "files after compaction: " + files[0]);
        assertEquals(compactor.path("files_out").asLong(), files[0]);
    }

    private static void positive(JsonNode figures, String... names) {
        for (String name : names) {
            assertTrue(figures.path(name).asDouble() > 0, name + " in " + figures);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The Delta tables directly below a folder. */
    private static List<Path> tables(Path root) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            List<Path> tables = children.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).sorted().toList();
            assertFalse(tables.isEmpty(), "no Delta table below " + root);
            return tables;
        }
    }
}
