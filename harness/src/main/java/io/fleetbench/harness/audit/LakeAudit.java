package io.fleetbench.harness.audit;

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
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the rows, event ids and files of a Delta table with delta-kernel, independently of the
 * writer, so a run can compare what was committed with what was acknowledged. It reads only the
 * {@code event_id} and {@code schema_version} columns and keeps every distinct id in memory (about
 * 100 bytes each); rows are also counted by schema version, so that a run can check that records of
 * a newer schema version landed as rows. It also counts the dead-letter table's rows by reason.
 */
public final class LakeAudit {
    /** The column whose values must be unique. */
    public static final String EVENT_ID = "event_id";
    /** The column that holds each row's event schema version. */
    public static final String SCHEMA_VERSION = "schema_version";
    /** The dead-letter table's column that says why a record was rejected. */
    public static final String REASON = "reason";

    private final Engine engine;

    /** An audit with Hadoop's default configuration (enough for local directories). */
    public LakeAudit() {
        this(new Configuration());
    }

    /** An audit with a given Hadoop configuration, e.g. with {@code fs.s3a.*} settings. */
    public LakeAudit(Configuration hadoopConf) {
        this.engine = DefaultEngine.create(hadoopConf);
    }

    /** Audits the latest snapshot of a table; a table that does not exist holds zero rows. */
    public TableAudit audit(String tablePath) {
        Snapshot snapshot;
        try {
            snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return TableAudit.missing(tablePath);
        }
        StructField idField = snapshot.getSchema().get(EVENT_ID);
        if (idField == null) {
            throw new IllegalArgumentException("table " + tablePath + ": expected a column " + EVENT_ID
                    + ", found columns " + snapshot.getSchema().fieldNames());
        }
        StructField versionField = snapshot.getSchema().get(SCHEMA_VERSION);
        if (versionField == null) {
            throw new IllegalArgumentException("table " + tablePath + ": expected a column " + SCHEMA_VERSION
                    + ", found columns " + snapshot.getSchema().fieldNames());
        }
        Scan scan = snapshot.getScanBuilder().withReadSchema(new StructType().add(idField).add(versionField)).build();
        Row scanState = scan.getScanState(engine);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        Set<String> ids = new HashSet<>();
        Map<Integer, Long> byVersion = new TreeMap<>();
        long rows = 0;
        long files = 0;
        long bytes = 0;
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> fileRows = scanFiles.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row fileRow = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(fileRow);
                        files++;
                        bytes += status.getSize();
                        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                                .readParquetFiles(Utils.singletonCloseableIterator(status), physical, Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                     Scan.transformPhysicalData(engine, scanState, fileRow, data)) {
                            while (logical.hasNext()) {
                                rows += collectIds(logical.next(), ids, byVersion);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading table " + tablePath, e);
        }
        return new TableAudit(tablePath, true, snapshot.getVersion(), rows, ids.size(), rows - ids.size(), files, bytes,
                byVersion);
    }

    /**
     * Counts the rows of the dead-letter table by their {@code reason}; a table that does not exist
     * holds none.
     */
    public Map<String, Long> deadLettersByReason(String tablePath) {
        Snapshot snapshot;
        try {
            snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return Map.of();
        }
        StructField reasonField = snapshot.getSchema().get(REASON);
        if (reasonField == null) {
            throw new IllegalArgumentException("table " + tablePath + ": expected a column " + REASON
                    + ", found columns " + snapshot.getSchema().fieldNames());
        }
        Scan scan = snapshot.getScanBuilder().withReadSchema(new StructType().add(reasonField)).build();
        Row scanState = scan.getScanState(engine);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        Map<String, Long> byReason = new TreeMap<>();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> fileRows = scanFiles.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row fileRow = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(fileRow);
                        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                                .readParquetFiles(Utils.singletonCloseableIterator(status), physical, Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                     Scan.transformPhysicalData(engine, scanState, fileRow, data)) {
                            while (logical.hasNext()) {
                                countReasons(logical.next(), byReason);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading table " + tablePath, e);
        }
        return byReason;
    }

    private static void countReasons(FilteredColumnarBatch batch, Map<String, Long> byReason) {
        ColumnarBatch data = batch.getData();
        ColumnVector reasons = data.getColumnVector(data.getSchema().indexOf(REASON));
        Optional<ColumnVector> selection = batch.getSelectionVector();
        for (int r = 0; r < data.getSize(); r++) {
            if (selection.isEmpty() || selection.get().getBoolean(r)) {
                byReason.merge(reasons.isNullAt(r) ? "" : reasons.getString(r), 1L, Long::sum);
            }
        }
    }

    private static long collectIds(FilteredColumnarBatch batch, Set<String> ids, Map<Integer, Long> byVersion) {
        ColumnarBatch data = batch.getData();
        ColumnVector idColumn = data.getColumnVector(data.getSchema().indexOf(EVENT_ID));
        ColumnVector versionColumn = data.getColumnVector(data.getSchema().indexOf(SCHEMA_VERSION));
        Optional<ColumnVector> selection = batch.getSelectionVector();
        long rows = 0;
        for (int r = 0; r < data.getSize(); r++) {
            if (selection.isPresent() && !selection.get().getBoolean(r)) {
                continue;
            }
            rows++;
            ids.add(idColumn.isNullAt(r) ? null : idColumn.getString(r));
            // A null version (never written by the sink) is counted as 0, so it shows up rather than vanishes.
            byVersion.merge(versionColumn.isNullAt(r) ? 0 : versionColumn.getInt(r), 1L, Long::sum);
        }
        return rows;
    }
}
