package io.fleetbench.harness;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.fleetbench.lake.KernelTableReader;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads every row of a Delta table's latest snapshot with delta-kernel, independently of the writers,
 * as a multiset of rows: each row's columns, in schema order, rendered as {@code name=value} and joined by {@code |}.
 */
public final class KernelRows {
    private KernelRows() {
    }

    /** Every row of the table, with how often it occurs. */
    public static Map<String, Integer> read(String tablePath) {
        Engine engine = DefaultEngine.create(new Configuration());
        Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        Map<String, Integer> rows = new HashMap<>();
        try {
            KernelTableReader.scan(engine, snapshot, snapshot.getSchema(), batch -> collect(batch, rows));
        } catch (IOException e) {
            throw new UncheckedIOException("reading table " + tablePath, e);
        }
        return rows;
    }

    private static void collect(KernelTableReader.Rows batch, Map<String, Integer> rows) {
        StructType schema = batch.schema();
        batch.forEach(r -> {
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < schema.length(); c++) {
                row.append(c == 0 ? "" : "|").append(schema.at(c).getName()).append('=')
                        .append(value(batch.column(c), schema.at(c).getDataType(), r));
            }
            rows.merge(row.toString(), 1, Integer::sum);
        });
    }

    private static String value(ColumnVector v, DataType type, int r) {
        if (v.isNullAt(r)) {
            return "null";
        }
        if (type instanceof StringType) {
            return v.getString(r);
        } else if (type instanceof LongType || type instanceof TimestampType) {
            return Long.toString(v.getLong(r));
        } else if (type instanceof IntegerType || type instanceof DateType) {
            return Integer.toString(v.getInt(r));
        } else if (type instanceof DoubleType) {
            return Double.toString(v.getDouble(r));
        } else if (type instanceof FloatType) {
            return Float.toString(v.getFloat(r));
        } else if (type instanceof BooleanType) {
            return Boolean.toString(v.getBoolean(r));
        }
        throw new IllegalStateException("expected a flat column of a primitive type, found " + type);
    }
}
