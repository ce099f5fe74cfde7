package io.fleetbench.lakesink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.CommitInfo;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.SetTransaction;
import io.delta.standalone.exceptions.ConcurrentTransactionException;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DoubleType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.delta.standalone.types.TimestampType;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One Delta table (an event family's or the dead letters'): creation, schema evolution, and commits
 * that carry a source's {@code txn} and position.
 *
 * <p>Schema evolution happens when the table is opened, never inside a data commit: a new table is
 * created with every column this build writes, including the nullable ones of later event schema
 * versions ({@code firmware_version}) and {@code extras}; a table created by an older build without
 * them gets them in one metadata-only commit (operation {@code ADD COLUMNS}) before this build writes
 * to it, so the first commit of a version-2 event finds its column in place. See {@link SchemaEvolution}
 * for what is added and what is refused.
 */
final class DeltaTable {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaTable.class);
    private static final JsonFactory JSON = new JsonFactory();

    static final String ENGINE_INFO = "fleetbench-lake-sink";
    /** Attempts at adding columns when other writers commit to the table meanwhile. */
    static final int MAX_EVOLVE_ATTEMPTS = 5;
    /** The dead-letter table's name, below the table root. */
    static final String DEAD_LETTERS = "dead_letters";

    /** A commit file in {@code _delta_log}: the table version as 20 digits. */
    private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");
    /** One lock per table path, for the creators within this process. */
    private static final ConcurrentHashMap<String, Object> CREATE_LOCKS = new ConcurrentHashMap<>();

    private final String name;
    private final StructType schema;
    private final List<String> partitionColumns;
    private final Configuration conf;
    private final Path root;
    private final DeltaLog log;

    /** Test hook run just before a commit. */
    Runnable beforeCommit = () -> { };
    /** Test hook run just after a commit returned, inside its error handling. */
    Runnable afterCommit = () -> { };

    private DeltaTable(String name, StructType schema, List<String> partitionColumns, Configuration conf, Path root,
                       DeltaLog log) {
        this.name = name;
        this.schema = schema;
        this.partitionColumns = partitionColumns;
        this.conf = conf;
        this.root = root;
        this.log = log;
    }

    /** Opens the table of a family below the root, creating it if it does not exist. */
    static DeltaTable openOrCreate(Configuration conf, Path tableRoot, EventFamily family, long nowMillis) {
        return openOrCreate(conf, tableRoot, family.wireName(), schema(family),
                List.of(Partition.DATE_COLUMN, Partition.HOUR_COLUMN), nowMillis);
    }

    /** Opens the dead-letter table below the root, creating it if it does not exist. */
    static DeltaTable openOrCreateDeadLetters(Configuration conf, Path tableRoot, long nowMillis) {
        return openOrCreate(conf, tableRoot, DEAD_LETTERS, DeadLetterFileWriter.deltaSchema(),
                List.of(DeadLetterFileWriter.DATE_COLUMN), nowMillis);
    }

    private static DeltaTable openOrCreate(Configuration conf, Path tableRoot, String name, StructType schema,
                                           List<String> partitionColumns, long nowMillis) {
        Path root = new Path(tableRoot, name);
        DeltaLog log = DeltaLog.forTable(conf, root);
        DeltaTable table = new DeltaTable(name, schema, partitionColumns, conf, root, log);
        // On a local filesystem a commit file and its .crc are renamed one after the other, so a writer
        // that reads the first commit while another creates it can fail its checksum: creators in one
        // process take turns. Creators in other processes fall back on the commit conflict below.
        synchronized (CREATE_LOCKS.computeIfAbsent(root.toString(), k -> new Object())) {
            table.create(nowMillis);
        }
        return table;
    }

    /**
     * The table's Delta schema for a new table: the family's columns (the optional ones and
     * {@code extras} nullable), then the partition columns.
     */
    static StructType schema(EventFamily family) {
        List<StructField> fields = new ArrayList<>();
        for (Column c : EventSchema.of(family).columns()) {
            fields.add(new StructField(c.name(), deltaType(c), c.nullable()));
        }
        fields.add(new StructField(Partition.DATE_COLUMN, new StringType(), false));
        fields.add(new StructField(Partition.HOUR_COLUMN, new IntegerType(), false));
        return new StructType(fields.toArray(StructField[]::new));
    }

    private static DataType deltaType(Column c) {
        return switch (c.type()) {
            case STRING -> new StringType();
            case INT -> new IntegerType();
            case LONG -> new LongType();
            case DOUBLE -> new DoubleType();
            case TIMESTAMP_MILLIS -> new TimestampType();
        };
    }

    private void create(long nowMillis) {
        // The DeltaLog instance may be cached from before another creator's commit: look again.
        log.update();
        if (!log.tableExists()) {
            Metadata metadata = Metadata.builder()
                    .name(name)
                    .schema(schema)
                    .partitionColumns(partitionColumns)
                    .createdTime(nowMillis)
                    .build();
            try {
                OptimisticTransaction txn = log.startTransaction();
                txn.updateMetadata(metadata);
                txn.commit(List.<Action>of(), new Operation(Operation.Name.CREATE_TABLE), ENGINE_INFO);
            } catch (RuntimeException e) {
                // Another process may have created it first; that is as good as creating it.
                log.update();
                if (log.tableExists()) {
                    evolveSchema();
                    return;
                }
                throw e;
            }
        }
        evolveSchema();
    }

    /**
     * Checks the table's schema against the one this build writes and adds the nullable columns it
     * lacks, in a commit of their own. Another writer's commit in between (a writer of an older build
     * still appending, or another process adding the same columns) makes the attempt start over from
     * the table as it is then.
     *
     * @throws IllegalStateException if the partition columns differ or the schema cannot be evolved
     */
    private void evolveSchema() {
        for (int attempt = 1; ; attempt++) {
            OptimisticTransaction txn = log.startTransaction();
            Metadata found = txn.metadata();
            if (!partitionColumns.equals(found.getPartitionColumns())) {
                throw new IllegalStateException("table " + root + ": expected partition columns " + partitionColumns
                        + ", found " + found.getPartitionColumns());
            }
            Optional<StructType> evolved = SchemaEvolution.evolve(root.toString(), found.getSchema(), schema);
            if (evolved.isEmpty()) {
                return;
            }
            List<String> added = SchemaEvolution.addedColumns(found.getSchema(), evolved.get());
            try {
                txn.updateMetadata(found.copyBuilder().schema(evolved.get()).build());
                txn.commit(List.<Action>of(), new Operation(Operation.Name.ADD_COLUMNS,
                        Map.of("columns", jsonArray(added))), ENGINE_INFO);
                LOG.info("table {}: added nullable columns {} (rows already there read null in them)", root, added);
                return;
            } catch (RuntimeException e) {
                if (attempt >= MAX_EVOLVE_ATTEMPTS) {
                    throw new IllegalStateException("table " + root + ": could not add columns " + added + " in "
                            + attempt + " attempts; other writers committed each time", e);
                }
                LOG.info("table {}: adding columns {} met another commit (attempt {} of {}), reading the table again",
                        root, added, attempt, MAX_EVOLVE_ATTEMPTS, e);
            }
        }
    }

    /**
     * Names as a Delta operation parameter: a JSON array inside a JSON string literal, since
     * delta-standalone writes parameter values into the log as they are and reads them back as strings.
     */
    private static String jsonArray(List<String> names) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            StringBuilder array = new StringBuilder("[");
            for (String n : names) {
                array.append(array.length() > 1 ? "," : "").append('"').append(n).append('"');
            }
            g.writeString(array.append(']').toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The table name used in messages and metric labels. */
    String name() {
        return name;
    }

    Path root() {
        return root;
    }

    /**
     * Reads what the table holds for a source: its {@code txn} version, and the position from the
     * commit that set that version.
     *
     * <p>That commit is found by scanning back from the latest commit; the scan ends at the source's
     * newest commit, which is as recent as its last flush. It stops at the oldest commit file still in
     * the log (log cleanup deletes older ones once a checkpoint holds their state). Commit timestamps
     * are not used to jump closer: they come from each writer's clock, which may be skewed.
     *
     * @throws MissingProgressException if no commit file still in the log holds the source's position
     */
    TableProgress readProgress(String appId) {
        OptimisticTransaction txn = log.startTransaction();
        long version = txn.txnVersion(appId);
        if (version < 0) {
            return TableProgress.NONE;
        }
        long latest = txn.readVersion();
        long oldest = oldestCommitVersion();
        for (long v = latest; v >= oldest; v--) {
            CommitInfo info = log.getCommitInfoAt(v);
            Optional<CommitMark> mark = info.getUserMetadata().flatMap(CommitMark::parse);
            if (mark.isPresent() && mark.get().appId().equals(appId) && mark.get().txnVersion() == version) {
                return new TableProgress(version, Optional.of(mark.get().position()));
            }
        }
        throw new MissingProgressException(root.toString(), appId, version, oldest, latest);
    }

    /** The lowest table version whose commit file is still in {@code _delta_log}. */
    private long oldestCommitVersion() {
        Path logDir = new Path(root, "_delta_log");
        try {
            long oldest = Long.MAX_VALUE;
            for (FileStatus f : logDir.getFileSystem(conf).listStatus(logDir,
                    p -> COMMIT_FILE.matcher(p.getName()).matches())) {
                oldest = Math.min(oldest, Long.parseLong(f.getPath().getName().substring(0, 20)));
            }
            return oldest;
        } catch (IOException e) {
            throw new UncheckedIOException("listing the commit files of table " + root, e);
        }
    }

    /**
     * Commits data files with the source's next {@code txn} version and position.
     *
     * @return the table version committed
     * @throws SourceTakenOverException if the source's {@code txn} version is no longer {@code from}'s
     */
    long commit(String appId, TableProgress from, TableProgress to, List<EventFileWriter.WrittenFile> files,
                long nowMillis) {
        OptimisticTransaction txn = log.startTransaction();
        from.checkUnchanged(name(), appId, txn.txnVersion(appId));
        List<Action> actions = new ArrayList<>(files.size() + 1);
        for (EventFileWriter.WrittenFile f : files) {
            actions.add(new AddFile(f.relativePath(), f.partitionValues(), f.sizeBytes(), nowMillis, true,
                    f.escapedStats(), null));
        }
        actions.add(new SetTransaction(appId, to.txnVersion(), Optional.of(nowMillis)));
        String mark = new CommitMark(appId, to.txnVersion(), to.position().orElseThrow()).toJson();
        Operation operation = new Operation(Operation.Name.STREAMING_UPDATE,
                Map.of("outputMode", "\"Append\"", "epochId", Long.toString(to.txnVersion())),
                Map.of(), Optional.of(mark));
        beforeCommit.run();
        try {
            long version = txn.commit(actions, operation, ENGINE_INFO).getVersion();
            afterCommit.run();
            return version;
        } catch (ConcurrentTransactionException e) {
            throw new SourceTakenOverException(name(), appId, from.txnVersion(), readProgress(appId).txnVersion());
        }
    }
}
