package io.fleetbench.telemetry;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One column of an event schema: its snake_case name (on the wire and in the lake), its type,
 * the range a valid value must lie in, and how to read it from an event.
 */
public final class Column {
    private final String name;
    private final ColumnType type;
    private final double min;
    private final double max;
    private final Function<TelemetryEvent, String> stringGetter;
    private final ToLongFunction<TelemetryEvent> longGetter;
    private final ToDoubleFunction<TelemetryEvent> doubleGetter;

    private Column(String name, ColumnType type, double min, double max,
                   Function<TelemetryEvent, String> stringGetter,
                   ToLongFunction<TelemetryEvent> longGetter,
                   ToDoubleFunction<TelemetryEvent> doubleGetter) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        if (!(min <= max)) {
            throw new IllegalArgumentException("column " + name + ": min must be <= max, found " + min + " > " + max);
        }
        this.min = min;
        this.max = max;
        this.stringGetter = stringGetter;
        this.longGetter = longGetter;
        this.doubleGetter = doubleGetter;
    }

    /** A non-empty string column of at most {@code maxLength} characters. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column string(String name, int maxLength, Function<E, String> getter) {
        return new Column(name, ColumnType.STRING, 1, maxLength, (Function<TelemetryEvent, String>) getter, null, null);
    }

    /** An int column whose values must lie in [min, max]. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column int32(String name, int min, int max, ToLongFunction<E> getter) {
        return new Column(name, ColumnType.INT, min, max, null, (ToLongFunction<TelemetryEvent>) getter, null);
    }

    /** A long column whose values must lie in [min, max]. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column int64(String name, long min, long max, ToLongFunction<E> getter) {
        return new Column(name, ColumnType.LONG, min, max, null, (ToLongFunction<TelemetryEvent>) getter, null);
    }

    /** A timestamp column in epoch milliseconds; must be positive. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column timestamp(String name, ToLongFunction<E> getter) {
        return new Column(name, ColumnType.TIMESTAMP_MILLIS, 1, Long.MAX_VALUE, null,
                (ToLongFunction<TelemetryEvent>) getter, null);
    }

    /** A finite double column whose values must lie in [min, max]. */
    @SuppressWarnings("unchecked")
    public static <E extends TelemetryEvent> Column float64(String name, double min, double max, ToDoubleFunction<E> getter) {
        return new Column(name, ColumnType.DOUBLE, min, max, null, null, (ToDoubleFunction<TelemetryEvent>) getter);
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

    /** The value of a {@link ColumnType#STRING} column. */
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
