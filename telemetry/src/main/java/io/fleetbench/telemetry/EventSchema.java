package io.fleetbench.telemetry;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns of one event family, in table order, and how to build an event from decoded values.
 * The JSON codec, the Parquet writer and the Delta table schema are all derived from it.
 */
public final class EventSchema {
    /** The schema version this build writes and accepts. */
    public static final int CURRENT_VERSION = 1;

    /** Longest accepted event id. */
    public static final int MAX_EVENT_ID_LENGTH = 64;
    /** Longest accepted device id: Kinesis partition keys are limited to 256 characters. */
    public static final int MAX_DEVICE_ID_LENGTH = 256;

    private static final Map<EventFamily, EventSchema> SCHEMAS = new EnumMap<>(EventFamily.class);

    static {
        SCHEMAS.put(EventFamily.CAR_TELEMETRY, new EventSchema(EventFamily.CAR_TELEMETRY, withCommon(List.of(
                Column.float64("speed_kmh", 0, 400, CarTelemetry::speedKmh),
                Column.float64("latitude", -90, 90, CarTelemetry::latitude),
                Column.float64("longitude", -180, 180, CarTelemetry::longitude),
                Column.int32("engine_rpm", 0, 12_000, CarTelemetry::engineRpm),
                Column.int32("gear", -1, 10, CarTelemetry::gear),
                Column.float64("odometer_km", 0, 10_000_000, CarTelemetry::odometerKm),
                Column.float64("energy_level_pct", 0, 100, CarTelemetry::energyLevelPct),
                Column.float64("coolant_temp_c", -50, 150, CarTelemetry::coolantTempC),
                Column.float64("battery_voltage", 0, 60, CarTelemetry::batteryVoltage))),
                v -> new CarTelemetry(v.string(0), v.string(1), v.int64(2), v.int64(3), v.int64(4), (int) v.int64(5),
                        v.float64(6), v.float64(7), v.float64(8), (int) v.int64(9), (int) v.int64(10),
                        v.float64(11), v.float64(12), v.float64(13), v.float64(14))));
        SCHEMAS.put(EventFamily.BIKE_METRICS, new EventSchema(EventFamily.BIKE_METRICS, withCommon(List.of(
                Column.int32("cadence_rpm", 0, 250, BikeMetrics::cadenceRpm),
                Column.int32("resistance_level", 0, 100, BikeMetrics::resistanceLevel),
                Column.int32("power_w", 0, 3_000, BikeMetrics::powerWatts),
                Column.int32("heart_rate_bpm", 0, 250, BikeMetrics::heartRateBpm),
                Column.float64("speed_kmh", 0, 100, BikeMetrics::speedKmh),
                Column.float64("distance_m", 0, 1_000_000, BikeMetrics::distanceM),
                Column.float64("energy_kcal", 0, 100_000, BikeMetrics::energyKcal))),
                v -> new BikeMetrics(v.string(0), v.string(1), v.int64(2), v.int64(3), v.int64(4), (int) v.int64(5),
                        (int) v.int64(6), (int) v.int64(7), (int) v.int64(8), (int) v.int64(9),
                        v.float64(10), v.float64(11), v.float64(12))));
    }

    private final EventFamily family;
    private final List<Column> columns;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final Function<Values, TelemetryEvent> factory;

    private EventSchema(EventFamily family, List<Column> columns, Function<Values, TelemetryEvent> factory) {
        this.family = family;
        this.columns = List.copyOf(columns);
        this.factory = factory;
        for (int i = 0; i < this.columns.size(); i++) {
            indexByName.put(this.columns.get(i).name(), i);
        }
    }

    private static List<Column> withCommon(List<Column> specific) {
        List<Column> common = List.of(
                Column.string("event_id", MAX_EVENT_ID_LENGTH, TelemetryEvent::eventId),
                Column.string("device_id", MAX_DEVICE_ID_LENGTH, TelemetryEvent::deviceId),
                Column.int64("seq", 1, Long.MAX_VALUE, TelemetryEvent::seq),
                Column.timestamp("event_time", TelemetryEvent::eventTimeMillis),
                Column.timestamp("produced_at", TelemetryEvent::producedAtMillis),
                Column.int32("schema_version", CURRENT_VERSION, CURRENT_VERSION, TelemetryEvent::schemaVersion));
        return java.util.stream.Stream.concat(common.stream(), specific.stream()).toList();
    }

    /** The schema of a family. */
    public static EventSchema of(EventFamily family) {
        return SCHEMAS.get(family);
    }

    /** The family this schema describes. */
    public EventFamily family() {
        return family;
    }

    /** All columns in table order; the first six are common to every family. */
    public List<Column> columns() {
        return columns;
    }

    /** Index of a column by name, or -1 if the schema has no such column. */
    public int indexOf(String name) {
        Integer i = indexByName.get(name);
        return i == null ? -1 : i;
    }

    /** Builds an event from a complete, validated set of values in column order. */
    TelemetryEvent create(Values values) {
        return factory.apply(values);
    }

    /** Decoded column values in column order, typed by the column's {@link ColumnType}. */
    static final class Values {
        private final String[] strings;
        private final long[] longs;
        private final double[] doubles;

        Values(int size) {
            strings = new String[size];
            longs = new long[size];
            doubles = new double[size];
        }

        String string(int i) {
            return strings[i];
        }

        long int64(int i) {
            return longs[i];
        }

        double float64(int i) {
            return doubles[i];
        }

        void setString(int i, String v) {
            strings[i] = v;
        }

        void setLong(int i, long v) {
            longs[i] = v;
        }

        void setDouble(int i, double v) {
            doubles[i] = v;
        }
    }
}
