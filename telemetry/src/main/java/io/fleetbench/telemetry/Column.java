package io.fleetbench.telemetry;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One column of an event schema: its snake_case name (on the wire and in the lake), its type,
 * the range a valid value must lie in, and how to read it from an event.
 *
 * <p>Most columns are required in every schema version. An optional column is a string field that a
 * later schema version added ({@link #since()}); events without it hold null there. One column per
 * schema, {@link #holdsUnknownFields()}, is not a wire field at all: it keeps the fields a record
 * carried that its schema version does not define.
 */
public final class Column {
    private final String name;
    private final ColumnType type;
    private final double min;
    private final double max;
    private final boolean nullable;
    private final int since;
    private final boolean holdsUnknownFields;
    private final Function<TelemetryEvent, String> stringGetter;
    private final ToLongFunction<TelemetryEvent> longGetter;
    private final ToDoubleFunction<TelemetryEvent> doubleGetter;

    private Column(String name, ColumnType type, double min, double max, boolean nullable, int since,
                   boolean holdsUnknownFields, Function<TelemetryEvent, String> stringGetter,
                   ToLongFunction<TelemetryEvent> longGetter,
                   ToDoubleFunction<TelemetryEvent> doubleGetter) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        if (!(min <= max)) {
            throw new IllegalArgumentException("column " + name + ": min must be <= max, found " + min + " > " + max);
        }
        this.min = min;
        this.max = max;
        this.nullable = nullable;
        this.since = since;
        this.holdsUnknownFields = holdsUnknownFields;
        this.stringGetter = stringGetter;
        this.longGetter = longGetter;
        this.doubleGetter = doubleGetter;
    }

    /** A non-empty string column of at most {@code maxLength} characters. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column string(String name, int maxLength, Function<E, String> getter) {
        return new Column(name, ColumnType.STRING, 1, maxLength, false, 1, false,
                (Function<TelemetryEvent, String>) getter, null, null);
    }

    /** An int column whose values must lie in [min, max]. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column int32(String name, int min, int max, ToLongFunction<E> getter) {
        return new Column(name, ColumnType.INT, min, max, false, 1, false, null,
                (ToLongFunction<TelemetryEvent>) getter, null);
    }

    /** A long column whose values must lie in [min, max]. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column int64(String name, long min, long max, ToLongFunction<E> getter) {
        return new Column(name, ColumnType.LONG, min, max, false, 1, false, null,
                (ToLongFunction<TelemetryEvent>) getter, null);
    }

    /** A timestamp column in epoch milliseconds; must be positive. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column timestamp(String name, ToLongFunction<E> getter) {
        return new Column(name, ColumnType.TIMESTAMP_MILLIS, 1, Long.MAX_VALUE, false, 1, false, null,
                (ToLongFunction<TelemetryEvent>) getter, null);
    }

    /** A finite double column whose values must lie in [min, max]. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column float64(String name, double min, double max, ToDoubleFunction<E> getter) {
        return new Column(name, ColumnType.DOUBLE, min, max, false, 1, false, null, null,
                (ToDoubleFunction<TelemetryEvent>) getter);
    }

    /**
     * An optional string column of at most {@code maxLength} characters, added by schema version
     * {@code since}: records of that version or later may carry it, earlier ones must not; an event
     * without it returns null from the getter.
     */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column optionalString(String name, int maxLength, int since,
                                                                   Function<E, String> getter) {
        if (since < 2) {
            throw new IllegalArgumentException("column " + name + ": an optional column comes with a later schema"
                    + " version, so since must be >= 2, found " + since);
        }
        return new Column(name, ColumnType.STRING, 1, maxLength, true, since, false,
                (Function<TelemetryEvent, String>) getter, null, null);
    }

    /**
     * The nullable string column that keeps, as one JSON object, the fields a record carried that its
     * schema version does not define; null for a record without such fields. It is no wire field of
     * its own: a field of this name on the wire is one of the unknown fields.
     */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column unknownFields(String name, Function<E, String> getter) {
        return new Column(name, ColumnType.STRING, 2, Integer.MAX_VALUE, true, 1, true,
                (Function<TelemetryEvent, String>) getter, null, null);
    }

    /** The snake_case column name, used on the wire and in the Delta table. */
    public String name() {
        return name;
    }

    /** The column's type. */
    public ColumnType type() {
        return type;
    }

    /** Smallest valid value; for strings, the smallest length. */
    public double min() {
        return min;
    }

    /** Largest valid value; for strings, the largest length. */
    public double max() {
        return max;
    }

    /** Whether events may lack a value here (optional and unknown-fields columns); only string columns can. */
    public boolean nullable() {
        return nullable;
    }

    /** The first schema version whose records may carry this column; 1 for the columns of the first version. */
    public int since() {
        return since;
    }

    /** Whether this is the column that keeps a record's unknown fields rather than a wire field. */
    public boolean holdsUnknownFields() {
        return holdsUnknownFields;
    }

    /** Whether the event has no value in this column; always false for a column that is not {@link #nullable()}. */
    public boolean isNull(TelemetryEvent event) {
        return nullable && stringGetter.apply(event) == null;
    }

    /** The value of a {@link ColumnType#STRING} column; null for a {@link #nullable()} column without a value. */
    public String stringValue(TelemetryEvent event) {
        return stringGetter.apply(event);
    }

    /** The value of an {@link ColumnType#INT}, {@link ColumnType#LONG} or {@link ColumnType#TIMESTAMP_MILLIS} column. */
    public long longValue(TelemetryEvent event) {
        return longGetter.applyAsLong(event);
    }

    /** The value of a {@link ColumnType#DOUBLE} column. */
    public double doubleValue(TelemetryEvent event) {
        return doubleGetter.applyAsDouble(event);
    }

    @Override
    public String toString() {
        return name + ":" + type;
    }
}
