package io.fleetbench.benchmarks;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.Metadata;
import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.Compactor;
import io.fleetbench.compactor.ContinuousCompaction;
import io.fleetbench.lake.LocalLogStore;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Whether Delta commit latency stays flat as the log grows: the lake sink's writer commits one tiny
 * batch (one car-telemetry row, one new file) {@code commits} times into one table, which delta-standalone
 * checkpoints every 10 commits, and the latency of each flush (finishing the file and committing it) is
 * timed. It prints the median and p99 of the first and the last thousand commits and their ratio, and
 * exits with status 1 if the last thousand's median is more than 1.5 times the first thousand's.
 *
 * <p>Every commit, the sink's, the compactor's and the one that sets the tombstone retention, goes through
 * {@link LocalLogStore}, as in every fleetbench run: a writer on delta-standalone's default store beside
 * them could overwrite their commits.
 *
 * <p>Options: {@code --warmup <commits>} (default 1,000) first commits that many times into a table of
 * its own, untimed, so that the JIT's compiling is not counted in the first thousand of the measured
 * table, whose log starts empty; {@code --compact} runs a compactor beside the writer on another thread,
 * a pass every second over the table's partitions (open ones too), so the table keeps few live files
 * while its log grows; {@code --tombstone-retention <interval>} (e.g. {@code "1 minute"}) sets the table's
 * {@code delta.deletedFileRetentionDuration}, how long removed files stay in its state as tombstones
 * (default one week). What can grow with the log: the table's state (live files and tombstones), which
 * delta-standalone reads again for each checkpoint (every tenth commit) and the sink no longer reads per
 * commit, and the log folder.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl benchmarks -am package
 * java -cp benchmarks/target/benchmarks.jar io.fleetbench.benchmarks.CommitLatencyCheck [commits, default 5000]
 *     [--warmup 1000] [--compact] [--tombstone-retention "1 minute"]
 * </pre>
 */
public final class CommitLatencyCheck {
    private static final int WINDOW = 1_000;
    private static final double MAX_RATIO = 1.5;

    private CommitLatencyCheck() {
    }

    public static void main(String[] args) throws Exception {
        int commits = 5_000;
        int warmup = 1_000;
        boolean compact = false;
        String tombstoneRetention = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--tombstone-retention")) {
                tombstoneRetention = args[++i];
            } else if (a.equals("--compact")) {
                compact = true;
            } else if (a.equals("--warmup")) {
                warmup = Integer.parseInt(args[++i]);
            } else if (a.startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + a
                        + ", expected --compact, --warmup <commits> or --tombstone-retention <interval>");
            } else {
                commits = Integer.parseInt(a);
            }
        }
        if (commits < 2 * WINDOW) {
            throw new IllegalArgumentException("commits must be >= " + 2 * WINDOW + ", found " + commits);
        }
        boolean flat;
        Path dir = Files.createTempDirectory("fleetbench-commit-latency");
        try {
            if (warmup > 0) {
                // The JIT compiles the commit path during the first commits; a table of its own keeps that
                // out of the first thousand of the measured table, whose log starts empty.
                run(dir.resolve("warmup"), warmup, compact, tombstoneRetention, false);
                System.out.printf(Locale.ROOT, "warm-up: %,d commits into a table of their own%n", warmup);
            }
            flat = run(dir.resolve("measured"), commits, compact, tombstoneRetention, true);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(flat ? 0 : 1);
    }

    private static boolean run(Path dir, int commits, boolean compact, String tombstoneRetention, boolean report)
            throws IOException, InterruptedException {
        Configuration conf = LocalLogStore.configuration();
        Fleet fleet = new Fleet(FleetConfig.defaults().withSeed(7).withDevices(1_000, 0));
        long clock = fleet.startEpochMillis();
        LakeSinkConfig config = LakeSinkConfig.defaults(dir.toString()).withBufferLimits(Duration.ofHours(1), 64L << 20);
        long[] nanos = new long[commits];
        ContinuousCompaction compaction = null;
        Thread compactor = null;
        try (DeltaLakeSink sink = new DeltaLakeSink(config, conf, new SimpleMeterRegistry(), Clock.systemUTC())) {
            sink.createTables();
            if (tombstoneRetention != null) {
                setTombstoneRetention(conf, sink.tablePath(EventFamily.CAR_TELEMETRY), tombstoneRetention);
            }
            if (compact) {
                CompactionOptions options = CompactionOptions.defaults().withClosedPartitions(Duration.ZERO, true);
                compaction = new ContinuousCompaction(new Compactor(options, conf, new SimpleMeterRegistry(), Clock.systemUTC()),
                        sink.tablePath(EventFamily.CAR_TELEMETRY), Duration.ofSeconds(1), r -> { });
                compactor = new Thread(compaction::run, "compactor");
                compactor.start();
            }
            BigInteger sequence = BigInteger.valueOf(49_000_000_000L).shiftLeft(64);
            try (ShardWriter writer = sink.open("shardId-000000000000")) {
                for (int i = 0; i < commits; i++) {
                    TelemetryEvent e = fleet.next(clock++);
                    while (e.family() != EventFamily.CAR_TELEMETRY) {
                        e = fleet.next(clock++);
                    }
                    sequence = sequence.add(BigInteger.ONE);
                    writer.append(new SinkRecord(new SourcePosition(sequence, 0), e));
                    long start = System.nanoTime();
                    writer.flush();
                    nanos[i] = System.nanoTime() - start;
                    if (report && (i + 1) % WINDOW == 0) {
                        System.out.printf(Locale.ROOT, "%,d commits: median of the last thousand %.1f ms%n", i + 1,
                                percentile(nanos, i + 1 - WINDOW, i + 1, 0.5) / 1e6);
                    }
                }
            }
        } finally {
            if (compaction != null) {
                compaction.stop();
                compactor.join();
            }
        }
        if (!report) {
            return true;
        }
        double firstMedian = percentile(nanos, 0, WINDOW, 0.5);
        double lastMedian = percentile(nanos, commits - WINDOW, commits, 0.5);
        double ratio = lastMedian / firstMedian;
        System.out.printf(Locale.ROOT, "CommitLatencyCheck: %,d sink commits of one row each%s%s%n", commits,
                tombstoneRetention != null ? ", tombstones kept for " + tombstoneRetention : "",
                compact ? String.format(Locale.ROOT, ", compactor beside (%s)", compaction.totals()) : "");
        System.out.printf(Locale.ROOT, "  first thousand: median %.1f ms, p99 %.1f ms%n", firstMedian / 1e6,
                percentile(nanos, 0, WINDOW, 0.99) / 1e6);
        System.out.printf(Locale.ROOT, "  last thousand:  median %.1f ms, p99 %.1f ms%n", lastMedian / 1e6,
                percentile(nanos, commits - WINDOW, commits, 0.99) / 1e6);
        System.out.printf(Locale.ROOT, "  ratio of the medians: %.2f (flat if at most %.1f): %s%n", ratio, MAX_RATIO,
                ratio <= MAX_RATIO ? "FLAT" : "GREW");
        return ratio <= MAX_RATIO;
    }

    /** Sets how long removed files stay in the table's state (and its checkpoints) as tombstones. */
    private static void setTombstoneRetention(Configuration conf, String table, String interval) {
        OptimisticTransaction txn = DeltaLog.forTable(conf, table).startTransaction();
        Metadata metadata = txn.metadata();
        Map<String, String> properties = new HashMap<>(metadata.getConfiguration());
        properties.put("delta.deletedFileRetentionDuration", "interval " + interval);
        txn.updateMetadata(metadata.copyBuilder().configuration(properties).build());
        txn.commit(List.<Action>of(), new Operation(Operation.Name.SET_TABLE_PROPERTIES), "fleetbench-benchmark");
    }

    private static double percentile(long[] values, int from, int to, double p) {
        long[] window = Arrays.copyOfRange(values, from, to);
        Arrays.sort(window);
        return window[Math.min(window.length - 1, (int) Math.floor(p * window.length))];
    }
}
