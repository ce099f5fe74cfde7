package io.fleetbench.telemetry;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns of one event family, in table order, and how to build an event from decoded values.
 * The JSON codec, the Parquet writer and the Delta table schema are all derived from it.
 *
 * <p>Schema versions: version 1 has the six common columns and the family's own; version
 * {@value #FIRMWARE_VERSION_SINCE} adds the optional {@value #FIRMWARE_VERSION_FIELD} to every family.
 * A schema version may only add optional columns, so a decoder of the newest version reads every
 * earlier one, and a table with the newest columns holds every version's rows (null where a row's
 * version lacks the column). Every schema ends with the optional columns, then the
 * {@value #EXTRAS_COLUMN} column, which keeps the fields a record carried that its version does not
 * define, so that a record from a producer ahead of the schema loses nothing.
 */
public final class EventSchema {
    /** The schema version events are built with, and simulated devices send until a schema change: the first. */
    public static final int CURRENT_VERSION = 1;
    /** The newest schema version this build decodes; records of a later version are unsupported. */
    public static final int NEWEST_VERSION = 2;
    /** The schema version that adds the optional {@link #FIRMWARE_VERSION_FIELD} to every family. */
    public static final int FIRMWARE_VERSION_SINCE = 2;
    /** Optional string field of schema version 2: the device's firmware version. */
    public static final String FIRMWARE_VERSION_FIELD = "firmware_version";
    /** Longest accepted firmware version. */
    public static final int MAX_FIRMWARE_VERSION_LENGTH = 64;
    /** The column that keeps a record's unknown fields as a JSON object; see {@link Column#unknownFields}. */
    public static final String EXTRAS_COLUMN = "extras";

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
                Column.float64("battery_voltage", 0, 60, CarTelemetry::batteryVoltage),
                Column.float64("tyre_pressure_front_left_kpa", 0, 1_000, CarTelemetry::tyrePressureFrontLeftKpa),
                Column.float64("tyre_pressure_front_right_kpa", 0, 1_000, CarTelemetry::tyrePressureFrontRightKpa),
                Column.float64("tyre_pressure_rear_left_kpa", 0, 1_000, CarTelemetry::tyrePressureRearLeftKpa),
                Column.float64("tyre_pressure_rear_right_kpa", 0, 1_000, CarTelemetry::tyrePressureRearRightKpa),
                Column.string("powertrain_type", 16, CarTelemetry::powertrainType))),
                v -> new CarTelemetry(v.string(0), v.string(1), v.int64(2), v.int64(3), v.int64(4), (int) v.int64(5),
                        v.float64(6), v.float64(7), v.float64(8), (int) v.int64(9), (int) v.int64(10),
                        v.float64(11), v.float64(12), v.float64(13), v.float64(14),
                        v.float64(15), v.float64(16), v.float64(17), v.float64(18), v.string(19),
                        v.firmwareVersion(), v.extras())));
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
                        v.float64(10), v.float64(11), v.float64(12),
                        v.firmwareVersion(), v.extras())));
        SCHEMAS.put(EventFamily.CAR_TRIP, new EventSchema(EventFamily.CAR_TRIP, withCommon(List.of(
                Column.string("phase", 8, CarTrip::phase),
                Column.int64("trip_number", 1, Long.MAX_VALUE, CarTrip::tripNumber),
                Column.float64("latitude", -90, 90, CarTrip::latitude),
                Column.float64("longitude", -180, 180, CarTrip::longitude),
                Column.float64("odometer_km", 0, 10_000_000, CarTrip::odometerKm),
                Column.float64("energy_level_pct", 0, 100, CarTrip::energyLevelPct),
                Column.float64("distance_km", 0, 100_000, CarTrip::distanceKm),
                Column.int64("duration_s", 0, 10_000_000, CarTrip::durationS),
                Column.int32("harsh_braking_count", 0, 1_000_000, CarTrip::harshBrakingCount),
                Column.int32("harsh_acceleration_count", 0, 1_000_000, CarTrip::harshAccelerationCount))),
                v -> new CarTrip(v.string(0), v.string(1), v.int64(2), v.int64(3), v.int64(4), (int) v.int64(5),
                        v.string(6), v.int64(7), v.float64(8), v.float64(9), v.float64(10), v.float64(11),
                        v.float64(12), v.int64(13), (int) v.int64(14), (int) v.int64(15),
                        v.firmwareVersion(), v.extras())));
        SCHEMAS.put(EventFamily.CAR_DTC, new EventSchema(EventFamily.CAR_DTC, withCommon(List.of(
                Column.string("dtc_code", 5, CarDtc::dtcCode),
                Column.string("status", 8, CarDtc::status),
                Column.float64("odometer_km", 0, 10_000_000, CarDtc::odometerKm))),
                v -> new CarDtc(v.string(0), v.string(1), v.int64(2), v.int64(3), v.int64(4), (int) v.int64(5),
                        v.string(6), v.string(7), v.float64(8),
                        v.firmwareVersion(), v.extras())));
        SCHEMAS.put(EventFamily.CAR_IGNITION, new EventSchema(EventFamily.CAR_IGNITION, withCommon(List.of(
                Column.string("low_voltage_system_state", 8, CarIgnition::lowVoltageSystemState),
                Column.float64("battery_voltage", 0, 60, CarIgnition::batteryVoltage),
                Column.float64("odometer_km", 0, 10_000_000, CarIgnition::odometerKm),
                Column.float64("energy_level_pct", 0, 100, CarIgnition::energyLevelPct))),
                v -> new CarIgnition(v.string(0), v.string(1), v.int64(2), v.int64(3), v.int64(4), (int) v.int64(5),
                        v.string(6), v.float64(7), v.float64(8), v.float64(9),
                        v.firmwareVersion(), v.extras())));
        SCHEMAS.put(EventFamily.BIKE_SESSION, new EventSchema(EventFamily.BIKE_SESSION, withCommon(List.of(
                Column.string("phase", 8, BikeSession::phase),
                Column.timestamp("class_start", BikeSession::classStartMillis),
                Column.int64("elapsed_time_s", 0, 10_000_000, BikeSession::elapsedTimeS),
                Column.float64("distance_m", 0, 1_000_000, BikeSession::distanceM),
                Column.float64("energy_kcal", 0, 100_000, BikeSession::energyKcal),
                Column.int32("average_power_w", 0, 3_000, BikeSession::averagePowerWatts),
                Column.int32("max_heart_rate_bpm", 0, 250, BikeSession::maxHeartRateBpm))),
                v -> new BikeSession(v.string(0), v.string(1), v.int64(2), v.int64(3), v.int64(4), (int) v.int64(5),
                        v.string(6), v.int64(7), v.int64(8), v.float64(9), v.float64(10), (int) v.int64(11),
                        (int) v.int64(12),
                        v.firmwareVersion(), v.extras())));
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
                Column.int32("schema_version", 1, NEWEST_VERSION, TelemetryEvent::schemaVersion));
        List<Column> optional = List.of(
                Column.optionalString(FIRMWARE_VERSION_FIELD, MAX_FIRMWARE_VERSION_LENGTH, FIRMWARE_VERSION_SINCE,
                        TelemetryEvent::firmwareVersion),
                Column.unknownFields(EXTRAS_COLUMN, TelemetryEvent::extras));
        return java.util.stream.Stream.of(common, specific, optional).flatMap(List::stream).toList();
    }

    /** The schema of a family. */
    public static EventSchema of(EventFamily family) {
        return SCHEMAS.get(family);
    }

    /** The family this schema describes. */
    public EventFamily family() {
        return family;
    }

    /**
     * All columns in table order: the six common to every family, the family's own, then the optional
     * {@value #FIRMWARE_VERSION_FIELD} and {@value #EXTRAS_COLUMN}, which are common to every family too.
     */
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

    /**
     * Decoded column values in column order, typed by the column's {@link ColumnType}; the last two are
     * the firmware version and the unknown fields, null when absent.
     */
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

        String firmwareVersion() {
            return strings[strings.length - 2];
        }

        String extras() {
            return strings[strings.length - 1];
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
