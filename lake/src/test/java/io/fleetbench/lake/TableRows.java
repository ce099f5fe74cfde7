package io.fleetbench.lake;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a Delta table back with delta-kernel, independently of its writers, for the tests of the modules that write it. */
public final class TableRows {
    private TableRows() {
    }

    /** All rows of the latest snapshot, as column name to value in schema order (timestamps in microseconds). */
    public static List<Map<String, Object>> read(String tablePath) {
        Engine engine = DefaultEngine.create(new Configuration());
        Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            KernelTableReader.scan(engine, snapshot, snapshot.getSchema(), batch -> {
                StructType schema = batch.schema();
                batch.forEach(r -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 0; c < schema.length(); c++) {
                        row.put(schema.at(c).getName(), value(batch.column(c), schema.at(c).getDataType(), r));
                    }
                    rows.add(row);
                });
            });
        } catch (IOException e) {
            throw new UncheckedIOException("reading table " + tablePath, e);
        }
        return rows;
    }

    private static Object value(ColumnVector v, DataType type, int r) {
        if (v.isNullAt(r)) {
            return null;
        }
        if (type instanceof StringType) {
            return v.getString(r);
        } else if (type instanceof IntegerType) {
            return v.getInt(r);
        } else if (type instanceof LongType || type instanceof TimestampType) {
            return v.getLong(r);
        } else if (type instanceof DoubleType) {
            return v.getDouble(r);
        } else if (type instanceof BinaryType) {
            return v.getBinary(r);
        }
        throw new IllegalArgumentException("unexpected column type " + type);
    }
}
