package io.fleetbench.benchmarks;

import io.fleetbench.lakesink.EventParquetWriter;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.TelemetryEvent;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parquet encoding alone, in rows per second on one thread: car-telemetry rows of a simulated fleet
 * (generated before the measurement), each at its own position of one shard as a writer of that shard
 * writes them (a Kinesis-sized sequence number parsed from its decimal text, sub-sequence 0), go through
 * the sink's Parquet writer and file statistics ({@link EventParquetWriter}) into files of
 * {@code rowsPerFile} rows whose bytes are counted and dropped, so neither the disk nor a Delta commit is
 * measured. Each invocation writes {@value #ROWS} rows: one large file, or many small ones as a streaming
 * sink leaves them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 3, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 3, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class ParquetEncodingBenchmark {
    static final int ROWS = 50_000;
    private static final String SHARD = "shardId-000000000000";
    /** A sequence number of 56 decimal digits, as Kinesis hands them out. */
    private static final BigInteger FIRST_SEQUENCE = new BigInteger("49650290000000000000000000000000000000000000000000000000");

    @Param({"1000", "50000"})
    public int rowsPerFile;

    private final Configuration conf = new Configuration();
    private final List<SinkRecord> rows = new ArrayList<>(ROWS);

    @Setup
    public void setUp() {
        Fleet fleet = new Fleet(FleetConfig.defaults().withSeed(42).withDevices(20_000, 0));
        long clock = fleet.startEpochMillis();
        while (rows.size() < ROWS) {
            TelemetryEvent e = fleet.next(clock++);
            if (e.family() == EventFamily.CAR_TELEMETRY) {
                // Parsed from text, as the consumer gets sequence numbers from the KCL.
                String sequence = FIRST_SEQUENCE.add(BigInteger.valueOf(rows.size())).toString();
                rows.add(new SinkRecord(SourcePosition.of(sequence, 0), e));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void encodeCarRows(Blackhole bh) throws IOException {
        for (int start = 0; start < ROWS; start += rowsPerFile) {
            CountingOutputFile file = new CountingOutputFile();
            try (EventParquetWriter writer = EventParquetWriter.open(EventFamily.CAR_TELEMETRY, SHARD, file, conf,
                    LakeSinkConfig.DEFAULT_ROW_GROUP_BYTES)) {
                int end = Math.min(ROWS, start + rowsPerFile);
                for (int i = start; i < end; i++) {
                    writer.write(rows.get(i));
                }
                bh.consume(writer.statsJson());
            }
            bh.consume(file.bytes);
        }
    }

    /** A file that only counts the bytes written to it. */
    private static final class CountingOutputFile implements OutputFile {
        long bytes;

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return bytes;
                }

                @Override
                public void write(int b) {
                    bytes++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes += len;
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
