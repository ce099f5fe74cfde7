package io.fleetbench.compactor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.DeltaScan;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.data.CloseableIterator;
import io.delta.standalone.expressions.And;
import io.delta.standalone.expressions.Column;
import io.delta.standalone.expressions.EqualTo;
import io.delta.standalone.expressions.Expression;
import io.delta.standalone.expressions.IsNull;
import io.delta.standalone.expressions.Literal;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructType;
import io.fleetbench.lake.CommitOutcome;
import io.fleetbench.lake.DeltaCommit;
import io.fleetbench.lake.LocalLogStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Bin-packing compaction of a Delta table's small files, partition by partition, safe beside a live
 * writer and beside other compactors.
 *
 * <p>Each commit reads only its partition and changes no data (RemoveFile and AddFile with
 * {@code dataChange=false}), so it commits beside concurrent blind appends, into the same partition or
 * others. A partition's bins are committed a few at a time ({@link CompactionOptions#binsPerCommit()}), so
 * a conflict or a failure loses at most that much work. A commit refused because a concurrent commit
 * removed files of its partition (another compactor took them) is never retried as it was: its files are
 * deleted, and the partition is planned again from the new snapshot; after
 * {@value #MAX_CONFLICTS_PER_PARTITION} conflicts in a row the partition is left to the next pass.
 *
 * <p>By default only closed partitions are compacted. A partition is open while its newest file was
 * added less than {@link CompactionOptions#closedAfter()} ago: a file was added at its Delta
 * {@code modificationTime} (the lake sink sets it when it commits), or, for a file the compactor wrote, at
 * the newest time of the files it replaced, which the compactor keeps in the file's
 * {@value #MAX_INSERTION_TIME} tag (microseconds, the tag Delta's own writers use). So a partition that a
 * writer has left stays closed after it was compacted, and the files that arrive late reopen it for a while.
 *
 * <p>Files that one pass wrote are not compacted again in the same pass, so a pass reads each byte at
 * most once.
 */
public final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    private static final String ENGINE_INFO = "fleetbench-compactor";
    private static final JsonFactory JSON = new JsonFactory();

    /** Conflicts in a row after which a partition is left to the next pass. */
    static final int MAX_CONFLICTS_PER_PARTITION = 5;
    /** Tag with the oldest insertion time of a compacted file's rows, in microseconds since the epoch. */
    static final String MIN_INSERTION_TIME = "MIN_INSERTION_TIME";
    /** Tag with the newest insertion time of a compacted file's rows, in microseconds since the epoch. */
    static final String MAX_INSERTION_TIME = "MAX_INSERTION_TIME";
    /** Tag with the insertion time of a file, in microseconds since the epoch, as Delta's writers set it. */
    static final String INSERTION_TIME = "INSERTION_TIME";
    /** Tag with the target size a compacted file was written for. */
    static final String OPTIMIZE_TARGET_SIZE = "OPTIMIZE_TARGET_SIZE";

    private final CompactionOptions options;
    private final Configuration hadoopConf;
    private final Clock clock;
    private final CompactorMetrics metrics;
    private final FileRewriter rewriter;

    /** Test hook run after a group of bins was rewritten, just before its commit. */
    Runnable beforeCommit = () -> { };
    /** Test hook run just after a commit returned, inside its error handling. */
    Runnable afterCommit = () -> { };

    /** A compactor with Hadoop's default configuration (enough for local directories). */
    public Compactor(CompactionOptions options, MeterRegistry registry, Clock clock) {
        this(options, new Configuration(), registry, clock);
    }

    /**
     * A compactor with a given Hadoop configuration, e.g. with {@code fs.s3a.*} settings. Local tables are
     * committed through {@link LocalLogStore}, as the lake sink commits, unless the configuration names
     * another log store; the configuration itself is left as it is.
     */
    public Compactor(CompactionOptions options, Configuration hadoopConf, MeterRegistry registry, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.hadoopConf = LocalLogStore.configure(new Configuration(Objects.requireNonNull(hadoopConf, "hadoopConf")));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new CompactorMetrics(Objects.requireNonNull(registry, "registry"));
        this.rewriter = new FileRewriter(hadoopConf);
    }

    /** The settings. */
    public CompactionOptions options() {
        return options;
    }

    /** The Hadoop configuration tables are opened with: the given one and {@link LocalLogStore}. */
    public Configuration hadoopConf() {
        return hadoopConf;
    }

    /** Compacts every partition of a table once; a table that does not exist is left alone. */
    public CompactionResult compact(String tablePath) {
        return compact(tablePath, () -> false);
    }

    /**
     * Compacts every partition of a table once, unless asked to stop: {@code stopRequested} is checked
     * before each group of bins, so a stop lets the commit in progress finish and starts nothing new.
     * A table that does not exist is left alone.
     */
    public CompactionResult compact(String tablePath, BooleanSupplier stopRequested) {
        return compact(tablePath, stopRequested, p -> { });
    }

    /**
     * Compacts every partition of a table once, as {@link #compact(String, BooleanSupplier)} does,
     * telling {@code progress} once the partitions are planned and after each of them.
     *
     * @param progress told how far the pass has gone; called on this thread
     */
    public CompactionResult compact(String tablePath, BooleanSupplier stopRequested,
                                    Consumer<CompactionProgress> progress) {
        Objects.requireNonNull(progress, "progress");
        long started = System.nanoTime();
        Path root = new Path(tablePath);
        String table = root.getName();
        DeltaLog log = DeltaLog.forTable(hadoopConf, root);
        if (!log.tableExists()) {
            return CompactionResult.nothing(tablePath, Duration.ofNanos(System.nanoTime() - started));
        }
        Pass pass = new Pass(log, root, tablePath, table, options.targetFileBytes(table), stopRequested, progress);
        try {
            pass.run();
        } catch (RuntimeException e) {
            metrics.failed(table);
            throw e;
        } finally {
            metrics.pass(table, Duration.ofNanos(System.nanoTime() - started));
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        if (pass.commits > 0 || pass.conflicts > 0) {
            LOG.debug("table {}: {} files -> {} in {} commits ({} conflicts), {} partitions compacted, {} left open, in {} ms",
                    table, pass.removed, pass.added, pass.commits, pass.conflicts, pass.partitions, pass.open,
                    duration.toMillis());
        }
        return new CompactionResult(tablePath, pass.partitions, pass.open, pass.givenUp, pass.commits, pass.added,
                pass.conflicts, pass.removed, pass.added, pass.bytesRead, pass.bytesWritten, duration);
    }

    /** One pass over one table, and what it did. */
    private final class Pass {
        final DeltaLog log;
        final Path root;
        final String table;
        final long targetFileBytes;
        final BooleanSupplier stopRequested;
        final String tablePath;
        final Consumer<CompactionProgress> progress;
        /** Files this pass wrote: never compacted again by it. */
        final Set<String> written = new HashSet<>();
        int partitions;
        int open;
        int givenUp;
        int commits;
        int conflicts;
        int removed;
        int added;
        long bytesRead;
        long bytesWritten;

        Pass(DeltaLog log, Path root, String tablePath, String table, long targetFileBytes,
             BooleanSupplier stopRequested, Consumer<CompactionProgress> progress) {
            this.tablePath = tablePath;
            this.progress = progress;
            this.log = log;
            this.root = root;
            this.table = table;
            this.targetFileBytes = targetFileBytes;
            this.stopRequested = stopRequested;
        }

        void run() {
            Snapshot snapshot = log.update();
            StructType schema = snapshot.getMetadata().getSchema();
            List<String> partitionColumns = snapshot.getMetadata().getPartitionColumns();
            // Partitions in a stable order: compactors of one table work through it alike.
            Map<String, List<AddFile>> byPartition = new TreeMap<>();
            for (AddFile f : snapshot.getAllFiles()) {
                byPartition.computeIfAbsent(new TreeMap<>(f.getPartitionValues()).toString(), k -> new ArrayList<>())
                        .add(f);
            }
            long nowMicros = clock.millis() * 1000;
            List<List<AddFile>> planned = new ArrayList<>();
            for (List<AddFile> files : byPartition.values()) {
                if (plan(files).isEmpty()) {
                    continue;
                }
                if (!options.includeOpenPartitions() && !closed(files, nowMicros, options.closedAfter())) {
                    open++;
                    continue;
                }
                planned.add(files);
            }
            int done = 0;
            progress.accept(new CompactionProgress(tablePath, done, planned.size(), bytesWritten));
            for (List<AddFile> files : planned) {
                if (stopRequested.getAsBoolean()) {
                    return;
                }
                Map<String, String> values = files.get(0).getPartitionValues();
                compactPartition(predicate(schema, partitionColumns, values), values);
                progress.accept(new CompactionProgress(tablePath, ++done, planned.size(), bytesWritten));
            }
        }

        List<List<AddFile>> plan(List<AddFile> files) {
            List<AddFile> candidates = new ArrayList<>(files.size());
            for (AddFile f : files) {
                if (!written.contains(f.getPath())) {
                    candidates.add(f);
                }
            }
            // Ties in size keep the path order: the same files give the same bins.
            candidates.sort(Comparator.comparing(AddFile::getPath));
            return BinPlanner.plan(candidates, AddFile::getSize, targetFileBytes, options.minFilesPerBin());
        }

        void compactPartition(Expression partition, Map<String, String> values) {
            int conflictsInARow = 0;
            boolean committed = false;
            while (!stopRequested.getAsBoolean()) {
                OptimisticTransaction txn = log.startTransaction();
                List<AddFile> files = new ArrayList<>();
                DeltaScan scan = txn.markFilesAsRead(partition);
                try (CloseableIterator<AddFile> it = scan.getFiles()) {
                    it.forEachRemaining(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("listing files of table " + root + " where " + partition, e);
                }
                List<List<AddFile>> bins = plan(files);
                if (bins.isEmpty()) {
                    break;
                }
                List<List<AddFile>> group = bins.subList(0, Math.min(options.binsPerCommit(), bins.size()));
                if (commitGroup(txn, group, values)) {
                    committed = true;
                    conflictsInARow = 0;
                    if (group.size() == bins.size()) {
                        break;
                    }
                } else if (++conflictsInARow >= MAX_CONFLICTS_PER_PARTITION) {
                    LOG.warn("table {}: partition {} left to the next pass after {} conflicts in a row", table, values,
                            conflictsInARow);
                    metrics.conflicted(table, false);
                    givenUp++;
                    break;
                } else {
                    metrics.conflicted(table, true);
                }
            }
            if (committed) {
                partitions++;
            }
        }

        /** Rewrites and commits a group of bins; false if a concurrent commit conflicted with it. */
        boolean commitGroup(OptimisticTransaction txn, List<List<AddFile>> group, Map<String, String> values) {
            long now = clock.millis();
            List<Action> actions = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            List<String> relatives = new ArrayList<>();
            int groupRemoved = 0;
            long groupRead = 0;
            long groupWritten = 0;
            try {
                for (List<AddFile> bin : group) {
                    List<Path> inputs = new ArrayList<>();
                    long minInserted = Long.MAX_VALUE;
                    long maxInserted = Long.MIN_VALUE;
                    for (AddFile f : bin) {
                        inputs.add(absolute(root, f.getPath()));
                        groupRead += f.getSize();
                        minInserted = Math.min(minInserted, insertedMicros(f, false));
                        maxInserted = Math.max(maxInserted, insertedMicros(f, true));
                    }
                    String relative = directoryOf(bin.get(0).getPath()) + "part-" + UUID.randomUUID() + "-compacted."
                            + FileRewriter.codecSuffix();
                    Path output = absolute(root, relative);
                    outputs.add(output);
                    relatives.add(relative);
                    FileRewriter.Rewritten r = rewriter.rewrite(inputs, output);
                    groupWritten += r.sizeBytes();
                    for (AddFile f : bin) {
                        actions.add(f.remove(now, false));
                        groupRemoved++;
                    }
                    Map<String, String> tags = Map.of(MIN_INSERTION_TIME, Long.toString(minInserted),
                            MAX_INSERTION_TIME, Long.toString(maxInserted),
                            OPTIMIZE_TARGET_SIZE, Long.toString(targetFileBytes));
                    actions.add(new AddFile(relative, values, r.sizeBytes(), now, false, r.escapedStats(), tags));
                }
            } catch (RuntimeException e) {
                deleteQuietly(outputs);
                throw e;
            }
            Operation op = new Operation(Operation.Name.MANUAL_UPDATE, Map.of(), Map.of(),
                    Optional.of(userMetadata(groupRemoved, group.size())));
            String marker = relatives.get(0);
            CommitOutcome outcome = DeltaCommit.attempt(() -> {
                beforeCommit.run();
                long version = txn.commit(actions, op, ENGINE_INFO).getVersion();
                afterCommit.run();
                return version;
            }, DeltaCommit.inLog(log, txn.readVersion(), a -> a instanceof AddFile f && f.getPath().equals(marker)));
            if (outcome instanceof CommitOutcome.Conflict c) {
                LOG.info("table {}: compaction of partition {} gave way to a concurrent commit, planning again: {}",
                        table, values, c.cause().getMessage());
                conflicts++;
                deleteQuietly(outputs);
                return false;
            }
            if (outcome instanceof CommitOutcome.NotLanded n) {
                deleteQuietly(outputs);
                throw n.cause();
            }
            CommitOutcome.Committed c = (CommitOutcome.Committed) outcome;
            c.failure().ifPresent(e -> LOG.warn("table {}: compaction commit of partition {} threw but had landed at version {}",
                    table, values, c.version(), e));
            written.addAll(relatives);
            metrics.committed(table, group.size(), groupRemoved, groupRead, groupWritten);
            commits++;
            removed += groupRemoved;
            added += group.size();
            bytesRead += groupRead;
            bytesWritten += groupWritten;
            return true;
        }
    }

    /**
     * Whether a partition is closed: its newest file was added at least {@code closedAfter} before
     * {@code nowMicros}. With {@code closedAfter} zero every partition is closed.
     */
    static boolean closed(List<AddFile> files, long nowMicros, Duration closedAfter) {
        if (closedAfter.isZero()) {
            return true;
        }
        long newest = Long.MIN_VALUE;
        for (AddFile f : files) {
            newest = Math.max(newest, insertedMicros(f, true));
        }
        return closed(newest, nowMicros, closedAfter);
    }

    /**
     * Whether a partition whose newest file was added at {@code newestMicros} (see
     * {@link #insertedMicros}) is closed at {@code nowMicros}: the rule of {@link #closed(List, long, Duration)}.
     */
    static boolean closed(long newestMicros, long nowMicros, Duration closedAfter) {
        return closedAfter.isZero() || nowMicros - newestMicros >= closedAfter.toNanos() / 1000;
    }

    /**
     * When a file's rows were added to the table, in microseconds: the newest or oldest of them for a
     * compacted file (its insertion-time tags), else the file's insertion time tag, else its
     * modification time.
     */
    static long insertedMicros(AddFile f, boolean newest) {
        Map<String, String> tags = f.getTags();
        if (tags != null) {
            String v = tags.get(newest ? MAX_INSERTION_TIME : MIN_INSERTION_TIME);
            if (v == null) {
                v = tags.get(INSERTION_TIME);
            }
            if (v != null) {
                try {
                    return Long.parseLong(v);
                } catch (NumberFormatException e) {
                    LOG.debug("file {}: insertion time tag is not a number: {}", f.getPath(), v);
                }
            }
        }
        return f.getModificationTime() * 1000;
    }

    /** The predicate that selects one partition, typed by the table schema. */
    static Expression predicate(StructType schema, List<String> columns, Map<String, String> values) {
        Expression result = null;
        for (String name : columns) {
            DataType type = schema.get(name).getDataType();
            String raw = values.get(name);
            Expression term = raw == null
                    ? new IsNull(new Column(name, type))
                    : new EqualTo(new Column(name, type), literal(type, raw, name));
            result = result == null ? term : new And(result, term);
        }
        return result == null ? Literal.True : result;
    }

    private static Literal literal(DataType type, String raw, String name) {
        if (type instanceof StringType) {
            return Literal.of(raw);
        } else if (type instanceof IntegerType) {
            return Literal.of(Integer.parseInt(raw));
        } else if (type instanceof LongType) {
            return Literal.of(Long.parseLong(raw));
        }
        throw new IllegalArgumentException("partition column " + name + ": expected a string, integer or long"
                + " column, found " + type.getTypeName());
    }

    private static Path absolute(Path root, String addPath) {
        try {
            URI uri = new URI(addPath);
            return uri.isAbsolute() ? new Path(uri) : new Path(root, new Path(uri));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("table " + root + ": expected a URI as file path, found " + addPath, e);
        }
    }

    private static String directoryOf(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash + 1);
    }

    private static String userMetadata(int removed, int added) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("operation", "compaction");
            g.writeNumberField("filesRemoved", removed);
            g.writeNumberField("filesAdded", added);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private void deleteQuietly(List<Path> paths) {
        for (Path p : paths) {
            try {
                p.getFileSystem(hadoopConf).delete(p, false);
            } catch (IOException e) {
                LOG.warn("could not delete unreferenced file {}", p, e);
            }
        }
    }
}
