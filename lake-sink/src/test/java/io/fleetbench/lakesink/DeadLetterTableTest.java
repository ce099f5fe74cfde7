package io.fleetbench.lakesink;

import io.fleetbench.sink.DeadLetter;
import io.fleetbench.sink.PositionRegressionException;
import io.fleetbench.sink.ShardWriter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.fleetbench.lakesink.TestEvents.position;
import static io.fleetbench.lakesink.TestEvents.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dead-letter table: written with the event tables, with the same exactly-once bookkeeping. */
class DeadLetterTableTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private DeltaLakeSink sink() {
        return new DeltaLakeSink(LakeSinkConfig.defaults(dir.toString()).withBufferLimits(Duration.ofSeconds(5), 1 << 20),
                registry, clock);
    }

    private static DeadLetter deadLetter(int i, String reason) {
        return new DeadLetter(("{bad " + i).getBytes(StandardCharsets.UTF_8), reason, "expected a JSON object",
                "telemetry", "shard-1", position(i), Instant.parse("2024-03-01T23:59:59.123456Z").plusSeconds(i));
    }

    @Test
    void deadLettersAreCommittedWithTheEventsAndCountedByReason() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            assertTrue(w.append(record(0, 1)));
            assertTrue(w.appendDeadLetter(deadLetter(1, "malformed_json")));
            assertTrue(w.append(record(2, 1)));
            assertTrue(w.appendDeadLetter(deadLetter(3, "unknown_type")));
            assertEquals(Optional.of(position(3)), w.flush());
            assertEquals(sink.deadLetterTablePath(), dir.resolve("dead_letters").toString());
        }
        List<Map<String, Object>> rows = new KernelReader().rows(dir.resolve("dead_letters").toString());
        rows.sort(Comparator.comparing(r -> (String) r.get("arrival_date")));
        assertEquals(2, rows.size());
        Map<String, Object> first = rows.get(0);
        assertArrayEquals("{bad 1".getBytes(StandardCharsets.UTF_8), (byte[]) first.get("raw"));
        assertEquals("malformed_json", first.get("reason"));
        assertEquals("expected a JSON object", first.get("message"));
        assertEquals("telemetry", first.get("stream"));
        assertEquals("shard-1", first.get("shard"));
        assertEquals(position(1).sequence().toString(), first.get("sequence_number"));
        assertEquals(0L, first.get("sub_sequence_number"));
        assertEquals(Instant.parse("2024-03-02T00:00:00.123456Z").toEpochMilli() * 1000 + 456, first.get("arrived_at"));
        assertEquals("2024-03-02", first.get("arrival_date"));
        assertEquals("2024-03-02", rows.get(1).get("arrival_date"));
        assertEquals(1.0, registry.get("fleetbench.sink.dead.letters").tag("reason", "malformed_json").counter().count());
        assertEquals(1.0, registry.get("fleetbench.sink.dead.letters").tag("reason", "unknown_type").counter().count());
        assertEquals(2, new KernelReader().rows(dir.resolve("car_telemetry").toString()).size());
        assertEquals(0.0, registry.get("fleetbench.sink.written.rows").tag("table", "dead_letters").counter().count(),
                "written rows count events only");
    }

    @Test
    void aReplayDropsDeadLettersAtOrBelowTheCommittedPosition() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            assertTrue(w.appendDeadLetter(deadLetter(1, "malformed_json")));
            assertTrue(w.appendDeadLetter(deadLetter(2, "malformed_json")));
            w.flush();
        }
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            assertFalse(w.appendDeadLetter(deadLetter(1, "malformed_json")), "below the committed position");
            assertFalse(w.appendDeadLetter(deadLetter(2, "malformed_json")), "at the committed position");
            assertTrue(w.appendDeadLetter(deadLetter(3, "malformed_json")));
            assertEquals(Optional.of(position(3)), w.flush());
        }
        assertEquals(3, new KernelReader().rows(dir.resolve("dead_letters").toString()).size());
        assertEquals(2.0, registry.get("fleetbench.sink.records.dropped").tag("table", "dead_letters").counter().count());
    }

    @Test
    void deadLettersShareTheSourcesPositionOrder() {
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open("shard-1")) {
            assertTrue(w.append(record(4, 1)));
            assertThrows(PositionRegressionException.class, () -> w.appendDeadLetter(deadLetter(3, "malformed_json")));
        }
    }
}
