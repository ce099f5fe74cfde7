package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.ProgressBar;

import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.CompactionProgress;
import io.fleetbench.compactor.CompactionResult;
import io.fleetbench.compactor.CompactionTotals;
import io.fleetbench.compactor.Compactor;
import io.fleetbench.compactor.ContinuousCompaction;
import io.fleetbench.compactor.DeltaTables;
import io.fleetbench.runner.metrics.MetricsServer;
import io.fleetbench.profile.DataSize;
import io.fleetbench.profile.Durations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code fleetbench compact <table-or-lake-root>}: bin-packs each closed partition's small files, safe beside
 * a live writer and beside other compactors; once, or {@code --continuous} until interrupted.
 */
@Command(name = "compact", description = {
        "Bin-pack the small files of each closed partition into larger ones (dataChange=false), in one table or in "
                + "every Delta table below a folder (such as runs/<id>/lake). Safe beside a live writer and beside "
                + "other compactors.",
        "A partition is closed once no file has been added to it for --closed-after. With --continuous the passes "
                + "repeat every --interval until SIGINT or SIGTERM, which let the commit in progress finish."})
final class CompactCommand implements Callable<Integer> {
    /** How long a signal waits for the commit in progress to finish. */
    private static final Duration STOP_WAIT = Duration.ofMinutes(10);

    @Parameters(paramLabel = "<table-or-lake-root>",
            description = "Path or URI of a Delta table, or of a folder with Delta tables below it.")
    String path;

    @Option(names = "--target-file-size", paramLabel = "<size>", defaultValue = "128MiB",
            converter = Converters.Size.class,
            description = "Size the compacted files aim for; files of 3/4 of it or more are left alone (default: ${DEFAULT-VALUE}).")
    DataSize targetFileSize;

    @Option(names = "--table-target-file-size", paramLabel = "<table>=<size>",
            description = "The target file size of one table, by its folder name (e.g. car_telemetry=256MiB); repeatable.")
    Map<String, String> tableTargetFileSize = new LinkedHashMap<>();

    @Option(names = "--closed-after", paramLabel = "<duration>", defaultValue = "15m", converter = Converters.DurationOrZero.class,
            description = "A partition is compacted once no file has been added to it for this long; 0s compacts every"
                    + " partition now (default: ${DEFAULT-VALUE}).")
    Duration closedAfter;

    @Option(names = "--include-open-partitions",
            description = "Compact open partitions too (those written within --closed-after).")
    boolean includeOpenPartitions;

    @Option(names = "--bins-per-commit", paramLabel = "<n>", defaultValue = "4",
            description = "Commit a partition's bins this many at a time, so a conflict or a failure loses little (default: ${DEFAULT-VALUE}).")
    int binsPerCommit;

    @Option(names = "--continuous", description = "Repeat the passes every --interval until interrupted (SIGINT, SIGTERM).")
    boolean continuous;

    @Option(names = "--interval", paramLabel = "<duration>", converter = Converters.PositiveDuration.class,
            description = "With --continuous: the pause between two passes (default: 30s).")
    Duration interval;

    @Option(names = "--metrics-port", paramLabel = "<port>",
            description = "With --continuous: serve Prometheus metrics at http://127.0.0.1:<port>/metrics (0: any free port).")
    Integer metricsPort;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        CompactionOptions options;
        try {
            if (!continuous && (interval != null || metricsPort != null)) {
                throw new IllegalArgumentException((interval != null ? "--interval" : "--metrics-port")
                        + " needs --continuous");
            }
            Map<String, Long> byTable = new LinkedHashMap<>();
            tableTargetFileSize.forEach((table, size) -> {
                try {
                    byTable.put(table, DataSize.parse(size).bytes());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--table-target-file-size " + table + ": " + e.getMessage(), e);
                }
            });
            options = CompactionOptions.defaults().withTargetFileBytes(targetFileSize.bytes())
                    .withTargetFileBytesByTable(byTable)
                    .withClosedPartitions(closedAfter, includeOpenPartitions)
                    .withBinsPerCommit(binsPerCommit);
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench: compact: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        // The compactor commits local tables through LocalLogStore, as the lake sink does: safe beside a run's sink.
        Configuration conf = new Configuration();
        List<String> tables = DeltaTables.find(path, conf);
        if (tables.isEmpty()) {
            System.err.println("fleetbench: compact: no Delta table at or below " + path
                    + " (expected a folder with _delta_log, or folders of such tables)");
            return ExitCode.BAD_INPUT;
        }
        if (!continuous) {
            Compactor compactor = new Compactor(options, conf, new SimpleMeterRegistry(), Clock.systemUTC());
            ContinuousCompaction once = new ContinuousCompaction(compactor, path, Duration.ZERO, r -> { });
            TableProgress progress = new TableProgress();
            List<CompactionResult> results;
            try {
                results = once.passOnce(progress::show);
            } finally {
                progress.finish();
            }
            printPass(out, results, options, "");
            if (tables.size() > 1) {
                printTotals(out, once.totals());
            }
            return once.totals().failedTables() == 0 ? ExitCode.OK : ExitCode.ERROR;
        }
        return runContinuously(out, options, conf, interval != null ? interval : Duration.ofSeconds(30));
    }

    private int runContinuously(PrintStream out, CompactionOptions options, Configuration conf, Duration every) {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeterRegistry registry = metricsPort != null ? prometheus : new SimpleMeterRegistry();
        Vertx vertx = metricsPort != null ? Vertx.vertx() : null;
        MetricsServer server = null;
        try {
            if (vertx != null) {
                server = MetricsServer.start(vertx, prometheus, "127.0.0.1", metricsPort);
                out.printf("metrics: http://127.0.0.1:%d/metrics%n", server.port());
            }
            Compactor compactor = new Compactor(options, conf, registry, Clock.systemUTC());
            long started = System.nanoTime();
            int[] passes = {0};
            ContinuousCompaction loop = new ContinuousCompaction(compactor, path, every,
                    results -> printPass(out, results, options, String.format(Locale.ROOT, "pass %d, elapsed %s: ",
                            ++passes[0], ProgressBar.duration(Duration.ofNanos(System.nanoTime() - started)))));
            CountDownLatch finished = new CountDownLatch(1);
            Thread onSignal = new Thread(() -> {
                loop.stop();
                try {
                    finished.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "compact-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            out.printf("compacting %s every %s until interrupted (closed after %s%s)%n", path, Durations.format(every),
                    Durations.format(options.closedAfter()), options.includeOpenPartitions() ? ", open partitions too" : "");
            try {
                loop.run();
            } finally {
                out.print("stopped: ");
                printTotals(out, loop.totals());
                out.flush();
                finished.countDown();
            }
            return loop.totals().failedTables() == 0 ? ExitCode.OK : ExitCode.ERROR;
        } catch (IllegalStateException e) {
            System.err.println("fleetbench: compact: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } finally {
            if (server != null) {
                server.close();
            }
            if (vertx != null) {
                vertx.close();
            }
        }
    }

    /** Prints a line per table of a pass: the time, {@code prefix} (e.g. the pass number), and what was done. */
    private static void printPass(PrintStream out, List<CompactionResult> results, CompactionOptions options,
                                  String prefix) {
        String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (CompactionResult r : results) {
            out.printf(Locale.ROOT, "%s %s%s: %d partitions compacted in %d commits, %,d files -> %,d, %s read, %s written"
                            + ", %d conflicts re-planned%s%s, %.1f s%n",
                    at, prefix, r.tablePath(), r.partitionsCompacted(), r.commits(), r.filesRemoved(), r.filesAdded(),
                    bytes(r.bytesRead()), bytes(r.bytesWritten()), r.conflicts(),
                    r.partitionsConflicted() == 0 ? "" : ", " + r.partitionsConflicted() + " partitions left to the next pass after conflicts",
                    r.partitionsOpen() == 0 ? "" : String.format(Locale.ROOT, "; %d open partitions (written within %s) left alone",
                            r.partitionsOpen(), Durations.format(options.closedAfter())),
                    r.duration().toMillis() / 1e3);
        }
    }

    private static void printTotals(PrintStream out, CompactionTotals t) {
        out.printf(Locale.ROOT, "%d passes, %d commits of %,d bins: %,d files -> %,d, %s read, %s written, %d conflicts%s%n",
                t.passes(), t.commits(), t.bins(), t.filesRemoved(), t.filesAdded(), bytes(t.bytesRead()),
                bytes(t.bytesWritten()), t.conflicts(),
                t.failedTables() == 0 ? "" : ", " + t.failedTables() + " table passes FAILED (see the log)");
    }

    /** A progress line per table of a one-off pass: its partitions done of those planned, and the bytes written. */
    private static final class TableProgress {
        private ProgressBar bar;
        private CompactionProgress last;

        void show(CompactionProgress p) {
            if (last != null && !last.tablePath().equals(p.tablePath())) {
                finish();
            }
            if (bar == null) {
                bar = ProgressBar.onConsole("compact " + new Path(p.tablePath()).getName());
            }
            last = p;
            bar.update(p.partitionsDone(), p.partitionsPlanned(), "partitions", detail(p));
        }

        void finish() {
            if (bar != null) {
                bar.finish(last.partitionsDone(), last.partitionsPlanned(), "partitions", detail(last));
                bar = null;
            }
        }

        private static String detail(CompactionProgress p) {
            return bytes(p.bytesWritten()) + " written";
        }
    }

    private static String bytes(long n) {
        return n < (1L << 20) ? String.format(Locale.ROOT, "%,d B", n)
                : String.format(Locale.ROOT, "%,.1f MiB", n / (double) (1L << 20));
    }
}
