package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.fleetbench.lake.LocalLogStore;
import io.fleetbench.lake.TableRows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rows' provenance (shard, sequence_number, sub_sequence_number, as the lake sink writes them)
 * survives compaction, also in a partition whose files were written before and after the table gained
 * those columns, as delta-kernel reads the table back.
 */
class ProvenanceCompactionTest {
    /** The compactor's clock; files are written a minute before. */
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static final String DATE = "2024-03-01";
    private static final int HOUR = 7;
    /** A Kinesis sequence number: 56 decimal digits. */
    private static final BigInteger FIRST_SEQUENCE =
            new BigInteger("49650290000000000000000000000000000000000000000000000000");

    /** An event file of an older sink: no provenance. */
    private static final MessageType BEFORE = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
            .required(PrimitiveTypeName.INT64).named("seq")
            .named("events");
    /** An event file of the sink since: the provenance columns are optional, as in its files. */
    private static final MessageType AFTER = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
            .required(PrimitiveTypeName.INT64).named("seq")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("shard")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("sequence_number")
            .optional(PrimitiveTypeName.INT64).named("sub_sequence_number")
            .named("events");
    private static final StructType OLD_SCHEMA = new StructType(new StructField[] {
        new StructField("event_id", new StringType(), false),
        new StructField("seq", new LongType(), false),
        new StructField("event_date", new StringType(), false),
        new StructField("event_hour", new IntegerType(), false)});

    @TempDir
    java.nio.file.Path dir;

    private final Configuration conf = LocalLogStore.configuration();

    /** A row's provenance as written, or all null for a row written before the columns. */
    private record Provenance(String shard, String sequenceNumber, Long subSequenceNumber) {
    }

    @Test
    void compactedRowsKeepTheirShardAndPositionAndOlderRowsStayNull() throws IOException {
        String table = dir.resolve("car_telemetry").toString();
        DeltaLog log = DeltaLog.forTable(conf, table);
        OptimisticTransaction create = log.startTransaction();
        create.updateMetadata(Metadata.builder().schema(OLD_SCHEMA)
                .partitionColumns(List.of("event_date", "event_hour")).build());
        create.commit(List.<Action>of(), new Operation(Operation.Name.CREATE_TABLE), "test");

        Map<String, Provenance> expected = new HashMap<>();
        List<AddFile> older = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            older.add(writeFile(table, BEFORE, f * 10, 10, null, expected));
        }
        log.startTransaction().commit(older, new Operation(Operation.Name.WRITE), "test");

        // The sink adds the provenance as nullable columns after the table's own, then writes them.
        OptimisticTransaction evolve = log.startTransaction();
        List<StructField> fields = new ArrayList<>(Arrays.asList(OLD_SCHEMA.getFields()));
        fields.add(new StructField("shard", new StringType(), true));
        fields.add(new StructField("sequence_number", new StringType(), true));
        fields.add(new StructField("sub_sequence_number", new LongType(), true));
        evolve.updateMetadata(evolve.metadata().copyBuilder().schema(new StructType(fields.toArray(StructField[]::new)))
                .build());
        evolve.commit(List.<Action>of(), new Operation(Operation.Name.ADD_COLUMNS), "test");
        List<AddFile> newer = new ArrayList<>();
        newer.add(writeFile(table, AFTER, 100, 10, "shardId-000000000001", expected));
        newer.add(writeFile(table, AFTER, 200, 10, "shardId-000000000002", expected));
        newer.add(writeFile(table, AFTER, 300, 10, "shardId-000000000001", expected));
        log.startTransaction().commit(newer, new Operation(Operation.Name.WRITE), "test");
        assertEquals(expected, provenanceById(table), "as written, before compaction");

        CompactionOptions options = CompactionOptions.defaults().withTargetFileBytes(1 << 20)
                .withClosedPartitions(Duration.ZERO, false);
        CompactionResult result = new Compactor(options, new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC)).compact(table);

        List<AddFile> files = log.update().getAllFiles();
        assertEquals(1, files.size(), "the six files of the partition in one: " + result);
        assertEquals(expected, provenanceById(table), "the same provenance after compaction");
        String stats = files.get(0).getStats();
        assertTrue(stats.contains("\"sub_sequence_number\":30") && stats.contains("\"shard\":30"),
                "thirty older rows are null in the provenance: " + stats);
        assertTrue(stats.contains("\"shard\":\"shardId-000000000001\"")
                && stats.contains("\"shard\":\"shardId-000000000002\""), "the shard's bounds: " + stats);
        Map<String, Object> older0 = TableRows.read(table).stream().filter(r -> r.get("event_id").equals("e-0"))
                .findFirst().orElseThrow();
        assertNull(older0.get("shard"));
    }

    private Map<String, Provenance> provenanceById(String table) {
        Map<String, Provenance> rows = new HashMap<>();
        for (Map<String, Object> r : TableRows.read(table)) {
            rows.put((String) r.get("event_id"), new Provenance((String) r.get("shard"),
                    (String) r.get("sequence_number"), (Long) r.get("sub_sequence_number")));
        }
        return rows;
    }

    /**
     * Writes rows {@code first..first+count-1} into a file of the partition; with a shard, as records of it
     * at 56-digit sequence numbers, every second one de-aggregated from the previous one's aggregate.
     */
    private AddFile writeFile(String table, MessageType schema, int first, int count, String shard,
                              Map<String, Provenance> expected) throws IOException {
        String relative = "event_date=" + DATE + "/event_hour=" + HOUR + "/part-" + UUID.randomUUID() + ".parquet";
        Path file = new Path(table, relative);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf).withType(schema).build()) {
            for (int i = first; i < first + count; i++) {
                Group g = groups.newGroup().append("event_id", "e-" + i).append("seq", (long) i);
                Provenance p = new Provenance(null, null, null);
                if (shard != null) {
                    String sequence = FIRST_SEQUENCE.add(BigInteger.valueOf(1_000_003L * (i / 2))).toString();
                    p = new Provenance(shard, sequence, (long) (i % 2));
                    g.append("shard", shard).append("sequence_number", sequence)
                            .append("sub_sequence_number", (long) (i % 2));
                }
                w.write(g);
                expected.put("e-" + i, p);
            }
        }
        long size = file.getFileSystem(conf).getFileStatus(file).getLen();
        return new AddFile(relative, Map.of("event_date", DATE, "event_hour", Integer.toString(HOUR)), size,
                NOW.toEpochMilli() - 60_000, true, null, null);
    }
}
