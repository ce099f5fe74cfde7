package io.fleetbench.consumer;

import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.InvalidEventException.Reason;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InvalidRecordLogTest {
    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

    private final List<String> lines = new ArrayList<>();
    private final SteppedClock clock = new SteppedClock();
    private final InvalidRecordLog log = new InvalidRecordLog("shardId-000000000001", 2, Duration.ofMinutes(1), clock,
            lines::add);

    @Test
    void logsTheFirstRecordsOneByOneThenOneSummaryPerInterval() {
        log.invalid("11/0", invalid(Reason.MALFORMED_JSON, "malformed JSON at line 1, column 9: not valid JSON"));
        log.invalid("12/0", invalid(Reason.OVERSIZED, "record is 2000000 bytes, the limit is 1048576"));
        assertEquals(List.of(
                "Invalid record in shard shardId-000000000001 at 11/0: malformed_json: malformed JSON at line 1, column 9:"
                        + " not valid JSON",
                "Invalid record in shard shardId-000000000001 at 12/0: oversized: record is 2000000 bytes, the limit is"
                        + " 1048576 (further invalid records of this shard are counted and summarized at most once every"
                        + " 60 s)"), lines);

        // 1,000 more, one every 100 ms: one summary after the first 60 s, the rest still counted.
        for (int i = 0; i < 1_000; i++) {
            clock.advance(Duration.ofMillis(100));
            log.invalid((13 + i) + "/0", invalid(i % 5 == 0 ? Reason.AGGREGATE_BAD_CHECKSUM : Reason.MALFORMED_JSON,
                    "m"));
            log.tick();
        }

        assertEquals(List.of("601 more invalid records in shard shardId-000000000001 since 2024-03-01T12:00:00.100Z,"
                + " not logged one by one: malformed_json=480, aggregate_bad_checksum=121"), lines.subList(2, lines.size()));
        clock.advance(Duration.ofSeconds(20));
        log.tick();
        assertEquals(3, lines.size(), "at 120 s, the second summary's minute, from 60.2 s, has not passed");
        clock.advance(Duration.ofSeconds(1));
        log.tick();
        assertEquals("399 more invalid records in shard shardId-000000000001 since 2024-03-01T12:01:00.200Z,"
                + " not logged one by one: malformed_json=320, aggregate_bad_checksum=79", lines.get(3));

        clock.advance(Duration.ofMinutes(5));
        log.tick();
        log.flush();
        assertEquals(4, lines.size(), "nothing more without new records");
    }

    @Test
    void flushReportsWhatIsStillCountedAndNothingIfNothingIs() {
        InvalidRecordLog none = new InvalidRecordLog("shardId-000000000002", 0, Duration.ofMinutes(1), clock, lines::add);
        none.flush();
        assertEquals(List.of(), lines);

        none.invalid("5/0", invalid(Reason.MISSING_FIELD, "field \"speed_kmh\" is missing"));
        none.invalid("6/3", invalid(Reason.MISSING_FIELD, "field \"speed_kmh\" is missing"));
        none.tick();
        assertEquals(List.of(), lines, "the interval has not passed");
        none.flush();
        none.flush();

        assertEquals(List.of("2 more invalid records in shard shardId-000000000002 since 2024-03-01T12:00:00Z, not"
                + " logged one by one: missing_field=2"), lines);
    }

    @Test
    void rejectsANegativeCountAndAnEmptyInterval() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new InvalidRecordLog("s", -1, Duration.ofMinutes(1), clock, lines::add));
        assertEquals("logFirst must be >= 0, found -1", count.getMessage());
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> new InvalidRecordLog("s", 1, Duration.ZERO, clock, lines::add));
        assertEquals("summaryInterval must be positive, found PT0S", interval.getMessage());
    }

    private static InvalidEventException invalid(Reason reason, String message) {
        return new InvalidEventException(reason, message);
    }

    /** A clock that moves only when told to. */
    private static final class SteppedClock extends Clock {
        private Instant now = T0;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("not needed by the tests");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
