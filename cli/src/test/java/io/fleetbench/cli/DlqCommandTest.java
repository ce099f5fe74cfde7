package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.CapturedOutput;
import io.fleetbench.runner.TestEvents;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.lakesink.dlq.DeadLetterReplay;
import io.fleetbench.lake.KernelTableReader;
import io.fleetbench.sink.DeadLetter;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fleetbench dlq}: a dead-letter table written by the real sink, holding records of schema
 * version 2 (which this build decodes), of version 3 and garbage (which it does not), is replayed
 * into the event tables exactly once, as delta-kernel reads them back.
 */
class DlqCommandTest {
    private static final String STREAM = "telemetry";
    private static final String SHARD_1 = "shardId-000000000001";
    private static final String SHARD_2 = "shardId-000000000002";
    private static final Instant ARRIVED = Instant.parse("2024-03-01T12:00:00Z");
    private static final String GARBAGE = "{\"type\":\"car_telemetry\",\"event_id\":secret-payload";

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    private final JsonCodec codec = new JsonCodec();

    private static SourcePosition at(int i) {
        return SourcePosition.of("49650000000000000000000000000000000000000000000000" + String.format("%06d", i), 0);
    }

    /** A dead letter as an older build recorded it: rejected by that build's codec, with its reason. */
    private DeadLetter deadLetter(byte[] raw, String reason, String shard, int position) {
        return new DeadLetter(raw, reason, "rejected by an older build", STREAM, shard, at(position), ARRIVED);
    }

    private byte[] version(TelemetryEvent e, int schemaVersion) {
        return codec.encode(e, e.eventTimeMillis(), schemaVersion);
    }

    /**
     * Two shards: valid v1 events, and dead letters: three of version 2 (two cars, one bike), one of
     * version 3, one garbage and one truncated record.
     */
    private Path lakeWithDeadLetters() {
        Path root = dir.resolve("lake");
        LakeSinkConfig config = LakeSinkConfig.defaults(root.toString()).withApplicationId(STREAM);
        try (DeltaLakeSink sink = new DeltaLakeSink(config, new SimpleMeterRegistry(), Clock.fixed(ARRIVED, ZoneOffset.UTC))) {
            try (ShardWriter w = sink.open(SHARD_1)) {
                w.append(new SinkRecord(at(1), TestEvents.car(1)));
                w.appendDeadLetter(deadLetter(version(TestEvents.car(2), 2), "unsupported_schema_version", SHARD_1, 2));
                w.append(new SinkRecord(at(3), TestEvents.bike(3)));
                w.appendDeadLetter(deadLetter(version(TestEvents.bike(4), 2), "unsupported_schema_version", SHARD_1, 4));
                w.appendDeadLetter(deadLetter(version(TestEvents.car(5), 3), "unsupported_schema_version", SHARD_1, 5));
                w.appendDeadLetter(deadLetter(GARBAGE.getBytes(StandardCharsets.UTF_8), "malformed_json", SHARD_1, 6));
                w.flush();
            }
            try (ShardWriter w = sink.open(SHARD_2)) {
                w.appendDeadLetter(deadLetter(version(TestEvents.car(7), 2), "unsupported_schema_version", SHARD_2, 7));
                w.append(new SinkRecord(at(8), TestEvents.car(8)));
                byte[] car = version(TestEvents.car(9), 1);
                w.appendDeadLetter(deadLetter(java.util.Arrays.copyOf(car, car.length / 2), "malformed_json", SHARD_2, 9));
                w.flush();
            }
        }
        return root;
    }

    @Test
    void replayWritesTheRecordsThatDecodeNowExactlyOnceAndLeavesTheRestWhereTheyAre() {
        Path root = lakeWithDeadLetters();
        String deadLetters = root.resolve("dead_letters").toString();
        String cars = root.resolve(EventFamily.CAR_TELEMETRY.wireName()).toString();
        String bikes = root.resolve(EventFamily.BIKE_METRICS.wireName()).toString();

        assertEquals(ExitCode.OK, Main.execute("dlq", "replay", deadLetters));
        String first = output.out();
        assertTrue(first.contains("dead letters read: 6"), first);
        assertTrue(first.contains("replayed:          3 (bike_metrics 1, car_telemetry 2)"), first);
        assertTrue(first.contains("already replayed:  0"), first);
        assertTrue(first.contains("still invalid:     3 (malformed_json 2, unsupported_schema_version 1)"), first);
        assertTrue(output.err().matches("(?s)(.*\\R)?dlq replay \\[#{20}] 3/3 records \\| elapsed \\d+s, remaining 0s "
                + "\\| replayed 3, already replayed 0\\R"), output.err());

        Map<String, String> carRows = firmwareByEventId(cars);
        assertEquals(Map.of("car-event-1", "-", "car-event-2", "v2.0.0", "car-event-7", "v2.0.0", "car-event-8", "-"),
                carRows, "v1 rows read null, v2 rows their firmware version");
        assertEquals(Map.of("bike-event-3", "-", "bike-event-4", "v2.0.0"), firmwareByEventId(bikes));
        LakeCounts audit = new LakeCounts();
        TableCounts carAudit = audit.audit(cars);
        assertEquals(Map.of(1, 2L, 2, 2L), carAudit.rowsBySchemaVersion());

        assertEquals(ExitCode.OK, Main.execute("dlq", "replay", deadLetters, "--into", root.toString()));
        String second = output.out();
        assertTrue(second.contains("replayed:          0" + System.lineSeparator()), second);
        assertTrue(second.contains("already replayed:  3"), second);
        assertTrue(output.err().matches("(?s)(.*\\R)?dlq replay \\[#{20}] 3/3 records \\| elapsed \\d+s, "
                + "remaining 0s \\| replayed 0, already replayed 3\\R"), output.err());
        TableCounts again = audit.audit(cars);
        // The second replay claims its sources again (a commit of txn actions alone) and adds no file.
        assertEquals(List.of(carAudit.rows(), carAudit.distinctEventIds(), carAudit.files(), carAudit.bytes()),
                List.of(again.rows(), again.distinctEventIds(), again.files(), again.bytes()),
                "a second replay lands nothing");
        assertEquals(2, audit.audit(bikes).rows());
        assertEquals(Map.of("malformed_json", 2L, "unsupported_schema_version", 4L), audit.deadLettersByReason(deadLetters),
                "the dead-letter table is never changed");
    }

    @Test
    void aReplayThatStoppedPartWayGoesOnWhereItStopped() {
        Path root = lakeWithDeadLetters();
        String cars = root.resolve(EventFamily.CAR_TELEMETRY.wireName()).toString();
        // An earlier replay of shard 1 committed up to car-event-2 and stopped before the bike.
        LakeSinkConfig config = LakeSinkConfig.defaults(root.toString()).withApplicationId(STREAM);
        try (DeltaLakeSink sink = new DeltaLakeSink(config, new SimpleMeterRegistry(), Clock.systemUTC());
             ShardWriter w = sink.open(DeadLetterReplay.sourceId(SHARD_1))) {
            assertTrue(w.append(new SinkRecord(at(2), decode(version(TestEvents.car(2), 2)))));
            assertEquals(Optional.of(at(2)), w.flush());
        }

        assertEquals(ExitCode.OK, Main.execute("dlq", "replay", root.resolve("dead_letters").toString()));
        String s = output.out();
        assertTrue(s.contains("replayed:          2 (bike_metrics 1, car_telemetry 1)"), s);
        assertTrue(s.contains("already replayed:  1"), s);
        assertEquals(4, new LakeCounts().audit(cars).distinctEventIds());
        assertEquals(4, new LakeCounts().audit(cars).rows());
    }

    @Test
    void aDryRunCountsWithoutWriting() {
        Path root = lakeWithDeadLetters();
        String cars = root.resolve(EventFamily.CAR_TELEMETRY.wireName()).toString();
        TableCounts before = new LakeCounts().audit(cars);
        assertEquals(ExitCode.OK, Main.execute("dlq", "replay", root.resolve("dead_letters").toString(), "--dry-run"));
        String s = output.out();
        assertTrue(s.startsWith("dlq replay (dry run, nothing written): "), s);
        assertTrue(s.contains("decode now:        3 (bike_metrics 1, car_telemetry 2)"), s);
        assertFalse(s.contains("already replayed"), s);
        assertEquals(before, new LakeCounts().audit(cars));
    }

    @Test
    void listCountsByReasonWithMessagesButNeverPayloads() {
        Path root = lakeWithDeadLetters();
        assertEquals(ExitCode.OK, Main.execute("dlq", "list", root.resolve("dead_letters").toString()));
        String s = output.out();
        assertTrue(s.contains(": 6 dead letters"), s);
        assertTrue(s.matches("(?s).*malformed_json +2\\R.*unsupported_schema_version +4\\R.*"), s);
        assertTrue(s.contains("e.g. rejected by an older build"), s);
        assertFalse(s.contains("secret-payload") || s.contains("car-event"), s);
    }

    @Test
    void aMissingTableOrFolderExitsTwoNamingIt() throws IOException {
        Path missing = dir.resolve("no-table");
        Files.createDirectories(missing);
        assertEquals(ExitCode.BAD_INPUT, Main.execute("dlq", "replay", missing.toString()));
        assertTrue(output.err().contains("no Delta table at " + missing), output.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("dlq", "list", missing.toString()));

        Path root = lakeWithDeadLetters();
        String cars = root.resolve(EventFamily.CAR_TELEMETRY.wireName()).toString();
        assertEquals(ExitCode.BAD_INPUT, Main.execute("dlq", "replay", cars));
        assertTrue(output.err().contains("table " + cars + " is not a dead-letter table"),
                output.err());

        Path nowhere = dir.resolve("nowhere");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("dlq", "replay", root.resolve("dead_letters").toString(),
                "--into", nowhere.toString()));
        assertTrue(output.err().contains("no folder at " + nowhere), output.err());
        assertFalse(Files.exists(nowhere));
    }

    private TelemetryEvent decode(byte[] raw) {
        try {
            return codec.decode(raw);
        } catch (InvalidEventException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** Every row's firmware_version by event id, "-" for null, read with delta-kernel. */
    private static Map<String, String> firmwareByEventId(String table) {
        Engine engine = DefaultEngine.create(new Configuration());
        Snapshot snapshot = Table.forPath(engine, table).getLatestSnapshot(engine);
        StructType read = new StructType().add(snapshot.getSchema().get("event_id"))
                .add(snapshot.getSchema().get("firmware_version"));
        Map<String, String> rows = new TreeMap<>();
        try {
            KernelTableReader.scan(engine, snapshot, read, batch -> {
                ColumnVector ids = batch.column("event_id");
                ColumnVector firmware = batch.column("firmware_version");
                batch.forEach(r -> {
                    String previous = rows.put(ids.getString(r), firmware.isNullAt(r) ? "-" : firmware.getString(r));
                    assertEquals(null, previous, "a second row of " + ids.getString(r));
                });
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
