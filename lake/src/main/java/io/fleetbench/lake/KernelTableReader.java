package io.fleetbench.lake;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;

import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reads a snapshot of a Delta table with delta-kernel, independently of its writers: every data file of
 * the snapshot, reading only the columns asked for, and the rows the scan selects in each, batch by batch.
 */
public final class KernelTableReader {
    private KernelTableReader() {
    }

    /** The rows of one batch that the scan selected, and the batch's columns (those of the read schema). */
    public static final class Rows {
        private final ColumnarBatch data;
        private final Optional<ColumnVector> selection;

        private Rows(FilteredColumnarBatch batch) {
            this.data = batch.getData();
            this.selection = batch.getSelectionVector();
        }

        /** The batch's columns: the read schema. */
        public StructType schema() {
            return data.getSchema();
        }

        /** A column by its position in {@link #schema()}. */
        public ColumnVector column(int ordinal) {
            return data.getColumnVector(ordinal);
        }

        /**
         * A column by name.
         *
         * @throws IllegalArgumentException if the read schema has no such column
         */
        public ColumnVector column(String name) {
            int i = data.getSchema().indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("expected a column " + name + " in the read schema, found "
                        + data.getSchema().fieldNames());
            }
            return data.getColumnVector(i);
        }

        /** The rows of the batch, selected or not. */
        public int size() {
            return data.getSize();
        }

        /** Calls {@code each} with the index of every selected row, in order; rows the scan left out are skipped. */
        public void forEach(IntConsumer each) {
            for (int r = 0; r < data.getSize(); r++) {
                if (selection.isEmpty() || selection.get().getBoolean(r)) {
                    each.accept(r);
                }
            }
        }
    }

    /**
     * Scans a snapshot, reading only the columns of {@code readSchema} (fields of the snapshot's schema), and
     * calls {@code onRows} with the rows of every data file, batch by batch.
     *
     * @throws IOException if a file or the log cannot be read
     */
    public static void scan(Engine engine, Snapshot snapshot, StructType readSchema, Consumer<Rows> onRows)
            throws IOException {
        scan(engine, snapshot, readSchema, file -> { }, onRows);
    }

    /**
     * Scans a snapshot, reading only the columns of {@code readSchema} (fields of the snapshot's schema):
     * for every data file, calls {@code onFile} with it, then {@code onRows} with its rows, batch by batch.
     *
     * @throws IOException if a file or the log cannot be read
     */
    public static void scan(Engine engine, Snapshot snapshot, StructType readSchema, Consumer<FileStatus> onFile,
                            Consumer<Rows> onRows) throws IOException {
        Scan scan = snapshot.getScanBuilder().withReadSchema(readSchema).build();
        Row scanState = scan.getScanState(engine);
        // Internal: delta-kernel 4.4's public API has no physical read schema (column mapping renames columns in the files).
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> fileRows = scanFiles.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row fileRow = fileRows.next();
                        // Internal: the public API has no file status of a scan file (its path resolved against the table root).
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(fileRow);
                        onFile.accept(status);
                        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                                .readParquetFiles(one(status), physical, Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                     Scan.transformPhysicalData(engine, scanState, fileRow, data)) {
                            while (logical.hasNext()) {
                                onRows.accept(new Rows(logical.next()));
                            }
                        }
                    }
                }
            }
        }
    }

    private static <T> CloseableIterator<T> one(T element) {
        return new CloseableIterator<>() {
            private boolean taken;

            @Override
            public boolean hasNext() {
                return !taken;
            }

            @Override
            public T next() {
                if (taken) {
                    throw new NoSuchElementException();
                }
                taken = true;
                return element;
            }

            @Override
            public void close() {
            }
        };
    }
}
