package io.fleetbench.benchmarks;

import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The lake sink alone on one thread, in rows per second: recorded car-telemetry payloads (JSON, as the
 * consumer receives them) are decoded and appended to one source's writer, which encodes them into
 * Parquet as they come, and each batch of {@value #BATCH} rows is committed to a Delta table on the
 * local disk with its {@code txn} bookkeeping. {@link #decodeOnly} is the baseline run beside it: the
 * same payloads through the codec alone, so the ratio of the two is what Parquet and Delta add.
 *
 * <p>At the end of the trial the fork prints the process's CPU seconds per million rows (every thread:
 * JIT, GC and Parquet's as well as the benchmark's).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 3, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 3, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class SinkBenchmark {
    static final int BATCH = 50_000;
    private static final int RECORDED = 200_000;

    private final JsonCodec codec = new JsonCodec();
    private final List<byte[]> payloads = new ArrayList<>(RECORDED);
    private Path dir;
    private DeltaLakeSink sink;
    private ShardWriter writer;
    private BigInteger sequence = BigInteger.valueOf(49_000_000_000L).shiftLeft(64);
    private int next;
    private long rows;
    private long cpuNanosAtStart;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Fleet fleet = new Fleet(FleetConfig.defaults().withSeed(42).withDevices(20_000, 0));
        long clock = fleet.startEpochMillis();
        while (payloads.size() < RECORDED) {
            TelemetryEvent e = fleet.next(clock++);
            if (e.family() == EventFamily.CAR_TELEMETRY) {
                payloads.add(codec.encode(e));
            }
        }
        dir = Files.createTempDirectory("fleetbench-sink-bench");
        LakeSinkConfig config = LakeSinkConfig.defaults(dir.toString()).withBufferLimits(Duration.ofHours(1), 1L << 30);
        sink = new DeltaLakeSink(config, new SimpleMeterRegistry(), Clock.systemUTC());
        writer = sink.open("shardId-000000000000");
        cpuNanosAtStart = processCpuNanos();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        double cpuSeconds = (processCpuNanos() - cpuNanosAtStart) / 1e9;
        if (rows > 0) {
            System.out.printf("%nSinkBenchmark: %,d rows through the sink (warm-up included), %.2f CPU-seconds per"
                    + " million rows%n", rows, cpuSeconds / (rows / 1e6));
        }
        writer.close();
        sink.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Decodes a batch of payloads, writes them as Parquet and commits them to the Delta table. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decodeWriteCommit(Blackhole bh) throws InvalidEventException {
        for (int i = 0; i < BATCH; i++) {
            sequence = sequence.add(BigInteger.ONE);
            writer.append(new SinkRecord(new SourcePosition(sequence, 0), codec.decode(nextPayload())));
        }
        bh.consume(writer.flush());
        rows += BATCH;
    }

    /** The baseline: the same payloads through the codec alone. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decodeOnly(Blackhole bh) throws InvalidEventException {
        for (int i = 0; i < BATCH; i++) {
            bh.consume(codec.decode(nextPayload()));
        }
    }

    private byte[] nextPayload() {
        byte[] p = payloads.get(next);
        next = next + 1 == payloads.size() ? 0 : next + 1;
        return p;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
