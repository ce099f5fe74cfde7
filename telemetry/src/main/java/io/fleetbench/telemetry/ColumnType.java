package io.fleetbench.telemetry;

/** The physical type of a column, shared by the JSON codec, Parquet and Delta. */
public enum ColumnType {
    STRING,
    INT,
    LONG,
    DOUBLE,
    /** Epoch milliseconds on the wire; a timestamp in the lake. */
    TIMESTAMP_MILLIS
}
