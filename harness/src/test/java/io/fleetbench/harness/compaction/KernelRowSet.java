package io.fleetbench.harness.compaction;

import io.delta.kernel.Scan;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every row of a Delta table as delta-kernel reads it, each rendered with all its columns
 * ({@code name=value|...}), as a multiset; and a checksum over such a multiset.
 */
final class KernelRowSet {
    private final Engine engine = DefaultEngine.create(new Configuration());

    /** The table's rows at its latest version, each with how often it occurs. */
    Map<String, Integer> read(String tablePath) {
        Scan scan = Table.forPath(engine, tablePath).getLatestSnapshot(engine).getScanBuilder().build();
        Row state = scan.getScanState(engine);
        Map<String, Integer> rows = new HashMap<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row fileRow = fileRows.next();
                        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler().readParquetFiles(
                                Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(fileRow)),
                                ScanStateRow.getPhysicalDataReadSchema(state), Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                     Scan.transformPhysicalData(engine, state, fileRow, data)) {
                            while (logical.hasNext()) {
                                collect(logical.next(), rows);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static void collect(FilteredColumnarBatch batch, Map<String, Integer> rows) {
        ColumnarBatch b = batch.getData();
        StructType schema = b.getSchema();
        Optional<ColumnVector> selected = batch.getSelectionVector();
        for (int r = 0; r < b.getSize(); r++) {
            if (selected.isPresent() && !selected.get().getBoolean(r)) {
                continue;
            }
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < schema.length(); c++) {
                row.append(c == 0 ? "" : "|").append(schema.at(c).getName()).append('=')
                        .append(value(b.getColumnVector(c), schema.at(c).getDataType(), r));
            }
            rows.merge(row.toString(), 1, Integer::sum);
        }
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

    /** The rows whose text a predicate accepts, with their counts. */
    static Map<String, Integer> where(Map<String, Integer> rows, Predicate<String> keep) {
        Map<String, Integer> kept = new HashMap<>();
        rows.forEach((row, n) -> {
            if (keep.test(row)) {
                kept.put(row, n);
            }
        });
        return kept;
    }

    /** The value of one column in a row's text. */
    static String column(String row, String name) {
        for (String part : row.split("\\|")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("row has no column " + name + ": " + row);
    }

    /** SHA-256 over the sorted SHA-256 hashes of every row, each as often as it occurs. */
    static String checksum(Map<String, Integer> rows) {
        try {
            List<String> hashes = new ArrayList<>();
            for (Map.Entry<String, Integer> e : rows.entrySet()) {
                String h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(e.getKey().getBytes(StandardCharsets.UTF_8)));
                for (int i = 0; i < e.getValue(); i++) {
                    hashes.add(h);
                }
            }
            hashes.sort(null);
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            for (String h : hashes) {
                all.update(h.getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(all.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
