package io.fleetbench.compactor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.DeltaScan;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.data.CloseableIterator;
import io.delta.standalone.exceptions.DeltaConcurrentModificationException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Bin-packing compaction of a Delta table's small files, one commit per partition. Each commit reads
 * only its partition and changes no data (RemoveFile and AddFile with {@code dataChange=false}), so it
 * commits beside concurrent blind appends; a concurrent compaction of the same files makes one of the
 * two give up that partition until the next run.
 */
public final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    private static final String ENGINE_INFO = "fleetbench-compactor";
    private static final JsonFactory JSON = new JsonFactory();

    private final CompactionOptions options;
    private final Configuration hadoopConf;
    private final Clock clock;
    private final CompactorMetrics metrics;
    private final FileRewriter rewriter;

    /** Test hook run after a partition's files were rewritten, just before its commit. */
    Runnable beforeCommit = () -> { };
    /** Test hook run just after a commit returned, inside its error handling. */
    Runnable afterCommit = () -> { };

    /** A compactor with Hadoop's default configuration (enough for local directories). */
    public Compactor(CompactionOptions options, MeterRegistry registry, Clock clock) {
        this(options, new Configuration(), registry, clock);
    }

    /** A compactor with a given Hadoop configuration, e.g. with {@code fs.s3a.*} settings. */
    public Compactor(CompactionOptions options, Configuration hadoopConf, MeterRegistry registry, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new CompactorMetrics(Objects.requireNonNull(registry, "registry"));
        this.rewriter = new FileRewriter(hadoopConf);
    }

    /** Compacts every partition of a table; a table that does not exist is left alone. */
    public CompactionResult compact(String tablePath) {
        long started = System.nanoTime();
        Path root = new Path(tablePath);
        String table = root.getName();
        DeltaLog log = DeltaLog.forTable(hadoopConf, root);
        Totals totals = new Totals();
        if (log.tableExists()) {
            StructType schema = log.update().getMetadata().getSchema();
            List<String> partitionColumns = log.snapshot().getMetadata().getPartitionColumns();
            Set<Map<String, String>> partitions = new LinkedHashSet<>();
            for (AddFile f : log.snapshot().getAllFiles()) {
                partitions.add(f.getPartitionValues());
            }
            for (Map<String, String> partition : partitions) {
                compactPartition(log, root, table, predicate(schema, partitionColumns, partition), totals);
            }
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        metrics.run(table, duration);
        return new CompactionResult(tablePath, totals.partitions, totals.conflicts, totals.removed, totals.added,
                totals.bytesRewritten, totals.bytesWritten, duration);
    }

    private static final class Totals {
        int partitions;
        int conflicts;
        int removed;
        int added;
        long bytesRewritten;
        long bytesWritten;
    }

    private void compactPartition(DeltaLog log, Path root, String table, Expression partition, Totals totals) {
        OptimisticTransaction txn = log.startTransaction();
        List<AddFile> files = new ArrayList<>();
        DeltaScan scan = txn.markFilesAsRead(partition);
        try (CloseableIterator<AddFile> it = scan.getFiles()) {
            it.forEachRemaining(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("listing files of " + root + " where " + partition, e);
        }
        List<List<AddFile>> bins = BinPlanner.plan(files, AddFile::getSize, options);
        if (bins.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<Action> actions = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        List<String> added = new ArrayList<>();
        int removed = 0;
        long bytesRewritten = 0;
        long bytesWritten = 0;
        for (List<AddFile> bin : bins) {
            List<Path> inputs = new ArrayList<>();
            for (AddFile f : bin) {
                inputs.add(absolute(root, f.getPath()));
                bytesRewritten += f.getSize();
            }
            String relative = directoryOf(bin.get(0).getPath()) + "part-" + UUID.randomUUID() + "-compacted."
                    + FileRewriter.codecSuffix();
            Path output = new Path(root, relative);
            written.add(output);
            added.add(relative);
            FileRewriter.Rewritten r = rewriter.rewrite(inputs, output);
            bytesWritten += r.sizeBytes();
            for (AddFile f : bin) {
                actions.add(f.remove(now, false));
                removed++;
            }
            actions.add(new AddFile(relative, bin.get(0).getPartitionValues(), r.sizeBytes(), now, false,
                    r.escapedStats(), null));
        }
        Operation op = new Operation(Operation.Name.MANUAL_UPDATE, Map.of(), Map.of(),
                Optional.of(userMetadata(removed, bins.size())));
        try {
            beforeCommit.run();
            txn.commit(actions, op, ENGINE_INFO);
            afterCommit.run();
        } catch (DeltaConcurrentModificationException e) {
            LOG.info("table {}: compaction of {} gave way to a concurrent commit: {}", table, partition, e.getMessage());
            metrics.partitionConflicted(table);
            totals.conflicts++;
            deleteQuietly(written);
            return;
        } catch (RuntimeException e) {
            // The commit may have landed before it failed (e.g. in the checkpoint after it).
            if (!landed(log, added.get(0))) {
                deleteQuietly(written);
                throw e;
            }
            LOG.warn("table {}: compaction commit of {} threw but had landed", table, partition, e);
        }
        metrics.partitionCompacted(table, removed, bins.size(), bytesRewritten);
        totals.partitions++;
        totals.removed += removed;
        totals.added += bins.size();
        totals.bytesRewritten += bytesRewritten;
        totals.bytesWritten += bytesWritten;
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

    private static boolean landed(DeltaLog log, String addedPath) {
        for (AddFile f : log.update().getAllFiles()) {
            if (f.getPath().equals(addedPath)) {
                return true;
            }
        }
        return false;
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
