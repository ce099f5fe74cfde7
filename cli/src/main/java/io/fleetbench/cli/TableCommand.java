package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.ProgressBar;

import io.fleetbench.compactor.HealthMetrics;
import io.fleetbench.compactor.TableHealth;
import io.fleetbench.runner.metrics.MetricsServer;
import io.fleetbench.profile.DataSize;
import io.fleetbench.profile.Durations;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code fleetbench table health}: file counts, sizes and small files per partition, and the log's state. */
@Command(name = "table", description = "Inspect Delta tables.", subcommands = TableCommand.Health.class)
final class TableCommand {

    /** Prints, or serves as Prometheus gauges, the health of one table or of every table below a lake root. */
    @Command(name = "health", description = {
            "Show each partition's file count, size and share of small files (below a quarter of the target file "
                    + "size), the totals, a histogram of file sizes in Delta's FileSizeHistogram bins, and the state "
                    + "of the log (checkpoint, commits since, log retention and cleanup).",
            "With --metrics-port, keep running and serve the same figures as Prometheus gauges (fleetbench_table_*) "
                    + "at /metrics, read again every --every."})
    static final class Health implements Callable<Integer> {
        @Parameters(paramLabel = "<table-or-lake-root>",
                description = "Path or URI of a Delta table, or of a folder whose sub-folders are Delta tables.")
        String path;

        @Option(names = "--target-file-size", paramLabel = "<size>", defaultValue = "128MiB",
                converter = Converters.Size.class,
                description = "The file size compaction aims for; files below a quarter of it count as small "
                        + "(default: ${DEFAULT-VALUE}).")
        DataSize targetFileSize;

        @Option(names = "--json", description = "Print JSON instead of tables.")
        boolean json;

        @Option(names = "--metrics-port", paramLabel = "<port>",
                description = "Serve the health as Prometheus gauges on this port (0 for any free port) until stopped.")
        Integer metricsPort;

        @Option(names = "--metrics-host", paramLabel = "<host>", defaultValue = "127.0.0.1",
                description = "Address to serve the gauges on (default: ${DEFAULT-VALUE}).")
        String metricsHost;

        @Option(names = "--every", paramLabel = "<duration>", defaultValue = "30s", converter = Converters.PositiveDuration.class,
                description = "How often the served gauges are read again (default: ${DEFAULT-VALUE}).")
        Duration every;

        @Option(names = "--recent-partitions", paramLabel = "<n>", defaultValue = "24",
                description = "Partitions per table, the most recent ones, that get gauges of their own "
                        + "(default: ${DEFAULT-VALUE}).")
        int recentPartitions;

        @Override
        public Integer call() throws InterruptedException {
            Configuration conf = new Configuration();
            List<String> tables = tables(conf, path);
            if (tables.isEmpty()) {
                System.err.println("fleetbench: table health: no Delta table at " + path
                        + " (expected a folder with _delta_log, or a folder of such folders)");
                return ExitCode.BAD_INPUT;
            }
            if (recentPartitions < 0) {
                System.err.println("fleetbench: table health: --recent-partitions must be >= 0, found " + recentPartitions);
                return ExitCode.BAD_INPUT;
            }
            List<TableHealth> health = read(conf, tables);
            if (json) {
                System.out.print(HealthReport.json(health));
            } else {
                health.forEach(h -> System.out.println(HealthReport.text(h)));
            }
            if (metricsPort == null) {
                return ExitCode.OK;
            }
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            HealthMetrics metrics = new HealthMetrics(registry, recentPartitions);
            health.forEach(metrics::record);
            Vertx vertx = Vertx.vertx();
            try (MetricsServer server = MetricsServer.start(vertx, registry, metricsHost, metricsPort)) {
                System.out.printf("serving the health of %d tables at http://%s:%d/metrics, read every %s; Ctrl-C stops%n",
                        tables.size(), metricsHost, server.port(), Durations.format(every));
                // A line with the refreshes so far and the time since the first read: in place on a terminal.
                ProgressBar bar = new ProgressBar(System.out, System.console() != null, "table health", System::nanoTime);
                long refreshes = 0;
                int tablesRead = tables.size();
                try {
                    while (true) {
                        Thread.sleep(every.toMillis());
                        List<TableHealth> again = read(conf, tables(conf, path));
                        again.forEach(metrics::record);
                        tablesRead = again.size();
                        bar.update(++refreshes, -1, "refreshes", tablesRead + " tables read");
                    }
                } finally {
                    bar.finish(refreshes, -1, "refreshes", tablesRead + " tables read");
                }
            } finally {
                vertx.close();
            }
        }

        private List<TableHealth> read(Configuration conf, List<String> tables) {
            List<TableHealth> health = new ArrayList<>();
            for (String t : tables) {
                health.add(TableHealth.read(conf, t, targetFileSize.bytes()));
            }
            return health;
        }
    }

    /** The path itself if it is a table, else its sub-folders that are tables, by name; empty if neither. */
    static List<String> tables(Configuration conf, String path) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (fs.exists(new Path(p, "_delta_log"))) {
                return List.of(path);
            }
            List<String> tables = new ArrayList<>();
            FileStatus[] children = fs.listStatus(p);
            Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus s : children) {
                if (s.isDirectory() && fs.exists(new Path(s.getPath(), "_delta_log"))) {
                    tables.add(new Path(p, s.getPath().getName()).toString());
                }
            }
            return tables;
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("looking for Delta tables at " + path, e);
        }
    }
}
