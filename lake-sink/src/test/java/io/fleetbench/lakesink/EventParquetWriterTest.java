package io.fleetbench.lakesink;

import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parquet encoding alone: the file holds the rows in the table's columns, with the statistics the sink commits. */
class EventParquetWriterTest {

    @Test
    void writesTheRowsInTheSinksFormatWithTheirStatistics(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cars.parquet");
        String stats;
        try (EventParquetWriter writer = EventParquetWriter.open(EventFamily.CAR_TELEMETRY, new LocalOutputFile(file),
                new Configuration(), LakeSinkConfig.DEFAULT_ROW_GROUP_BYTES)) {
            for (int i = 0; i < 200; i += 2) {
                writer.write(TestEvents.event(i, 1));
            }
            assertThrows(IllegalArgumentException.class, () -> writer.write(TestEvents.event(1, 1)));
            stats = writer.statsJson();
        }
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            assertEquals(100, reader.getRecordCount());
            assertEquals(EventWriteSupport.messageType(EventSchema.of(EventFamily.CAR_TELEMETRY)),
                    reader.getFooter().getFileMetaData().getSchema());
        }
        assertTrue(stats.contains("numRecords") && stats.contains("100"), stats);
    }
}
