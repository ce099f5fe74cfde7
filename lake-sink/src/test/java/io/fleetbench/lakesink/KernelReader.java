package io.fleetbench.lakesink;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.utils.CloseableIterator;
import io.fleetbench.lake.TableRows;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Reads a Delta table back with delta-kernel, independently of the writer. */
final class KernelReader {
    private final Engine engine = DefaultEngine.create(new Configuration());

    /** All rows of the latest snapshot, as column name to value (timestamps in microseconds). */
    List<Map<String, Object>> rows(String tablePath) {
        return TableRows.read(tablePath);
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
}
