package io.fleetbench.lakesink;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a Delta table back with delta-kernel, independently of the writer. */
final class KernelReader {
    private final Engine engine = DefaultEngine.create(new Configuration());

    /** All rows of the latest snapshot, as column name to value (timestamps in microseconds). */
    List<Map<String, Object>> rows(String tablePath) {
        Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row fileRow = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(fileRow);
                        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                                .readParquetFiles(Utils.singletonCloseableIterator(status), physical, Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                     Scan.transformPhysicalData(engine, scanState, fileRow, data)) {
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

    /** A comparison of a column with a literal, e.g. {@code compare("<", "seq", Literal.ofLong(1))}. */
    static Predicate compare(String op, String column, Literal value) {
        return new Predicate(op, new io.delta.kernel.expressions.Column(column), value);
    }

    /** How many data files a scan with this filter keeps after skipping files by their statistics. */
    int filesMatching(String tablePath, Predicate filter) {
        Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        int files = 0;
        try (CloseableIterator<FilteredColumnarBatch> batches =
                     snapshot.getScanBuilder().withFilter(filter).build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        rows.next();
                        files++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void collect(FilteredColumnarBatch batch, List<Map<String, Object>> out) {
        ColumnarBatch data = batch.getData();
        Optional<ColumnVector> selection = batch.getSelectionVector();
        StructType schema = data.getSchema();
        for (int r = 0; r < data.getSize(); r++) {
            if (selection.isPresent() && !selection.get().getBoolean(r)) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < schema.length(); c++) {
                StructField field = schema.at(c);
                row.put(field.getName(), value(data.getColumnVector(c), field.getDataType(), r));
            }
            out.add(row);
        }
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
