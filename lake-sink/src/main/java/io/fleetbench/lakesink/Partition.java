package io.fleetbench.lakesink;

import io.fleetbench.telemetry.TelemetryEvent;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The table partition of an event: its event time's UTC date and hour.
 *
 * @param date {@code yyyy-MM-dd}
 * @param hour 0-23
 */
record Partition(String date, int hour) {

    static final String DATE_COLUMN = "event_date";
    static final String HOUR_COLUMN = "event_hour";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    static Partition of(TelemetryEvent event) {
        return ofMillis(event.eventTimeMillis());
    }

    /** The partition of a time in milliseconds since the epoch. */
    static Partition ofMillis(long epochMillis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
        return new Partition(t.format(DATE), t.getHour());
    }

    /** The partition values of an AddFile action. */
    Map<String, String> values() {
        return Map.of(DATE_COLUMN, date, HOUR_COLUMN, Integer.toString(hour));
    }

    /** The directory below the table root, Hive style. */
    String directory() {
        return DATE_COLUMN + "=" + date + "/" + HOUR_COLUMN + "=" + hour;
    }
}
