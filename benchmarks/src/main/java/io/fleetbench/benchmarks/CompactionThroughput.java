package io.fleetbench.benchmarks;

import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.CompactionResult;
import io.fleetbench.compactor.Compactor;
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
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Compaction throughput on a table of many small files: the lake sink writes {@code flushes} batches of
 * {@code rowsPerFlush} car-telemetry rows of a simulated fleet (each flush leaves one small file in every
 * hour partition its rows fall into), and the compactor rewrites them toward 128 MiB files. Each round
 * prints the bytes read per wall second, per CPU-second of the whole process (MB/s per core: every
 * thread, GC and JIT included) and the CPU-seconds per GB read; a first round a tenth the size only warms
 * the JIT up. The summary line gives the medians over the measured rounds.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl benchmarks -am package
 * java -cp benchmarks/target/benchmarks.jar io.fleetbench.benchmarks.CompactionThroughput [flushes, default 100] [rowsPerFlush, default 10000] [rounds, default 3]
 * </pre>
 */
public final class CompactionThroughput {
    private static final double MB = 1e6;

    private CompactionThroughput() {
    }

    /** One compaction: what it read and wrote, and the time and CPU it took. */
    private record Round(long rows, long files, long bytesRead, long bytesWritten, double wallSeconds, double cpuSeconds) {
        double mbPerSecond() {
            return bytesRead / MB / wallSeconds;
        }

        double mbPerCpuSecond() {
            return bytesRead / MB / cpuSeconds;
        }

        double cpuSecondsPerGb() {
            return cpuSeconds / (bytesRead / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        int flushes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rowsPerFlush = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Fleet fleet = new Fleet(FleetConfig.defaults().withSeed(42).withDevices(20_000, 0));
        round(fleet, Math.max(2, flushes / 10), rowsPerFlush);
        List<Round> measured = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Round m = round(fleet, flushes, rowsPerFlush);
            measured.add(m);
            System.out.printf(Locale.ROOT, "round %d: %,d files, %,d rows, %.1f MB -> %.1f MB in %.2f s, %.2f CPU-s:"
                            + " %.1f MB/s, %.1f MB/s per core, %.1f CPU-s per GB%n", r + 1, m.files(), m.rows(),
                    m.bytesRead() / MB, m.bytesWritten() / MB, m.wallSeconds(), m.cpuSeconds(), m.mbPerSecond(),
                    m.mbPerCpuSecond(), m.cpuSecondsPerGb());
        }
        System.out.printf(Locale.ROOT, "CompactionThroughput (%d cores, median of %d rounds of %,d flushes x %,d rows,"
                        + " %,.0f files): %.1f MB/s, %.1f MB/s per core, %.1f CPU-seconds per GB, %,.0f rows/s%n",
                Runtime.getRuntime().availableProcessors(), rounds, flushes, rowsPerFlush,
                median(measured, m -> (double) m.files()),
                median(measured, Round::mbPerSecond), median(measured, Round::mbPerCpuSecond),
                median(measured, Round::cpuSecondsPerGb), median(measured, m -> m.rows() / m.wallSeconds()));
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> f) {
        double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Round round(Fleet fleet, int flushes, int rowsPerFlush) throws IOException {
        Path dir = Files.createTempDirectory("fleetbench-compaction-bench");
        try {
            LakeSinkConfig config = LakeSinkConfig.defaults(dir.toString()).withBufferLimits(Duration.ofHours(1), 1L << 30);
            long clock = fleet.startEpochMillis();
            String table;
            Configuration conf = new Configuration();
            try (DeltaLakeSink sink = new DeltaLakeSink(config, conf, new SimpleMeterRegistry(), Clock.systemUTC())) {
                table = sink.tablePath(EventFamily.CAR_TELEMETRY);
                BigInteger sequence = BigInteger.valueOf(49_000_000_000L).shiftLeft(64);
                try (ShardWriter writer = sink.open("shardId-000000000000")) {
                    for (int f = 0; f < flushes; f++) {
                        for (int r = 0; r < rowsPerFlush; r++) {
                            TelemetryEvent e = fleet.next(clock);
                            while (e.family() != EventFamily.CAR_TELEMETRY) {
                                e = fleet.next(clock);
                            }
                            sequence = sequence.add(BigInteger.ONE);
                            writer.append(new SinkRecord(new SourcePosition(sequence, 0), e));
                        }
                        writer.flush();
                    }
                }
            }
            Compactor compactor = new Compactor(CompactionOptions.defaults().withClosedPartitions(Duration.ZERO, false),
                    conf, new SimpleMeterRegistry(), Clock.systemUTC());
            long cpu = processCpuNanos();
            long wall = System.nanoTime();
            CompactionResult result = compactor.compact(table);
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
            return new Round((long) flushes * rowsPerFlush, result.filesRemoved(), result.bytesRead(), result.bytesWritten(),
                    wallSeconds, cpuSeconds);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
