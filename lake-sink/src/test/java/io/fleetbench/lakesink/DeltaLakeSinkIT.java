package io.fleetbench.lakesink;

import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;

import io.delta.kernel.expressions.Literal;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes both families through the sink, replays them, and reads the tables back with delta-kernel. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeltaLakeSinkIT {
    private static final int EVENTS = 6_000;
    private static final int HOURS = 5;

    @TempDir
    Path dir;

    @Test
    void everyEventLandsExactlyOnceAndRoundTrips() {
        MutableClock clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));
        LakeSinkConfig config = LakeSinkConfig.defaults(dir.toString());
        Map<String, TelemetryEvent> sent = new HashMap<>();
        Map<EventFamily, Integer> perFamily = new EnumMap<>(EventFamily.class);
        Optional<SourcePosition> committed = Optional.empty();
        try (DeltaLakeSink sink = new DeltaLakeSink(config, new SimpleMeterRegistry(), clock);
             ShardWriter w = sink.open("shardId-000000000000")) {
            for (int i = 0; i < EVENTS; i++) {
                SinkRecord r = TestEvents.record(i, HOURS);
                assertTrue(w.append(r));
                sent.put(r.event().eventId(), r.event());
                perFamily.merge(r.event().family(), 1, Integer::sum);
                if (i % 1_500 == 1_499) {
                    committed = w.flush();
                }
            }
            assertEquals(Optional.of(TestEvents.position(EVENTS - 1)), committed);
        }

        SimpleMeterRegistry replayMetrics = new SimpleMeterRegistry();
        try (DeltaLakeSink sink = new DeltaLakeSink(config, replayMetrics, clock);
             ShardWriter w = sink.open("shardId-000000000000")) {
            for (int i = 0; i < EVENTS; i++) {
                assertFalse(w.append(TestEvents.record(i, HOURS)), "replayed record " + i);
            }
            assertEquals(Optional.empty(), w.flush());
            double dropped = replayMetrics.find("fleetbench.sink.records.dropped").counters().stream()
                    .mapToDouble(c -> c.count()).sum();
            assertEquals(EVENTS, dropped);
        }

        KernelReader reader = new KernelReader();
        // The families TestEvents writes; the others' tables stay empty.
        for (EventFamily family : perFamily.keySet()) {
            List<Map<String, Object>> rows = reader.rows(dir.resolve(family.wireName()).toString());
            assertEquals(perFamily.get(family), rows.size(), family + " rows");
            Set<Object> ids = new HashSet<>();
            for (Map<String, Object> row : rows) {
                assertTrue(ids.add(row.get("event_id")), "duplicate " + row.get("event_id"));
                assertRoundTrips(sent.get((String) row.get("event_id")), row);
            }
            assertStatsLetReadersSkipFiles(reader, dir.resolve(family.wireName()).toString());
        }
    }

    private static void assertStatsLetReadersSkipFiles(KernelReader reader, String table) {
        int all = reader.filesMatching(table, KernelReader.compare(">=", "seq", Literal.ofLong(1)));
        assertTrue(all >= HOURS, "one file per partition and flush at least, found " + all);
        assertEquals(0, reader.filesMatching(table, KernelReader.compare("<", "seq", Literal.ofLong(1))),
                "seq starts at 1: every file skipped by its minValues");
        long firstHourEnd = (TestEvents.BASE_MILLIS + 3_600_000L) * 1000;
        int early = reader.filesMatching(table,
                KernelReader.compare("<", "event_time", Literal.ofTimestamp(firstHourEnd)));
        assertTrue(early > 0 && early < all,
                "event_time stats keep the first hour's files only: " + early + " of " + all);
    }

    private static void assertRoundTrips(TelemetryEvent e, Map<String, Object> row) {
        for (Column c : EventSchema.of(e.family()).columns()) {
            Object expected = switch (c.type()) {
                case STRING -> c.stringValue(e);
                case INT -> (int) c.longValue(e);
                case LONG -> c.longValue(e);
                case DOUBLE -> c.doubleValue(e);
                case TIMESTAMP_MILLIS -> c.longValue(e) * 1000;
            };
            assertEquals(expected, row.get(c.name()), e.eventId() + " " + c.name());
        }
        var time = Instant.ofEpochMilli(e.eventTimeMillis()).atOffset(ZoneOffset.UTC);
        assertEquals(time.toLocalDate().toString(), row.get("event_date"));
        assertEquals(time.getHour(), row.get("event_hour"));
    }
}
