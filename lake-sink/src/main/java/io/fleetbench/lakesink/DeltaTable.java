package io.fleetbench.lakesink;

import io.fleetbench.sink.SourceTakenOverException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.CommitInfo;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.SetTransaction;
import io.delta.standalone.exceptions.DeltaConcurrentModificationException;
import io.delta.storage.CloseableIterator;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DoubleType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.delta.standalone.types.TimestampType;
import io.fleetbench.lake.CommitOutcome;
import io.fleetbench.lake.DeltaCommit;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One Delta table (an event family's or the dead letters'): creation, schema evolution, and commits
 * that carry a source's {@code txn} and position.
 *
 * <p>Schema evolution happens when the table is opened, never inside a data commit: a new table is
 * created with every column this build writes, including the nullable ones of later event schema
 * versions ({@code firmware_version}), {@code extras} and the rows' {@link Provenance}; a table created
 * by an older build without them gets them in one metadata-only commit (operation {@code ADD COLUMNS})
 * before this build writes to it, so the first commit of a version-2 event finds its column in place.
 * See {@link SchemaEvolution} for what is added and what is refused.
 */
final class DeltaTable {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaTable.class);
    private static final JsonFactory JSON = new JsonFactory();

    static final String ENGINE_INFO = "fleetbench-lake-sink";
    /** Attempts at adding columns when other writers commit to the table meanwhile. */
    static final int MAX_EVOLVE_ATTEMPTS = 5;
    /** The dead-letter table's name, below the table root. */
    static final String DEAD_LETTERS = "dead_letters";

    /**
     * Properties of a new table. delta-standalone deletes commit files older than the log retention
     * after each checkpoint unless {@code delta.enableExpiredLogCleanup} is false, including the commit
     * that holds a quiet source's position ({@link #readProgress}); the log is cleaned by
     * {@code fleetbench vacuum} instead, which keeps every source's newest commit.
     */
    static final Map<String, String> TABLE_PROPERTIES = Map.of("delta.enableExpiredLogCleanup", "false");

    /** A commit file in {@code _delta_log}: the table version as 20 digits. */
    private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");
    /** One lock per table path, for the creators within this process. */
    private static final ConcurrentHashMap<String, Object> TABLE_LOCKS = new ConcurrentHashMap<>();

    private final String name;
    private final StructType schema;
    private final List<String> partitionColumns;
    private final Configuration conf;
    private final Path root;
    private final DeltaLog log;
    /**
     * One monitor per table path in this process, held while reading or writing the log. Hadoop's local
     * filesystem renames a commit file and its checksum file one after the other and checks that the
     * target is free before it renames, so two writers of one local table (two sinks in one process, as
     * when a shard moves between workers of one test) could interleave and leave a commit whose checksum
     * does not match. Writers in separate processes need a filesystem with an atomic rename, or a log
     * store that provides one (S3 with DynamoDB).
     */
    private final Object lock;

    /** Attempts to claim a source before giving up: each failed one means another writer committed for it meanwhile. */
    static final int MAX_CLAIM_ATTEMPTS = 5;

    /** Reads of a source's progress before a checksum failure on a local filesystem is given up as real. */
    static final int MAX_READ_ATTEMPTS = 5;
    private static final long READ_RETRY_MILLIS = 20;

    /** Most sources one commit carries. */
    static final int MAX_SOURCES_PER_COMMIT = 64;
    /**
     * Times a group is checked and committed again after a concurrent commit touched one of its sources or
     * changed the table's metadata (every claim does: many shards changing hands at once make several).
     */
    static final int MAX_GROUP_ATTEMPTS = 10;

    /**
     * Sources' {@code txn} versions as of table version {@link #knownVersion}, so that a commit need not
     * read them from a snapshot: delta-standalone answers {@code txnVersion} by loading the snapshot's
     * whole state (every live file and every tombstone), which made each commit slower the longer the
     * table lived. Brought forward from the commits after {@code knownVersion} before each group commit;
     * guarded by {@link #lock}.
     */
    private final Map<String, Long> knownTxns = new HashMap<>();
    private long knownVersion = -1;

    private final Object group = new Object();
    private final ArrayDeque<CommitRequest> pending = new ArrayDeque<>();
    private boolean committing;

    /** Hears of every commit that landed (for metrics). */
    Consumer<GroupCommit> committed = c -> { };
    /** Test hook run when a source's commit joins the queue. */
    Runnable queued = () -> { };
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
        this.lock = TABLE_LOCKS.computeIfAbsent(root.toString(), k -> new Object());
    }

    /** Opens the table of a family below the root, creating it if it does not exist. */
    static DeltaTable openOrCreate(Configuration conf, Path tableRoot, EventFamily family, long nowMillis) {
        return openOrCreate(conf, tableRoot, family.wireName(), schema(family),
                List.of(Partition.DATE_COLUMN, Partition.HOUR_COLUMN), nowMillis);
    }

    /** Opens the dead-letter table below the root, creating it if it does not exist. */
    static DeltaTable openOrCreateDeadLetters(Configuration conf, Path tableRoot, long nowMillis) {
        return openOrCreate(conf, tableRoot, DEAD_LETTERS, DeadLetterFormat.deltaSchema(),
                List.of(DeadLetterFormat.DATE_COLUMN), nowMillis);
    }

    private static DeltaTable openOrCreate(Configuration conf, Path tableRoot, String name, StructType schema,
                                           List<String> partitionColumns, long nowMillis) {
        Path root = new Path(tableRoot, name);
        DeltaLog log = DeltaLog.forTable(conf, root);
        DeltaTable table = new DeltaTable(name, schema, partitionColumns, conf, root, log);
        // On a local filesystem a commit file and its .crc are renamed one after the other, so a writer
        // that reads the first commit while another creates it can fail its checksum: creators in one
        // process take turns (see lock), and a read that caught a commit half-renamed is made again.
        synchronized (table.lock) {
            againOnChecksumRace(root, () -> {
                table.create(nowMillis);
                return null;
            });
        }
        return table;
    }

    /**
     * The table's Delta schema for a new table: the family's columns (the optional ones and
     * {@code extras} nullable), the {@link Provenance} columns (nullable, see there), then the partition
     * columns.
     */
    static StructType schema(EventFamily family) {
        List<StructField> fields = new ArrayList<>();
        for (Column c : EventSchema.of(family).columns()) {
            fields.add(new StructField(c.name(), deltaType(c), c.nullable()));
        }
        fields.addAll(Provenance.deltaFields(true));
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
                    .configuration(TABLE_PROPERTIES)
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

    /** Deletes a data file that was written below the table but never committed. */
    void deleteUncommitted(WrittenFile file) {
        DataFile.delete(conf, new Path(root, file.relativePath()));
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
        return locate(appId).progress();
    }

    /**
     * What the table holds for a source and the table version of the commit that set it (-1 for a source
     * that never committed), as {@link #readProgress} reads it.
     */
    private Located locate(String appId) {
        return againOnChecksumRace(root, () -> {
            synchronized (lock) {
                return locateLocked(appId);
            }
        });
    }

    /** A source's progress and the table version of the commit that set it. */
    private record Located(TableProgress progress, long tableVersion) {
    }

    /**
     * Resolves a source's commit from {@code from} to {@code to} that threw, from what the table holds for
     * the source now. A refusal because another writer moved the source's {@code txn} version is a
     * conflict without reading the table: nothing of it was written.
     */
    CommitOutcome resolve(String appId, TableProgress from, TableProgress to, RuntimeException failure) {
        if (failure instanceof SourceTakenOverException) {
            return new CommitOutcome.Conflict(failure);
        }
        Located found = locate(appId);
        return from.resolve(name, appId, to, found.progress(), found.tableVersion(), failure);
    }

    /**
     * Runs a read of the log again if it failed because, on a local filesystem, it read a commit file
     * whose checksum file was not renamed yet: Hadoop renames the two one after the other, and a writer in
     * another process (or another sink in this one) may be between the two.
     */
    private static <T> T againOnChecksumRace(Path root, java.util.function.Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (RuntimeException e) {
                if (attempt >= MAX_READ_ATTEMPTS || !isChecksumRace(e)) {
                    throw e;
                }
                LOG.debug("table {}: read a commit while it was being renamed; reading again", root, e);
                sleepQuietly(READ_RETRY_MILLIS * attempt);
            }
        }
    }

    /** Whether a failure is Hadoop's local filesystem reading a commit file whose checksum file is not renamed yet. */
    private static boolean isChecksumRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ChecksumException) {
                return true;
            }
        }
        return false;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Located locateLocked(String appId) {
        OptimisticTransaction txn = log.startTransaction();
        long version = txn.txnVersion(appId);
        if (version < 0) {
            return new Located(TableProgress.NONE, -1);
        }
        long latest = txn.readVersion();
        long oldest = oldestCommitVersion();
        for (long v = latest; v >= oldest; v--) {
            CommitInfo info;
            try {
                info = log.getCommitInfoAt(v);
            } catch (RuntimeException e) {
                if (isChecksumRace(e)) {
                    throw e;
                }
                // delta-standalone reads no commit below its earliest checkpoint, even while the file is there.
                throw new MissingProgressException(root.toString(), appId, version, v + 1, latest, e);
            }
            for (CommitMark mark : info.getUserMetadata().map(CommitMark::parseAll).orElse(List.of())) {
                if (mark.appId().equals(appId) && mark.txnVersion() == version) {
                    return new Located(new TableProgress(version, mark.position()), v);
                }
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
     * Claims a source for a new writer: commits the source's next {@code txn} version alone, with the
     * position it already had. From then on a writer that read an older version (a previous owner still
     * flushing) is refused with {@link SourceTakenOverException}, so it cannot commit records that the new
     * writer will commit too. A claim that threw is resolved from the table like any commit.
     *
     * @return what the table holds for the source after the claim
     * @throws SourceTakenOverException if other writers committed for the source on every attempt
     */
    TableProgress claim(String appId, long nowMillis) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
            TableProgress found = readProgress(appId);
            TableProgress claimed = found.fenced();
            CommitOutcome outcome = DeltaCommit.attempt(() -> commit(appId, found, claimed, List.of(), nowMillis, true),
                    failure -> resolve(appId, found, claimed, failure));
            if (!(outcome instanceof CommitOutcome.Failed failed)) {
                return claimed;
            }
            last = failed.cause();
        }
        throw last;
    }

    /**
     * Commits data files with the source's next {@code txn} version and position.
     *
     * <p>Commits of several sources to one table are grouped: while one commit is being written, the
     * sources that ask to commit queue up, and the next commit carries all of them (up to
     * {@value #MAX_SOURCES_PER_COMMIT}), each with its own {@code txn} action and mark. The table's commit
     * rate then stays at about one per commit latency however many sources write to it. Each source is
     * checked against the snapshot the group commits on, so one source taken over does not hold back the
     * others; a group refused because a concurrent commit touched one of its sources is checked and
     * committed again. A failure that may have left the commit landed is reported to every source of the
     * group, and each one resolves it from the table.
     *
     * @return the table version committed
     * @throws SourceTakenOverException if the source's {@code txn} version is no longer {@code from}'s
     */
    long commit(String appId, TableProgress from, TableProgress to, List<WrittenFile> files, long nowMillis) {
        return commit(appId, from, to, files, nowMillis, false);
    }

    private long commit(String appId, TableProgress from, TableProgress to, List<WrittenFile> files, long nowMillis,
                        boolean claim) {
        CommitRequest request = new CommitRequest(appId, from, to, files, nowMillis, claim);
        boolean interrupted = false;
        try {
            while (true) {
                List<CommitRequest> batch = new ArrayList<>();
                synchronized (group) {
                    if (!request.queued) {
                        pending.add(request);
                        request.queued = true;
                        queued.run();
                    }
                    while (committing && !request.done) {
                        try {
                            group.wait();
                        } catch (InterruptedException e) {
                            // The request may be in a commit already: wait for its outcome, and pass the interrupt on.
                            interrupted = true;
                        }
                    }
                    if (request.done) {
                        return request.outcome();
                    }
                    committing = true;
                    while (!pending.isEmpty() && batch.size() < MAX_SOURCES_PER_COMMIT) {
                        batch.add(pending.poll());
                    }
                }
                try {
                    commitGroup(batch);
                } catch (RuntimeException e) {
                    batch.forEach(r -> r.fail(e));
                } finally {
                    synchronized (group) {
                        committing = false;
                        group.notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Commits a group of sources' requests as one commit, settling each request. */
    private void commitGroup(List<CommitRequest> batch) {
        synchronized (lock) {
            commitGroupLocked(batch);
        }
    }

    /**
     * Commits a group. Each source's {@code txn} version is checked against the snapshot the group commits
     * on: from {@link #knownTxns}, brought forward to that snapshot, or, for a source not known yet, a claim,
     * or a group tried again after a conflict, read through the transaction, which makes delta-standalone
     * refuse the commit if another writer commits for the source meanwhile. A source checked from what is
     * known is not watched that way; it is protected because every claim carries the table's metadata (see
     * {@link #claim}), and Delta refuses any commit that meets a concurrent metadata change. Such a refused
     * group is checked again, from the transaction, on a new snapshot.
     */
    private void commitGroupLocked(List<CommitRequest> batch) {
        List<CommitRequest> open = batch;
        for (int attempt = 1; ; attempt++) {
            OptimisticTransaction txn = log.startTransaction();
            long readVersion = txn.readVersion();
            if (!catchUp(readVersion)) {
                knownTxns.clear();
                knownVersion = readVersion;
            }
            List<CommitRequest> valid = new ArrayList<>(open.size());
            boolean claims = false;
            for (CommitRequest r : open) {
                Long known = attempt == 1 && !r.claim ? knownTxns.get(r.appId) : null;
                long found = known != null ? known : txn.txnVersion(r.appId);
                knownTxns.put(r.appId, found);
                if (found != r.from.txnVersion()) {
                    r.fail(new SourceTakenOverException(name, r.appId, r.from.txnVersion(), found));
                } else {
                    valid.add(r);
                    claims |= r.claim;
                }
            }
            if (valid.isEmpty()) {
                return;
            }
            List<Action> actions = new ArrayList<>();
            List<CommitMark> marks = new ArrayList<>(valid.size());
            int files = 0;
            long bytes = 0;
            for (CommitRequest r : valid) {
                for (WrittenFile f : r.files) {
                    actions.add(new AddFile(f.relativePath(), f.partitionValues(), f.sizeBytes(), r.nowMillis, true,
                            f.escapedStats(), null));
                    files++;
                    bytes += f.sizeBytes();
                }
                actions.add(new SetTransaction(r.appId, r.to.txnVersion(), Optional.of(r.nowMillis)));
                marks.add(new CommitMark(r.appId, r.to.txnVersion(), r.to.position()));
            }
            String userMetadata = marks.size() == 1 ? marks.get(0).toJson() : CommitMark.toJson(marks);
            Operation operation = new Operation(Operation.Name.STREAMING_UPDATE,
                    Map.of("outputMode", "\"Append\"", "sources", Integer.toString(valid.size())),
                    Map.of(), Optional.of(userMetadata));
            if (claims) {
                // The table's metadata, unchanged: a concurrent commit of any other writer is refused with
                // "metadata changed", so a previous owner cannot commit past this claim unchecked.
                txn.updateMetadata(txn.metadata());
            }
            long version;
            try {
                beforeCommit.run();
                version = txn.commit(actions, operation, ENGINE_INFO).getVersion();
            } catch (DeltaConcurrentModificationException e) {
                // Another writer claimed or committed for one of these sources, or changed the table's
                // metadata, meanwhile: check them all again, through the transaction.
                if (attempt >= MAX_GROUP_ATTEMPTS) {
                    OptimisticTransaction now = log.startTransaction();
                    for (CommitRequest r : valid) {
                        long found = now.txnVersion(r.appId);
                        r.fail(found != r.from.txnVersion()
                                ? new SourceTakenOverException(name, r.appId, r.from.txnVersion(), found) : e);
                    }
                    return;
                }
                open = valid;
                continue;
            }
            committed.accept(new GroupCommit(valid.size(), files, bytes));
            try {
                afterCommit.run();
            } catch (RuntimeException e) {
                valid.forEach(r -> r.fail(e));
                return;
            }
            valid.forEach(r -> r.succeed(version));
            return;
        }
    }

    /**
     * Brings {@link #knownTxns} forward to a table version by reading the {@code txn} actions of the commits
     * after {@link #knownVersion}: usually this writer's own last commit and a few of others'.
     *
     * @return false if nothing is known yet or a commit in between could not be read; then nothing known holds
     */
    private boolean catchUp(long version) {
        if (knownVersion < 0 || version < knownVersion) {
            return false;
        }
        if (version == knownVersion) {
            return true;
        }
        try {
            Iterator<VersionLog> changes = log.getChanges(knownVersion + 1, true);
            long expected = knownVersion + 1;
            while (expected <= version && changes.hasNext()) {
                VersionLog commit = changes.next();
                if (commit.getVersion() != expected) {
                    return false;
                }
                try (CloseableIterator<Action> actions = commit.getActionsIterator()) {
                    while (actions.hasNext()) {
                        if (actions.next() instanceof SetTransaction t) {
                            knownTxns.put(t.getAppId(), t.getVersion());
                        }
                    }
                }
                expected++;
            }
            if (expected <= version) {
                return false;
            }
            knownVersion = version;
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("table {}: could not read the commits after version {}; reading sources' versions from the snapshot",
                    name, knownVersion, e);
            return false;
        }
    }

    /** One commit that landed: how many sources, files and bytes it carried. */
    record GroupCommit(int sources, int files, long bytes) {
    }

    /** A source's commit, queued until a group commit carries it, and its outcome. */
    private static final class CommitRequest {
        final String appId;
        final TableProgress from;
        final TableProgress to;
        final List<WrittenFile> files;
        final long nowMillis;
        final boolean claim;
        boolean queued;
        boolean done;
        long version;
        RuntimeException error;

        CommitRequest(String appId, TableProgress from, TableProgress to, List<WrittenFile> files, long nowMillis,
                      boolean claim) {
            this.appId = appId;
            this.claim = claim;
            this.from = from;
            this.to = to;
            this.files = files;
            this.nowMillis = nowMillis;
        }

        void succeed(long committedVersion) {
            version = committedVersion;
            done = true;
        }

        void fail(RuntimeException e) {
            if (!done) {
                error = e;
                done = true;
            }
        }

        long outcome() {
            if (error != null) {
                throw error;
            }
            return version;
        }
    }
}
