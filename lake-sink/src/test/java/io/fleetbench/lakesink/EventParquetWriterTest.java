package io.fleetbench.lakesink;

import io.fleetbench.sink.SinkRecord;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parquet encoding alone: the file holds the rows in the table's columns, with the statistics the sink commits. */
class EventParquetWriterTest {

    @Test
    void writesTheRowsInTheSinksFormatWithTheirStatistics(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cars.parquet");
        String stats;
        try (EventParquetWriter writer = EventParquetWriter.open(EventFamily.CAR_TELEMETRY, "shardId-000000000001",
                new LocalOutputFile(file), new Configuration(), LakeSinkConfig.DEFAULT_ROW_GROUP_BYTES)) {
            for (int i = 0; i < 200; i += 2) {
                writer.write(TestEvents.record(i, 1));
            }
            SinkRecord bike = TestEvents.record(1, 1);
            assertThrows(IllegalArgumentException.class, () -> writer.write(bike));
            stats = writer.statsJson();
        }
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            assertEquals(100, reader.getRecordCount());
            assertEquals(EventWriteSupport.messageType(EventSchema.of(EventFamily.CAR_TELEMETRY)),
                    reader.getFooter().getFileMetaData().getSchema());
            Map<String, Set<Encoding>> encodings = new HashMap<>();
            Map<String, ColumnChunkMetaData> chunks = new HashMap<>();
            for (ColumnChunkMetaData c : reader.getFooter().getBlocks().get(0).getColumns()) {
                encodings.put(c.getPath().toDotString(), c.getEncodings());
                chunks.put(c.getPath().toDotString(), c);
            }
            assertTrue(dictionary(encodings.get(Provenance.SHARD)),
                    "one shard per file: dictionary-encoded, found " + encodings.get(Provenance.SHARD));
            for (String plain : new String[] {Provenance.SEQUENCE_NUMBER, Provenance.SUB_SEQUENCE_NUMBER, "event_id"}) {
                assertFalse(dictionary(encodings.get(plain)), plain + ": differs on every row, found " + encodings.get(plain));
            }
            for (String column : new String[] {Provenance.SHARD, Provenance.SEQUENCE_NUMBER}) {
                assertTrue(chunks.get(column).getStatistics().isEmpty(), column + ": bounds in the Delta statistics only");
            }
            assertFalse(chunks.get("event_id").getStatistics().isEmpty());
        }
        assertTrue(stats.contains("numRecords") && stats.contains("100"), stats);
        assertTrue(stats.contains("\\\"shard\\\":\\\"shardId-000000000001\\\""), stats);
        assertTrue(stats.contains("\\\"sequence_number\\\":\\\"" + TestEvents.position(0).sequenceText() + "\\\""), stats);
    }

    private static boolean dictionary(Set<Encoding> encodings) {
        return encodings.contains(Encoding.RLE_DICTIONARY) || encodings.contains(Encoding.PLAIN_DICTIONARY);
    }
}
