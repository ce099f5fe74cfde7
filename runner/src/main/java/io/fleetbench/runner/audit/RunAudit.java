package io.fleetbench.runner.audit;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.fleetbench.lake.KernelTableReader;
import io.fleetbench.report.RunReport;
import io.fleetbench.runner.pipeline.LakeLayout;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.manifest.AckManifest;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The exact audit of a run: reads the lake a pipeline wrote with an independent reader (delta-kernel),
 * table by table, and judges it by {@link AuditRules} against the acknowledgement manifests of the run's
 * producers. {@code run} calls it at its end and {@code fleetbench audit} on a run folder afterwards.
 *
 * <p>It reads the event tables once (event id and schema version of every row) and, only if some event
 * is there more than once, a second time for the stream positions of those events; then the
 * dead-letter table's positions. Memory stays bounded by the fleet (a bit per event and outcome, a long
 * per device) and the repeated events, whatever the number of rows.
 */
public final class RunAudit {
    /** The columns that say where a row came from, as the sink writes them. */
    static final String SHARD = "shard";
    static final String SEQUENCE_NUMBER = "sequence_number";
    static final String SUB_SEQUENCE_NUMBER = "sub_sequence_number";
    private static final String EVENT_ID = "event_id";
    private static final String SCHEMA_VERSION = "schema_version";

    private RunAudit() {
    }

    /**
     * What the lake holds and the verdict.
     *
     * @param tables per event table, what the reader found
     * @param audit  the verdict
     */
    public record Result(List<RunReport.Table> tables, RunReport.Audit audit) {
    }

    /**
     * What an audit is told.
     *
     * @param lake                where the tables are
     * @param manifests           the acknowledgement manifests of the run's producers (one fleet)
     * @param schemaChangeVersion the schema version the profile's schema change sends, or the current one
     * @param invalidRecords      records the pipeline counted as invalid, null if not known
     * @param freshness           per event table, the freshness the pipeline measured (none after the run)
     * @param unbalanced          why the producer's accounts do not balance, if they do not
     * @param streamLoss          stream-loss manifests: the events in the stream when a fault destroyed it
     */
    public record Inputs(LakeLayout lake, List<Path> manifests, int schemaChangeVersion, Long invalidRecords,
                         Map<String, RunReport.Freshness> freshness, Optional<String> unbalanced,
                         List<Path> streamLoss) {
        /** Inputs without stream-loss manifests. */
        public Inputs(LakeLayout lake, List<Path> manifests, int schemaChangeVersion, Long invalidRecords,
                      Map<String, RunReport.Freshness> freshness, Optional<String> unbalanced) {
            this(lake, manifests, schemaChangeVersion, invalidRecords, freshness, unbalanced, List.of());
        }

        /** Inputs from a run folder's manifests: its acknowledgement manifests and any stream-loss manifest. */
        public static Inputs ofRunFolder(LakeLayout lake, Path runFolder, int schemaChangeVersion, Long invalidRecords,
                                         Map<String, RunReport.Freshness> freshness, Optional<String> unbalanced) {
            return new Inputs(lake, AckManifest.find(runFolder), schemaChangeVersion, invalidRecords, freshness,
                    unbalanced, AckManifest.findStreamLoss(runFolder));
        }
    }

    /** Progress of an audit, in data files read of those to read (each pass counts them again). */
    @FunctionalInterface
    public interface Progress {
        void update(long filesDone, long filesTotal, long rowsRead, String what);

        Progress NONE = (d, t, r, w) -> { };
    }

    /** Reads and judges the lake with Hadoop's default configuration (local folders). */
    public static Result judge(Inputs in, Progress progress) throws IOException {
        return judge(in, progress, new Configuration());
    }

    /** Reads and judges the lake, e.g. with {@code fs.s3a.*} settings in {@code hadoopConf}. */
    public static Result judge(Inputs in, Progress progress, Configuration hadoopConf) throws IOException {
        Engine engine = DefaultEngine.create(hadoopConf);
        ExpectedEvents expected = ExpectedEvents.read(in.manifests());
        if (!in.streamLoss().isEmpty()) {
            expected.readStreamLoss(in.streamLoss());
        }
        LakeTally tally = new LakeTally(expected);
        List<Snapshot> snapshots = new ArrayList<>();
        List<EventFamily> families = new ArrayList<>();
        long files = 0;
        for (EventFamily family : EventFamily.values()) {
            Snapshot s = snapshot(engine, in.lake().tablePath(family));
            if (s != null) {
                snapshots.add(s);
                families.add(family);
                files += fileCount(engine, s);
            }
        }
        Counter counter = new Counter(progress, files);
        // First pass: which events are there, and which more than once.
        for (int i = 0; i < snapshots.size(); i++) {
            Snapshot s = snapshots.get(i);
            EventFamily family = families.get(i);
            StructType schema = s.getSchema();
            LakeTally.Table table = tally.table(family.wireName(), in.lake().tablePath(family),
                    schema.indexOf(SHARD) >= 0 && schema.indexOf(SEQUENCE_NUMBER) >= 0
                            && schema.indexOf(SUB_SEQUENCE_NUMBER) >= 0);
            StructType read = new StructType().add(field(s, EVENT_ID)).add(field(s, SCHEMA_VERSION));
            KernelTableReader.scan(engine, s, read, status -> {
                table.files++;
                table.bytes += status.getSize();
                counter.file("reading " + family.wireName());
            }, rows -> {
                ColumnVector ids = rows.column(0);
                ColumnVector versions = rows.column(1);
                rows.forEach(r -> tally.row(table, ids.isNullAt(r) ? null : ids.getString(r),
                        versions.isNullAt(r) ? 0 : versions.getInt(r)));
                counter.rows(rows);
            });
        }
        // Second pass, only for repeated events: at which stream positions.
        if (tally.anyRepeated()) {
            counter.addFiles(files);
            for (int i = 0; i < snapshots.size(); i++) {
                Snapshot s = snapshots.get(i);
                EventFamily family = families.get(i);
                LakeTally.Table table = tally.tables().get(family.wireName());
                if (table.repeats == 0) {
                    counter.skipFiles(table.files);
                    continue;
                }
                StructType read = new StructType().add(field(s, EVENT_ID));
                if (table.positions) {
                    read = read.add(field(s, SHARD)).add(field(s, SEQUENCE_NUMBER)).add(field(s, SUB_SEQUENCE_NUMBER));
                }
                boolean positions = table.positions;
                KernelTableReader.scan(engine, s, read, status -> counter.file("positions in " + family.wireName()),
                        rows -> {
                            ColumnVector ids = rows.column(0);
                            rows.forEach(r -> tally.position(ids.isNullAt(r) ? null : ids.getString(r),
                                    positions ? position(rows, r) : null));
                            counter.rows(rows);
                        });
            }
        }
        counter.finish();
        AuditRules.DeadLetters deadLetters = deadLetters(engine, in.lake().deadLetterTablePath());
        RunReport.Audit audit = AuditRules.judge(expected, tally, deadLetters, in.schemaChangeVersion(),
                in.invalidRecords(), in.unbalanced());
        List<RunReport.Table> tables = new ArrayList<>();
        for (EventFamily family : EventFamily.values()) {
            LakeTally.Table t = tally.tables().get(family.wireName());
            String path = in.lake().tablePath(family);
            RunReport.Freshness freshness = in.freshness().get(family.wireName());
            tables.add(t == null ? new RunReport.Table(family.wireName(), path, 0, 0, 0, 0, 0, freshness)
                    : new RunReport.Table(family.wireName(), path, t.rows, t.rows - t.repeats, t.repeats, t.files,
                    t.bytes, freshness));
        }
        return new Result(tables, audit);
    }

    private static String position(KernelTableReader.Rows rows, int r) {
        ColumnVector shard = rows.column(1);
        ColumnVector sequence = rows.column(2);
        ColumnVector sub = rows.column(3);
        if (shard.isNullAt(r) || sequence.isNullAt(r) || sub.isNullAt(r)) {
            return null;
        }
        return shard.getString(r) + "/" + sequence.getString(r) + "/" + sub.getLong(r);
    }

    /** The dead-letter table's rows and distinct stream positions; none if it does not exist. */
    private static AuditRules.DeadLetters deadLetters(Engine engine, String path) throws IOException {
        Snapshot s = snapshot(engine, path);
        if (s == null) {
            return new AuditRules.DeadLetters(0, 0);
        }
        StructType read = new StructType().add(field(s, SHARD)).add(field(s, SEQUENCE_NUMBER))
                .add(field(s, SUB_SEQUENCE_NUMBER));
        long[] rows = {0};
        Set<String> positions = new HashSet<>();
        KernelTableReader.scan(engine, s, read, batch -> batch.forEach(r -> {
            rows[0]++;
            positions.add(batch.column(0).getString(r) + "/" + batch.column(1).getString(r) + "/"
                    + batch.column(2).getLong(r));
        }));
        return new AuditRules.DeadLetters(rows[0], positions.size());
    }

    private static Snapshot snapshot(Engine engine, String path) {
        try {
            return Table.forPath(engine, path).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            return null;
        }
    }

    private static StructField field(Snapshot s, String name) {
        StructField f = s.getSchema().indexOf(name) >= 0 ? s.getSchema().get(name) : null;
        if (f == null) {
            throw new IllegalArgumentException("expected a column " + name + ", found columns "
                    + s.getSchema().fieldNames());
        }
        return f;
    }

    private static long fileCount(Engine engine, Snapshot s) {
        long n = 0;
        try (CloseableIterator<FilteredColumnarBatch> files = s.getScanBuilder().build().getScanFiles(engine)) {
            while (files.hasNext()) {
                FilteredColumnarBatch b = files.next();
                int size = b.getData().getSize();
                if (b.getSelectionVector().isEmpty()) {
                    n += size;
                } else {
                    ColumnVector sel = b.getSelectionVector().get();
                    for (int i = 0; i < size; i++) {
                        if (!sel.isNullAt(i) && sel.getBoolean(i)) {
                            n++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** Counts files and rows for the progress line. */
    private static final class Counter {
        private final Progress progress;
        private long total;
        private long done;
        private long rows;
        private String what = "";

        Counter(Progress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        void file(String what) {
            this.what = what;
            done++;
            progress.update(done, total, rows, what);
        }

        void rows(KernelTableReader.Rows batch) {
            rows += batch.size();
        }

        void finish() {
            progress.update(done, total, rows, "done");
        }

        void addFiles(long n) {
            total += n;
        }

        void skipFiles(long n) {
            done += n;
            progress.update(done, total, rows, what);
        }
    }
}
