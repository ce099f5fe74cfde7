package io.fleetbench.benchmarks.stage;

import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.CompactionResult;
import io.fleetbench.compactor.Compactor;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;

import java.nio.file.Path;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compactor alone on a table of many small files: the lake sink first writes {@code files} flushes
 * of {@code rowsPerFile} car-telemetry rows of the fleet (one small file each: the fleet's events of a
 * round fall into one hour partition), not measured; then the {@link Compactor} compacts the table
 * once, with the partition counted as closed, toward its default target file size.
 */
final class CompactorStage {
    private CompactorStage() {
    }

    /** One round into a fresh table root. */
    static Map<String, Double> round(long seed, int files, int rowsPerFile, Path tableRoot, BenchProgress progress) {
        Configuration conf = new Configuration();
        String table = writeSmallFiles(seed, files, rowsPerFile, tableRoot, conf, progress);
        Compactor compactor = new Compactor(CompactionOptions.defaults().withClosedPartitions(Duration.ZERO, false),
                conf, new SimpleMeterRegistry(), Clock.systemUTC());
        Meter meter = new Meter();
        CompactionResult result = compactor.compact(table, () -> false,
                p -> progress.update(p.partitionsDone(), p.partitionsPlanned(), "partitions compacted"));
        meter.stop();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("rows", (double) files * rowsPerFile);
        f.put("files_in", (double) result.filesRemoved());
        f.put("files_out", (double) result.filesAdded());
        f.put("mb_read", result.bytesRead() / 1e6);
        f.put("mb_written", result.bytesWritten() / 1e6);
        f.put("seconds", meter.wallSeconds());
        f.put("mb_per_s", result.bytesRead() / 1e6 / meter.wallSeconds());
        f.put("mb_per_cpu_s", result.bytesRead() / 1e6 / Math.max(1e-9, meter.cpuSeconds()));
        f.put("commits", (double) result.commits());
        return f;
    }

    /** Writes the small files, one sink flush each; returns the table's path. */
    private static String writeSmallFiles(long seed, int files, int rowsPerFile, Path tableRoot, Configuration conf,
                                          BenchProgress progress) {
        LakeSinkConfig config = LakeSinkConfig.defaults(tableRoot.toString()).withBufferLimits(Duration.ofHours(1), 1L << 30);
        Fleet fleet = new Fleet(GeneratorStage.fleet(seed));
        long clock = fleet.startEpochMillis();
        BigInteger sequence = BigInteger.valueOf(49_000_000_000L).shiftLeft(64);
        try (DeltaLakeSink sink = new DeltaLakeSink(config, conf, new SimpleMeterRegistry(), Clock.systemUTC());
             ShardWriter writer = sink.open("shardId-000000000000")) {
            for (int f = 0; f < files; f++) {
                for (int r = 0; r < rowsPerFile; r++) {
                    TelemetryEvent e = fleet.next(clock++);
                    while (e.family() != EventFamily.CAR_TELEMETRY) {
                        e = fleet.next(clock++);
                    }
                    sequence = sequence.add(BigInteger.ONE);
                    writer.append(new SinkRecord(new SourcePosition(sequence, 0), e));
                }
                writer.flush();
                progress.update(f + 1L, files, "small files written");
            }
            return sink.tablePath(EventFamily.CAR_TELEMETRY);
        }
    }
}
