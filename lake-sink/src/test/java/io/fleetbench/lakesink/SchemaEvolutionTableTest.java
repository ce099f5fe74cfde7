package io.fleetbench.lakesink;

import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.SetTransaction;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.fleetbench.lakesink.TestEvents.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table created and written by a build without the optional columns, or without the provenance
 * columns, is evolved when this build opens it, and delta-kernel reads old and new rows back, null
 * where a row has no value.
 */
class SchemaEvolutionTableTest {
    private static final String SHARD = "shard-1";
    private static final EventFamily FAMILY = EventFamily.CAR_TELEMETRY;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T12:00:00Z"));
    private final JsonCodec codec = new JsonCodec();

    private DeltaLakeSink sink() {
        return new DeltaLakeSink(LakeSinkConfig.defaults(dir.toString()).withBufferLimits(Duration.ofSeconds(5), 1 << 20),
                new SimpleMeterRegistry(), clock);
    }

    private String table() {
        return dir.resolve(FAMILY.wireName()).toString();
    }

    /** The columns of the event table that the first builds did not write: every nullable one. */
    private static Set<String> nullableColumns() {
        return Arrays.stream(DeltaTable.schema(FAMILY).getFields()).filter(StructField::isNullable)
                .map(StructField::getName).collect(Collectors.toSet());
    }

    @Test
    void aTableOfAnOlderBuildGainsTheNullableColumnsAndReadsBackEveryVersion() throws Exception {
        TelemetryEvent old = TestEvents.event(0, 1);
        OlderBuild.writeTable(table(), old, LakeSinkConfig.DEFAULT_APPLICATION_ID + "-" + SHARD, position(0),
                nullableColumns());
        DeltaLog log = DeltaLog.forTable(new Configuration(), table());
        long before = log.update().getVersion();

        TelemetryEvent v1 = TestEvents.event(2, 1);
        String v2Json = new String(codec.encode(TestEvents.event(4, 1), TestEvents.BASE_MILLIS + 4, 2), StandardCharsets.UTF_8)
                .replace("}", ",\"wiper_state\":\"fast\"}");
        TelemetryEvent v2 = codec.decode(v2Json.getBytes(StandardCharsets.UTF_8));
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open(SHARD)) {
            assertFalse(w.append(new SinkRecord(position(0), old)), "the older build's progress still holds");
            assertTrue(w.append(new SinkRecord(position(2), v1)));
            assertTrue(w.append(new SinkRecord(position(4), v2)));
            assertEquals(Optional.of(position(4)), w.flush());
        }

        StructType schema = log.update().getMetadata().getSchema();
        List<String> names = Arrays.stream(schema.getFields()).map(StructField::getName).toList();
        assertEquals(List.of("event_date", "event_hour", "firmware_version", "extras", "shard", "sequence_number",
                "sub_sequence_number"), names.subList(names.size() - 7, names.size()), "added after the table's own columns");
        assertTrue(schema.get("firmware_version").isNullable() && schema.get("extras").isNullable());
        assertEquals(Operation.Name.ADD_COLUMNS.toString(), log.getCommitInfoAt(before + 1).getOperation());
        assertEquals("[\"firmware_version\",\"extras\",\"shard\",\"sequence_number\",\"sub_sequence_number\"]",
                log.getCommitInfoAt(before + 1).getOperationParameters().get("columns"));
        assertEquals(before + 3, log.update().getVersion(), "one commit to add the columns, one to claim the shard, one for the rows");

        Map<String, Map<String, Object>> rows = new KernelReader().rows(table()).stream()
                .collect(Collectors.toMap(r -> (String) r.get("event_id"), Function.identity()));
        assertEquals(3, rows.size());
        for (TelemetryEvent e : List.of(old, v1)) {
            Map<String, Object> row = rows.get(e.eventId());
            assertEquals(1, row.get("schema_version"));
            assertNull(row.get("firmware_version"), e.eventId());
            assertNull(row.get("extras"), e.eventId());
            assertEquals(((CarTelemetry) e).powertrainType(), row.get("powertrain_type"));
        }
        assertNull(rows.get(old.eventId()).get("shard"), "written before the table had the column");
        assertNull(rows.get(old.eventId()).get("sequence_number"));
        assertNull(rows.get(old.eventId()).get("sub_sequence_number"));
        assertEquals(SHARD, rows.get(v1.eventId()).get("shard"));
        assertEquals(position(2).sequence().toString(), rows.get(v1.eventId()).get("sequence_number"));
        assertEquals(0L, rows.get(v1.eventId()).get("sub_sequence_number"));
        Map<String, Object> row2 = rows.get(v2.eventId());
        assertEquals(2, row2.get("schema_version"));
        assertEquals("v2.0.0", row2.get("firmware_version"));
        assertEquals("{\"wiper_state\":\"fast\"}", row2.get("extras"));
        assertEquals(((CarTelemetry) v2).speedKmh(), row2.get("speed_kmh"));

        // The older build's file has no stats; the new one holds the v1 and the v2 row.
        String stats = log.update().getAllFiles().stream().map(AddFile::getStats).filter(Objects::nonNull)
                .findFirst().orElseThrow();
        assertTrue(stats.contains("\"firmware_version\":1,\"extras\":1,\"shard\":0,\"sequence_number\":0,"
                + "\"sub_sequence_number\":0}"), "one null of two rows in each, none in the provenance: " + stats);

        try (DeltaLakeSink sink = sink()) {
            sink.createTables();
        }
        assertEquals(before + 3, log.update().getVersion(), "an evolved table is opened without another commit");
    }

    @Test
    void aTableOfTheBuildBeforeTheProvenanceGainsItsColumnsAndNewRowsFillThem() throws Exception {
        TelemetryEvent old = TestEvents.event(0, 1);
        Set<String> provenance = Set.of(Provenance.SHARD, Provenance.SEQUENCE_NUMBER, Provenance.SUB_SEQUENCE_NUMBER);
        OlderBuild.writeTable(table(), old, LakeSinkConfig.DEFAULT_APPLICATION_ID + "-" + SHARD, position(0), provenance);
        DeltaLog log = DeltaLog.forTable(new Configuration(), table());
        long before = log.update().getVersion();

        TelemetryEvent next = TestEvents.event(2, 1);
        SourcePosition deaggregated = new SourcePosition(position(2).sequence(), 3);
        try (DeltaLakeSink sink = sink(); ShardWriter w = sink.open(SHARD)) {
            assertTrue(w.append(new SinkRecord(deaggregated, next)));
            assertEquals(Optional.of(deaggregated), w.flush());
        }

        assertEquals("[\"shard\",\"sequence_number\",\"sub_sequence_number\"]",
                log.getCommitInfoAt(before + 1).getOperationParameters().get("columns"), "only the provenance was missing");
        StructType schema = log.update().getMetadata().getSchema();
        for (String column : provenance) {
            assertTrue(schema.get(column).isNullable(), column + ": the older rows have no value");
        }
        Map<String, Map<String, Object>> rows = new KernelReader().rows(table()).stream()
                .collect(Collectors.toMap(r -> (String) r.get("event_id"), Function.identity()));
        assertNull(rows.get(old.eventId()).get("shard"));
        assertEquals(SHARD, rows.get(next.eventId()).get("shard"));
        assertEquals(position(2).sequence().toString(), rows.get(next.eventId()).get("sequence_number"));
        assertEquals(3L, rows.get(next.eventId()).get("sub_sequence_number"));
    }

    @Test
    void aNewTableHasTheNullableColumnsFromItsFirstCommit() {
        try (DeltaLakeSink sink = sink()) {
            sink.createTables();
        }
        DeltaLog log = DeltaLog.forTable(new Configuration(), table());
        assertEquals(0, log.update().getVersion());
        assertEquals(DeltaTable.schema(FAMILY), log.update().getMetadata().getSchema());
    }

    /** Writes a table the way an older build did: without some of the columns this build writes. */
    private static final class OlderBuild {
        static void writeTable(String table, TelemetryEvent event, String appId, SourcePosition at, Set<String> without)
                throws IOException {
            Configuration conf = new Configuration();
            StructType schema = new StructType(Arrays.stream(DeltaTable.schema(FAMILY).getFields())
                    .filter(f -> !without.contains(f.getName())).toArray(StructField[]::new));
            MessageType parquet = new MessageType(FAMILY.wireName(), EventWriteSupport.messageType(EventSchema.of(FAMILY))
                    .getFields().stream().filter(t -> !without.contains(t.getName())).toList());
            DeltaLog log = DeltaLog.forTable(conf, table);
            OptimisticTransaction create = log.startTransaction();
            create.updateMetadata(Metadata.builder().name(FAMILY.wireName()).schema(schema)
                    .partitionColumns(List.of(Partition.DATE_COLUMN, Partition.HOUR_COLUMN)).build());
            create.commit(List.<Action>of(), new Operation(Operation.Name.CREATE_TABLE), "older-build");

            Partition partition = Partition.of(event);
            String relative = partition.directory() + "/part-old.snappy.parquet";
            Group row = new SimpleGroupFactory(parquet).newGroup();
            for (Column c : EventSchema.of(FAMILY).columns()) {
                if (without.contains(c.name()) || c.isNull(event)) {
                    continue;
                }
                switch (c.type()) {
                    case STRING -> row.add(c.name(), c.stringValue(event));
                    case INT -> row.add(c.name(), (int) c.longValue(event));
                    case LONG -> row.add(c.name(), c.longValue(event));
                    case DOUBLE -> row.add(c.name(), c.doubleValue(event));
                    case TIMESTAMP_MILLIS -> row.add(c.name(), c.longValue(event) * 1000);
                }
            }
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(table, relative);
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(path, conf))
                    .withConf(conf).withType(parquet).build()) {
                writer.write(row);
            }
            long size = path.getFileSystem(conf).getFileStatus(path).getLen();
            OptimisticTransaction append = log.startTransaction();
            append.commit(List.of(new AddFile(relative, partition.values(), size, 0, true, null, null),
                            new SetTransaction(appId, 0, Optional.empty())),
                    new Operation(Operation.Name.STREAMING_UPDATE, Map.of(), Map.of(),
                            Optional.of(new CommitMark(appId, 0, Optional.of(at)).toJson())), "older-build");
        }
    }
}
