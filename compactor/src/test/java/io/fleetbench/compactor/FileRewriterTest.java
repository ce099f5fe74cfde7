package io.fleetbench.compactor;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files from before and after a table gained an optional column are compacted together. */
class FileRewriterTest {
    private static final MessageType BEFORE = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
            .required(PrimitiveTypeName.INT64).named("seq")
            .named("events");
    private static final MessageType AFTER = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
            .required(PrimitiveTypeName.INT64).named("seq")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("firmware_version")
            .named("events");

    @TempDir
    java.nio.file.Path dir;

    private final Configuration conf = new Configuration();

    private Path write(String name, MessageType schema, String... rows) throws IOException {
        Path file = new Path(dir.resolve(name).toString());
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf).withType(schema).build()) {
            for (String row : rows) {
                String[] v = row.split("\\|");
                Group g = groups.newGroup().append("event_id", v[0]).append("seq", Long.parseLong(v[1]));
                if (v.length > 2) {
                    g.append("firmware_version", v[2]);
                }
                w.write(g);
            }
        }
        return file;
    }

    private List<String> read(Path file) throws IOException {
        List<String> rows = new ArrayList<>();
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                String firmware = g.getFieldRepetitionCount("firmware_version") == 0 ? "null"
                        : g.getString("firmware_version", 0);
                rows.add(g.getString("event_id", 0) + "|" + g.getLong("seq", 0) + "|" + firmware);
            }
        }
        return rows;
    }

    @Test
    void filesWithoutAnAddedOptionalColumnAreCopiedWithNullsInIt() throws IOException {
        Path before = write("before.parquet", BEFORE, "a|1", "b|2");
        Path after = write("after.parquet", AFTER, "c|3", "d|4|v2.0.0");
        Path out = new Path(dir.resolve("out.parquet").toString());

        FileRewriter.Rewritten r = new FileRewriter(conf).rewrite(List.of(before, after), out);

        assertEquals(4, r.rows());
        assertEquals(List.of("a|1|null", "b|2|null", "c|3|null", "d|4|v2.0.0"), read(out));
        assertTrue(r.escapedStats().contains("\\\"firmware_version\\\":3"), "three nulls: " + r.escapedStats());
        assertTrue(r.escapedStats().contains("\\\"firmware_version\\\":\\\"v2.0.0\\\""), r.escapedStats());
    }

    @Test
    void aRequiredColumnSomeFileLacksIsRefused() throws IOException {
        MessageType other = Types.buildMessage()
                .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
                .required(PrimitiveTypeName.INT64).named("seq")
                .required(PrimitiveTypeName.INT64).named("trip_number")
                .named("events");
        Path before = write("before.parquet", BEFORE, "a|1");
        Path file = new Path(dir.resolve("other.parquet").toString());
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf).withType(other).build()) {
            w.write(new SimpleGroupFactory(other).newGroup().append("event_id", "x").append("seq", 1L)
                    .append("trip_number", 7L));
        }
        Path out = new Path(dir.resolve("out.parquet").toString());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new FileRewriter(conf).rewrite(List.of(before, file), out));
        assertTrue(e.getMessage().startsWith("files of one bin must share a flat schema"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("out.parquet")), "nothing written for a refused bin");
    }
}
