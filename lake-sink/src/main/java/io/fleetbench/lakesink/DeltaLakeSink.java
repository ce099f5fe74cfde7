package io.fleetbench.lakesink;

import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link LakeSink} into one Delta table per event family at {@code <tableRoot>/<family wire name>},
 * partitioned by {@code event_date} and {@code event_hour} (UTC), with exactly-once bookkeeping per
 * table and source through Delta {@code txn} actions; records that could not be decoded go to
 * {@code <tableRoot>/dead_letters}, partitioned by {@code arrival_date}, with the same bookkeeping. Thread-safe; each writer is used by one thread.
 */
public final class DeltaLakeSink implements LakeSink {
    private final LakeSinkConfig config;
    private final Configuration hadoopConf;
    private final Clock clock;
    private final SinkMetrics metrics;
    private final Path tableRoot;
    private final Map<EventFamily, DeltaTable> tables = new EnumMap<>(EventFamily.class);
    private final Map<EventFamily, EventFileWriter> fileWriters = new EnumMap<>(EventFamily.class);
    private DeltaTable deadLetterTable;
    private DeadLetterFileWriter deadLetterFiles;
    private boolean closed;

    /** A sink with Hadoop's default configuration (enough for local directories). */
    public DeltaLakeSink(LakeSinkConfig config, MeterRegistry registry, Clock clock) {
        this(config, new Configuration(), registry, clock);
    }

    /** A sink with a given Hadoop configuration, e.g. with {@code fs.s3a.*} settings. */
    public DeltaLakeSink(LakeSinkConfig config, Configuration hadoopConf, MeterRegistry registry, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new SinkMetrics(Objects.requireNonNull(registry, "registry"));
        this.tableRoot = new Path(config.tableRoot());
    }

    /** The table path of a family, as readers (delta-kernel, the compactor) open it. */
    public String tablePath(EventFamily family) {
        return new Path(tableRoot, family.wireName()).toString();
    }

    /** The dead-letter table's path, as readers open it. */
    public String deadLetterTablePath() {
        return new Path(tableRoot, DeltaTable.DEAD_LETTERS).toString();
    }

    @Override
    public ShardWriter open(String sourceId) {
        Objects.requireNonNull(sourceId, "sourceId");
        String appId = config.applicationId() + "-" + sourceId;
        Map<EventFamily, TableProgress> progress = new EnumMap<>(EventFamily.class);
        Map<EventFamily, DeltaTable> opened = new EnumMap<>(EventFamily.class);
        Map<EventFamily, EventFileWriter> writers = new EnumMap<>(EventFamily.class);
        for (EventFamily f : EventFamily.values()) {
            DeltaTable t = table(f);
            opened.put(f, t);
            writers.put(f, fileWriter(f));
            progress.put(f, t.readProgress(appId));
        }
        DeltaTable dead = deadLetterTable();
        return new DeltaShardWriter(appId, config, clock, metrics, opened, writers, progress, dead,
                deadLetterFiles(), dead.readProgress(appId));
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
            deadLetterTable = DeltaTable.openOrCreateDeadLetters(hadoopConf, tableRoot, clock.millis());
            deadLetterFiles = new DeadLetterFileWriter(hadoopConf, deadLetterTable.root());
        }
        return deadLetterTable;
    }

    private synchronized DeadLetterFileWriter deadLetterFiles() {
        return deadLetterFiles;
    }

    /** The table of a family, created on first use. */
    synchronized DeltaTable table(EventFamily family) {
        if (closed) {
            throw new IllegalStateException("sink is closed");
        }
        return tables.computeIfAbsent(family, f -> {
            DeltaTable t = DeltaTable.openOrCreate(hadoopConf, tableRoot, f, clock.millis());
            fileWriters.put(f, new EventFileWriter(hadoopConf, EventSchema.of(f), t.root(), config.targetFileBytes()));
            return t;
        });
    }

    private synchronized EventFileWriter fileWriter(EventFamily family) {
        return fileWriters.get(family);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
