package io.fleetbench.lakesink;

import io.fleetbench.sink.LakeSink;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SourceTakenOverException;

import io.fleetbench.lake.LocalLogStore;
import io.fleetbench.telemetry.EventFamily;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link LakeSink} into one Delta table per event family at {@code <tableRoot>/<family wire name>},
 * partitioned by {@code event_date} and {@code event_hour} (UTC), with exactly-once bookkeeping per
 * table and source through Delta {@code txn} actions; records that could not be decoded go to
 * {@code <tableRoot>/dead_letters}, partitioned by {@code arrival_date}, with the same bookkeeping.
 * Every event row keeps where it came from: its writer's shard and its position ({@link Provenance}).
 *
 * <p>Opening a writer claims the source in every table (a commit of the source's next {@code txn}
 * version alone), so that a previous owner still flushing can no longer commit. Rows are written to
 * Parquet as they come, one open file per table and partition; the writers share one memory budget.
 * Thread-safe; each writer is used by one thread.
 */
public final class DeltaLakeSink implements LakeSink {
    private final LakeSinkConfig config;
    private final Configuration hadoopConf;
    private final Clock clock;
    private final SinkMetrics metrics;
    private final MemoryBudget memory;
    private final Path tableRoot;
    private final Map<EventFamily, DeltaTable> tables = new EnumMap<>(EventFamily.class);
    private final AtomicLong commits = new AtomicLong();
    private final BusyTime.Ticks ticks;
    private DeltaTable deadLetterTable;
    private boolean closed;

    /** A sink with Hadoop's default configuration (enough for local directories). */
    public DeltaLakeSink(LakeSinkConfig config, MeterRegistry registry, Clock clock) {
        this(config, new Configuration(), registry, clock);
    }

    /**
     * A sink with a given Hadoop configuration, e.g. with {@code fs.s3a.*} settings. Local tables are
     * committed through {@link LocalLogStore} unless the configuration names another log store; the
     * configuration itself is left as it is.
     */
    public DeltaLakeSink(LakeSinkConfig config, Configuration hadoopConf, MeterRegistry registry, Clock clock) {
        this(config, hadoopConf, registry, clock, BusyTime.Ticks.SYSTEM);
    }

    /** A sink whose writers time their busy time by {@code ticks} instead of the thread's own clocks. */
    DeltaLakeSink(LakeSinkConfig config, Configuration hadoopConf, MeterRegistry registry, Clock clock,
                  BusyTime.Ticks ticks) {
        this.config = Objects.requireNonNull(config, "config");
        this.hadoopConf = LocalLogStore.configure(new Configuration(Objects.requireNonNull(hadoopConf, "hadoopConf")));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.memory = new MemoryBudget(config.maxBufferedBytes());
        this.metrics = new SinkMetrics(Objects.requireNonNull(registry, "registry"), memory);
        this.tableRoot = new Path(config.tableRoot());
        this.ticks = Objects.requireNonNull(ticks, "ticks");
    }

    /** The table path of a family, as readers (delta-kernel, the compactor) open it. */
    public String tablePath(EventFamily family) {
        return tablePath(tableRoot.toString(), family);
    }

    /** The dead-letter table's path, as readers open it. */
    public String deadLetterTablePath() {
        return deadLetterTablePath(tableRoot.toString());
    }

    /**
     * The table of a family below a table root: the lake's layout, which a pipeline other than this sink
     * follows too when fleetbench audits it.
     */
    public static String tablePath(String tableRoot, EventFamily family) {
        return new Path(tableRoot, family.wireName()).toString();
    }

    /** The dead-letter table below a table root. */
    public static String deadLetterTablePath(String tableRoot) {
        return new Path(tableRoot, DeltaTable.DEAD_LETTERS).toString();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Claims the source in every table first: from then on an older writer of the source cannot commit.
     *
     * @throws SourceTakenOverException if other writers kept committing for the source while it was claimed
     */
    @Override
    public ShardWriter open(String sourceId, String shard) {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(shard, "shard");
        String appId = config.applicationId() + "-" + sourceId;
        Map<EventFamily, TableProgress> progress = new EnumMap<>(EventFamily.class);
        Map<EventFamily, DeltaTable> opened = new EnumMap<>(EventFamily.class);
        for (EventFamily f : EventFamily.values()) {
            DeltaTable t = table(f);
            opened.put(f, t);
            progress.put(f, t.claim(appId, clock.millis()));
        }
        DeltaTable dead = deadLetterTable();
        TableProgress deadProgress = dead.claim(appId, clock.millis());
        return new DeltaShardWriter(appId, shard, config, hadoopConf, clock, metrics,
                metrics.busyTime(config.slowdown(), ticks), memory, opened, progress, dead, deadProgress);
    }

    /**
     * Opens or creates every family's table now, so that the first source to be opened does not
     * wait for it (the first table of a process also pays for loading Hadoop and Delta).
     */
    public void createTables() {
        for (EventFamily f : EventFamily.values()) {
            table(f);
        }
        deadLetterTable();
    }

    /** The dead-letter table, created on first use. */
    synchronized DeltaTable deadLetterTable() {
        if (closed) {
            throw new IllegalStateException("sink is closed");
        }
        if (deadLetterTable == null) {
            deadLetterTable = observed(DeltaTable.openOrCreateDeadLetters(hadoopConf, tableRoot, clock.millis()));
        }
        return deadLetterTable;
    }

    /** The table of a family, created on first use. */
    synchronized DeltaTable table(EventFamily family) {
        if (closed) {
            throw new IllegalStateException("sink is closed");
        }
        return tables.computeIfAbsent(family,
                f -> observed(DeltaTable.openOrCreate(hadoopConf, tableRoot, f, clock.millis())));
    }

    /**
     * Counts the table's commits in the metrics, and makes every n-th commit of the sink throw after it
     * landed if the configuration asks for it (tests only).
     */
    private DeltaTable observed(DeltaTable table) {
        table.committed = c -> metrics.deltaCommit(table.name(), c);
        int every = config.failCommitsEvery();
        if (every > 0) {
            table.afterCommit = () -> {
                if (commits.incrementAndGet() % every == 0) {
                    throw new IllegalStateException("injected fault: commit to table " + table.name()
                            + " failed after it landed (failCommitsEvery=" + every + ")");
                }
            };
        }
        return table;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
