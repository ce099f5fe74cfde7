package io.fleetbench.runner;

import io.fleetbench.report.RunReport;

import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.DeltaTables;
import io.fleetbench.compactor.HealthMetrics;
import io.fleetbench.compactor.TableHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The file-size health of every table of a run's lake ({@link TableHealth}): as the
 * {@code fleetbench_table_*} gauges of the run's registry ({@link HealthMetrics}), read again every
 * interval on a low-priority thread of its own from {@link #start()}, and once more by {@link #finish},
 * which also gives the report's {@code lake} section. A table that cannot be read is logged and left as
 * it was; the run goes on.
 */
final class RunTableHealth {
    private static final Logger log = LoggerFactory.getLogger(RunTableHealth.class);
    /** How often the gauges are read again during a run. */
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    private final String lake;
    private final Configuration hadoopConf;
    private final CompactionOptions options;
    private final HealthMetrics metrics;
    private final Duration interval;
    private final ScheduledExecutorService executor;
    /** Tables whose last read failed: a failure is logged as a warning once, until the table reads again. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    /** Test hook run after each background read of the lake. */
    Runnable afterRefresh = () -> { };

    /**
     * @param lake       the folder with the run's tables (see {@link DeltaTables#find})
     * @param hadoopConf the configuration the tables are opened with
     * @param options    the compactor's settings: each table's target file size, and when a partition is closed
     * @param registry   where the gauges go
     * @param interval   how often the gauges are read again; positive
     */
    RunTableHealth(String lake, Configuration hadoopConf, CompactionOptions options, MeterRegistry registry,
                   Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, found " + interval);
        }
        this.lake = lake;
        this.hadoopConf = hadoopConf;
        this.options = options;
        this.metrics = new HealthMetrics(registry, HealthMetrics.DEFAULT_RECENT_PARTITIONS);
        this.interval = interval;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "table-health");
            t.setDaemon(true);
            // The figures can wait; the pipeline cannot.
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** Reads the tables at once and then every interval, until {@link #stop()}. */
    void start() {
        executor.scheduleWithFixedDelay(this::refresh, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void refresh() {
        try {
            read(new ArrayList<>());
        } catch (Exception e) {
            // Caught whatever it is: an exception leaving a scheduled task would end the refreshes silently.
            log.warn("reading the health of the tables under {} failed; trying again in {} s: {}", lake,
                    interval.toSeconds(), e.toString());
        }
        afterRefresh.run();
    }

    /** Stops the background reads, waiting for the one in progress. Idempotent. */
    void stop() throws InterruptedException {
        // Not interrupted: an interrupt can break the read's file channels and leave a misleading warning.
        executor.shutdown();
        if (!executor.awaitTermination(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            log.warn("the table health reader did not stop within {} s", STOP_TIMEOUT.toSeconds());
        }
    }

    /**
     * Stops the background reads, reads every table once more, sets the gauges and returns the report's
     * {@code lake} section.
     *
     * @param closedAsOf the time at which partitions count as closed or open
     */
    RunReport.Lake finish(Instant closedAsOf) throws InterruptedException {
        stop();
        List<String> problems = new ArrayList<>();
        List<RunReport.LakeTable> tables = new ArrayList<>();
        RunReport.Partitions all = RunReport.Partitions.NONE;
        RunReport.Partitions closed = RunReport.Partitions.NONE;
        for (TableHealth h : read(problems)) {
            RunReport.LakeTable t = table(h, options.closedAfter(), closedAsOf);
            tables.add(t);
            all = all.plus(t.all());
            closed = closed.plus(t.closed());
        }
        return new RunReport.Lake(options.closedAfter().toMillis() / 1e3, closedAsOf.toString(), all, closed, tables,
                problems);
    }

    /** Reads every table and sets its gauges; a table that fails is logged and named in {@code problems}. */
    private List<TableHealth> read(List<String> problems) {
        List<TableHealth> health = new ArrayList<>();
        for (String table : DeltaTables.find(lake, hadoopConf)) {
            try {
                TableHealth h = TableHealth.read(hadoopConf, table, options.targetFileBytes(new Path(table).getName()));
                metrics.record(h);
                health.add(h);
                failing.remove(table);
            } catch (Exception e) {
                // Delta's Scala code can throw checked exceptions (e.g. a JSON parse error) undeclared.
                problems.add("table " + table + ": its health could not be read: " + e);
                if (failing.add(table)) {
                    log.warn("reading the health of table {} failed: {}", table, e.toString());
                } else {
                    log.debug("reading the health of table {} failed again: {}", table, e.toString());
                }
            }
        }
        return health;
    }

    /** A table's figures over all its partitions and over the closed ones. */
    private static RunReport.LakeTable table(TableHealth h, Duration closedAfter, Instant closedAsOf) {
        List<TableHealth.Partition> closed = h.closedPartitions(closedAfter, closedAsOf);
        return new RunReport.LakeTable(h.table(), h.path(), h.version(), h.targetFileBytes(), h.smallFileBytes(),
                partitions(h.partitions().size(), h.total()),
                partitions(closed.size(), TableHealth.Partition.sum("", closed)));
    }

    private static RunReport.Partitions partitions(int count, TableHealth.Partition p) {
        return new RunReport.Partitions(count, p.files(), p.bytes(), p.smallFiles(), p.smallBytes(), p.smallByteRatio());
    }
}
