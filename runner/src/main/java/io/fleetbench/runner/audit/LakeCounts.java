package io.fleetbench.runner.audit;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.FileStatus;
import io.fleetbench.lake.KernelTableReader;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the rows, event ids and files of a Delta table with delta-kernel, independently of the
 * writer, so a run can compare what was committed with what was acknowledged. It reads only the
 * {@code event_id} and {@code schema_version} columns and keeps every distinct id in memory (about
 * 100 bytes each); rows are also counted by schema version, so that a run can check that records of
 * a newer schema version landed as rows. It also counts the dead-letter table's rows by reason.
 */
public final class LakeCounts {
    /** The column whose values must be unique. */
    public static final String EVENT_ID = "event_id";
    /** The column that holds each row's event schema version. */
    public static final String SCHEMA_VERSION = "schema_version";
    /** The dead-letter table's column that says why a record was rejected. */
    public static final String REASON = "reason";

    private final Engine engine;

    /** An audit with Hadoop's default configuration (enough for local directories). */
    public LakeCounts() {
        this(new Configuration());
    }

    /** An audit with a given Hadoop configuration, e.g. with {@code fs.s3a.*} settings. */
    public LakeCounts(Configuration hadoopConf) {
        this.engine = DefaultEngine.create(hadoopConf);
    }

    /** Audits the latest snapshot of a table; a table that does not exist holds zero rows. */
    public TableCounts audit(String tablePath) {
        Snapshot snapshot;
        try {
            snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return TableCounts.missing(tablePath);
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
        Tally tally = new Tally();
        try {
            KernelTableReader.scan(engine, snapshot, new StructType().add(idField).add(versionField), tally::file,
                    tally::rows);
        } catch (IOException e) {
            throw new UncheckedIOException("reading table " + tablePath, e);
        }
        return new TableCounts(tablePath, true, snapshot.getVersion(), tally.rows, tally.ids.size(),
                tally.rows - tally.ids.size(), tally.files, tally.bytes, tally.byVersion);
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
        Map<String, Long> byReason = new TreeMap<>();
        try {
            KernelTableReader.scan(engine, snapshot, new StructType().add(reasonField),
                    batch -> countReasons(batch, byReason));
        } catch (IOException e) {
            throw new UncheckedIOException("reading table " + tablePath, e);
        }
        return byReason;
    }

    private static void countReasons(KernelTableReader.Rows batch, Map<String, Long> byReason) {
        ColumnVector reasons = batch.column(REASON);
        batch.forEach(r -> byReason.merge(reasons.isNullAt(r) ? "" : reasons.getString(r), 1L, Long::sum));
    }

    /** What an audit counts while it reads a table. */
    private static final class Tally {
        final Set<String> ids = new HashSet<>();
        final Map<Integer, Long> byVersion = new TreeMap<>();
        long rows;
        long files;
        long bytes;

        void file(FileStatus status) {
            files++;
            bytes += status.getSize();
        }

        void rows(KernelTableReader.Rows batch) {
            ColumnVector idColumn = batch.column(EVENT_ID);
            ColumnVector versionColumn = batch.column(SCHEMA_VERSION);
            batch.forEach(r -> {
                rows++;
                ids.add(idColumn.isNullAt(r) ? null : idColumn.getString(r));
                // A null version (never written by the sink) is counted as 0, so it shows up rather than vanishes.
                byVersion.merge(versionColumn.isNullAt(r) ? 0 : versionColumn.getInt(r), 1L, Long::sum);
            });
        }
    }
}
