package io.fleetbench.compactor;

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
import io.delta.kernel.utils.CloseableIterator;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads a {@link SmallFileTable} back with delta-kernel as a multiset of canonical row texts. */
final class KernelRows {
    private final Engine engine = DefaultEngine.create(new Configuration());

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
        Optional<ColumnVector> selected = batch.getSelectionVector();
        int id = b.getSchema().indexOf("event_id");
        int seq = b.getSchema().indexOf("seq");
        int reading = b.getSchema().indexOf("reading");
        int time = b.getSchema().indexOf("event_time");
        int date = b.getSchema().indexOf("event_date");
        int hour = b.getSchema().indexOf("event_hour");
        for (int r = 0; r < b.getSize(); r++) {
            if (selected.isPresent() && !selected.get().getBoolean(r)) {
                continue;
            }
            rows.merge(SmallFileTable.row(b.getColumnVector(id).getString(r), b.getColumnVector(seq).getLong(r),
                    b.getColumnVector(reading).getDouble(r), b.getColumnVector(time).getLong(r),
                    b.getColumnVector(date).getString(r), b.getColumnVector(hour).getInt(r)), 1, Integer::sum);
        }
    }
}
