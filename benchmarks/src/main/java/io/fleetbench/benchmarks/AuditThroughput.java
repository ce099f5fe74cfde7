package io.fleetbench.benchmarks;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;
import io.fleetbench.runner.audit.RunAudit;
import io.fleetbench.runner.pipeline.LakeLayout;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.manifest.AckLedger;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import io.fleetbench.telemetry.manifest.Outcome;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The exact audit at scale: a lake of {@code devices x eventsPerDevice} rows (by default 10 million
 * devices, 100 million rows) and the acknowledgement manifest of the fleet that sent them, then the audit
 * of it, reporting rows read per second and the heap's peak. A share of the events ({@code resendShare},
 * default 0.1 %) is in the lake twice at different stream positions, as producer re-sends after ambiguous
 * attempts, so that the audit's second pass (positions of repeated events) runs too.
 *
 * <p>The table keeps only the columns the audit reads (event id, schema version and the stream position),
 * so that writing a hundred million rows takes a minute or two rather than the sink's quarter of an hour;
 * the lake and manifest are kept in the folder and reused by later runs with the same sizes.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl benchmarks -am package
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.fleetbench.benchmarks.AuditThroughput \
 *     [folder, default target/audit-bench] [devices, default 10000000] [eventsPerDevice, default 10] [resendShare, default 0.001]
 * </pre>
 */
public final class AuditThroughput {
    private static final long SEED = 42;
    private static final int ROWS_PER_FILE = 2_000_000;
    private static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
            .required(PrimitiveTypeName.INT32).named("schema_version")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("shard")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("sequence_number")
            .required(PrimitiveTypeName.INT64).named("sub_sequence_number")
            .named("car_telemetry");

    private AuditThroughput() {
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Path folder = java.nio.file.Path.of(args.length > 0 ? args[0] : "target/audit-bench");
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 10_000_000;
        int perDevice = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        double resendShare = args.length > 3 ? Double.parseDouble(args[3]) : 0.001;
        java.nio.file.Path run = folder.resolve(devices + "x" + perDevice);
        java.nio.file.Path lake = run.resolve("lake");
        if (!Files.exists(run.resolve(AckManifest.FILE_NAME))) {
            Files.createDirectories(run);
            generate(run, lake, devices, perDevice, resendShare);
        } else {
            System.out.printf("reusing the lake and manifest in %s%n", run);
        }
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        long[] rowsRead = {0};
        long[] nextLine = {t0};
        RunAudit.Result result = RunAudit.judge(new RunAudit.Inputs(new LakeLayout(lake.toString()),
                AckManifest.find(run), EventSchema.CURRENT_VERSION, null, Map.of(), Optional.empty()),
                (done, total, rows, what) -> {
                    rowsRead[0] = rows;
                    if (System.nanoTime() >= nextLine[0]) {
                        System.out.printf(Locale.ROOT, "audit: %d/%d files, %,d rows read (%s)%n", done, total, rows,
                                what);
                        nextLine[0] = System.nanoTime() + 10_000_000_000L;
                    }
                });
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (cpuNanos() - cpu0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        RunReport.Audit a = result.audit();
        StringBuilder b = new StringBuilder();
        ReportWriter.audit(b, a);
        System.out.print(b);
        long lakeRows = a.rowsInLake();
        System.out.printf(Locale.ROOT, "audited %,d rows (%,d read over both passes) of %,d devices in %.1f s: %,.0f rows/s"
                        + " of the lake, %,.0f rows read/s, %.1f CPU-s; heap peak %,d MiB of max %,d MiB%n",
                lakeRows, rowsRead[0], devices, seconds, lakeRows / seconds, rowsRead[0] / seconds, cpuSeconds,
                peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        if (!a.passed()) {
            System.exit(1);
        }
    }

    /** Writes the lake (files of {@value #ROWS_PER_FILE} rows, seq-major: every device's n-th event, then n+1) and the manifest. */
    private static void generate(java.nio.file.Path run, java.nio.file.Path lake, int devices, int perDevice,
                                 double resendShare) throws IOException {
        EventIds ids = new EventIds(SEED);
        AckLedger ledger = new AckLedger(devices, 0);
        String table = lake.resolve(EventFamily.CAR_TELEMETRY.wireName()).toString();
        Configuration conf = new Configuration();
        DeltaLog log = DeltaLog.forTable(conf, table);
        long resendEvery = resendShare > 0 ? Math.round(1 / resendShare) : Long.MAX_VALUE;
        long t0 = System.nanoTime();
        long total = (long) devices * perDevice;
        long row = 0;
        long written = 0;
        int file = 0;
        List<AddFile> pending = new ArrayList<>();
        ParquetWriter<long[]> writer = null;
        String fileName = null;
        long inFile = 0;
        long[] values = new long[3];
        for (int seq = 1; seq <= perDevice; seq++) {
            for (int d = 0; d < devices; d++) {
                long key = EventIds.key(true, d, seq);
                ledger.record(key, Outcome.ACKNOWLEDGED);
                boolean resend = row % resendEvery == resendEvery - 1;
                if (resend) {
                    ledger.record(key, Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS);
                }
                for (int copy = 0; copy < (resend ? 2 : 1); copy++) {
                    if (writer == null) {
                        fileName = String.format(Locale.ROOT, "part-%05d.snappy.parquet", file++);
                        writer = open(new Path(table, fileName), conf);
                        inFile = 0;
                    }
                    values[0] = key;
                    values[1] = written;
                    values[2] = d % 8;
                    writer.write(values);
                    written++;
                    inFile++;
                    if (inFile == ROWS_PER_FILE) {
                        writer.close();
                        pending.add(addFile(table, fileName, conf));
                        writer = null;
                    }
                }
                row++;
            }
            System.out.printf(Locale.ROOT, "generating: %,d of %,d events, %,d rows, %.0f s%n", row, total, written,
                    (System.nanoTime() - t0) / 1e9);
            if (pending.size() >= 10) {
                commit(log, pending);
            }
        }
        if (writer != null) {
            writer.close();
            pending.add(addFile(table, fileName, conf));
        }
        commit(log, pending);
        AckManifest.write(run.resolve(AckManifest.FILE_NAME), new ManifestHeader(SEED, devices, 0, "1/1",
                "audit-bench", true, System.currentTimeMillis(), Map.of("acknowledged", total)), ledger);
        System.out.printf(Locale.ROOT, "generated %,d rows of %,d devices and their manifest in %.0f s%n", written,
                devices, (System.nanoTime() - t0) / 1e9);
    }

    private static void commit(DeltaLog log, List<AddFile> files) {
        if (files.isEmpty()) {
            return;
        }
        OptimisticTransaction txn = log.startTransaction();
        if (log.snapshot().getVersion() < 0) {
            txn.updateMetadata(Metadata.builder().schema(new StructType(new StructField[]{
                    new StructField("event_id", new StringType(), false),
                    new StructField("schema_version", new IntegerType(), false),
                    new StructField("shard", new StringType(), false),
                    new StructField("sequence_number", new StringType(), false),
                    new StructField("sub_sequence_number", new LongType(), false)})).build());
        }
        txn.commit(files, new Operation(Operation.Name.WRITE), "fleetbench-audit-bench");
        files.clear();
    }

    private static AddFile addFile(String table, String name, Configuration conf) throws IOException {
        long size = new Path(table, name).getFileSystem(conf).getFileStatus(new Path(table, name)).getLen();
        return new AddFile(name, new HashMap<>(), size, System.currentTimeMillis(), true, null, null);
    }

    private static ParquetWriter<long[]> open(Path path, Configuration conf) throws IOException {
        EventIds ids = new EventIds(SEED);
        WriteSupport<long[]> support = new WriteSupport<>() {
            private RecordConsumer consumer;

            @Override
            public WriteContext init(Configuration configuration) {
                return new WriteContext(SCHEMA, Map.of());
            }

            @Override
            public void prepareForWrite(RecordConsumer recordConsumer) {
                consumer = recordConsumer;
            }

            @Override
            public void write(long[] v) {
                long key = v[0];
                consumer.startMessage();
                field(0, "event_id", Binary.fromString(ids.eventId(true, EventIds.device(key), EventIds.seq(key))));
                consumer.startField("schema_version", 1);
                consumer.addInteger(EventSchema.CURRENT_VERSION);
                consumer.endField("schema_version", 1);
                field(2, "shard", Binary.fromString("shardId-00000000000" + v[2]));
                field(3, "sequence_number", Binary.fromString(Long.toString(1_000_000_000_000L + v[1])));
                consumer.startField("sub_sequence_number", 4);
                consumer.addLong(0);
                consumer.endField("sub_sequence_number", 4);
                consumer.endMessage();
            }

            private void field(int i, String name, Binary value) {
                consumer.startField(name, i);
                consumer.addBinary(value);
                consumer.endField(name, i);
            }
        };
        return new Builder(HadoopOutputFile.fromPath(path, conf), support).withConf(conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withDictionaryEncoding(false).build();
    }

    /** A Parquet writer builder of the narrow rows. */
    private static final class Builder extends ParquetWriter.Builder<long[], Builder> {
        private final WriteSupport<long[]> support;

        Builder(org.apache.parquet.io.OutputFile file, WriteSupport<long[]> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<long[]> getWriteSupport(Configuration conf) {
            return support;
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
