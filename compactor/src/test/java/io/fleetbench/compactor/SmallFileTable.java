package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.types.DoubleType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.delta.standalone.types.TimestampType;
import io.fleetbench.lake.LocalLogStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test table partitioned by event_date and event_hour, filled with many small files by blind
 * appends through delta-standalone, the way a streaming sink leaves it.
 */
final class SmallFileTable {
    static final MessageType PARQUET = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
            .required(PrimitiveTypeName.INT64).named("seq")
            .required(PrimitiveTypeName.DOUBLE).named("reading")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("event_time")
            .named("events");
    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("event_id", new StringType(), false),
        new StructField("seq", new LongType(), false),
        new StructField("reading", new DoubleType(), false),
        new StructField("event_time", new TimestampType(), false),
        new StructField("event_date", new StringType(), false),
        new StructField("event_hour", new IntegerType(), false)});

    private final Configuration conf = LocalLogStore.configuration();
    private final Path root;
    private final DeltaLog log;

    SmallFileTable(String path) {
        this.root = new Path(path);
        this.log = DeltaLog.forTable(conf, root);
    }

    void create() {
        OptimisticTransaction txn = log.startTransaction();
        txn.updateMetadata(Metadata.builder().schema(SCHEMA).partitionColumns(List.of("event_date", "event_hour"))
                .build());
        txn.commit(List.<Action>of(), new Operation(Operation.Name.CREATE_TABLE), "test");
    }

    /** The canonical text of a row, as the kernel reader renders it. */
    static String row(String id, long seq, double reading, long timeMicros, String date, int hour) {
        return id + "|" + seq + "|" + reading + "|" + timeMicros + "|" + date + "|" + hour;
    }

    /** Appends one file of rows {@code first..first+count-1} to a partition and returns their text. */
    List<String> append(String prefix, int first, int count, int hour) {
        return appendFiles(prefix, first, 1, count, hour);
    }

    /** Appends {@code files} files of {@code rowsPerFile} rows each in one commit and returns their text. */
    List<String> appendFiles(String prefix, int first, int files, int rowsPerFile, int hour) {
        List<String> rows = new ArrayList<>();
        List<AddFile> adds = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            adds.add(writeFile(prefix, first + f * rowsPerFile, rowsPerFile, hour, rows));
        }
        log.startTransaction().commit(adds, new Operation(Operation.Name.WRITE), "test");
        return rows;
    }

    private AddFile writeFile(String prefix, int first, int count, int hour, List<String> rows) {
        String date = "2024-03-01";
        String relative = "event_date=" + date + "/event_hour=" + hour + "/part-" + UUID.randomUUID() + ".parquet";
        Path file = new Path(root, relative);
        SimpleGroupFactory groups = new SimpleGroupFactory(PARQUET);
        try {
            try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                    .withConf(conf).withType(PARQUET).build()) {
                for (int i = first; i < first + count; i++) {
                    String id = prefix + "-" + i;
                    double reading = i * 0.25;
                    long micros = (1_709_251_200_000L + hour * 3_600_000L + i) * 1000;
                    w.write(groups.newGroup().append("event_id", id).append("seq", (long) i)
                            .append("reading", reading).append("event_time", micros));
                    rows.add(row(id, i, reading, micros, date, hour));
                }
            }
            long size = file.getFileSystem(conf).getFileStatus(file).getLen();
            return new AddFile(relative, Map.of("event_date", date, "event_hour", Integer.toString(hour)), size,
                    System.currentTimeMillis(), true, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int fileCount() {
        return log.update().getAllFiles().size();
    }

    List<AddFile> files() {
        return log.update().getAllFiles();
    }
}
