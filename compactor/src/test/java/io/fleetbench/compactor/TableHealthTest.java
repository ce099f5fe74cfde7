package io.fleetbench.compactor;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** File counts, bytes, small-file ratios and histograms per partition, and the log's state. */
class TableHealthTest {
    private static final long MB = 1L << 20;
    private static final long TARGET = 128 * MB;

    @TempDir
    Path dir;

    @Test
    void smallMeansBelowAQuarterOfTheTargetPerPartitionAndInTotal() {
        RawTable t = new RawTable(dir.resolve("events"));
        t.add(10, Map.of("a", 1 * MB, "b", 1 * MB, "c", 1 * MB, "d", 40 * MB, "e", 128 * MB));
        t.add(2, Map.of("f", 32 * MB - 1, "g", 32 * MB));

        TableHealth h = TableHealth.read(new Configuration(), t.path(), TARGET);
        assertEquals("events", h.table());
        assertEquals(2, h.version());
        assertEquals(32 * MB, h.smallFileBytes());
        assertEquals(List.of("event_date=2024-03-01/event_hour=2", "event_date=2024-03-01/event_hour=10"),
                h.partitions().stream().map(TableHealth.Partition::name).toList(), "hours in numeric order");

        TableHealth.Partition two = h.partitions().get(0);
        assertEquals(2, two.files());
        assertEquals(1, two.smallFiles(), "32 MiB is not below a quarter of 128 MiB");
        assertEquals(32 * MB - 1, two.smallBytes());
        assertEquals(0.5, two.smallFileRatio());

        TableHealth.Partition ten = h.partitions().get(1);
        assertEquals(5, ten.files());
        assertEquals(171 * MB, ten.bytes());
        assertEquals(3, ten.smallFiles());
        assertEquals(3.0 / 171, ten.smallByteRatio(), 1e-12);
        assertEquals(3, ten.histogram().files(FileSizeHistogram.binOf(MB)));
        assertEquals(1, ten.histogram().files(FileSizeHistogram.binOf(128 * MB)));

        TableHealth.Partition total = h.total();
        assertEquals(7, total.files());
        assertEquals(235 * MB - 1, total.bytes());
        assertEquals(4, total.smallFiles());
        assertEquals(4.0 / 7, total.smallFileRatio(), 1e-12);
        assertEquals((35.0 * MB - 1) / (235.0 * MB - 1), total.smallByteRatio(), 1e-12);
        assertEquals(two.histogram().plus(ten.histogram()), total.histogram());

        // A larger target makes more files small.
        assertEquals(6, TableHealth.read(new Configuration(), t.path(), 4 * 128 * MB).total().smallFiles());
    }

    @Test
    void aPartitionIsClosedByTheCompactorsRuleAndClosedPartitionsSumUp() {
        long minute = 60_000;
        RawTable t = new RawTable(dir.resolve("events"));
        t.add(1, "a", MB, 0, null);
        // Compacted an hour later from files of which the newest was added at minute 10.
        t.add(1, "b", 40 * MB, 60 * minute, Map.of(Compactor.MAX_INSERTION_TIME, Long.toString(10 * minute * 1000)));
        t.add(2, "c", 2 * MB, 20 * minute, null);

        TableHealth h = TableHealth.read(new Configuration(), t.path(), TARGET);
        TableHealth.Partition one = h.partitions().get(0);
        TableHealth.Partition two = h.partitions().get(1);
        assertEquals(10 * minute * 1000, one.lastAddedMicros());
        assertEquals(20 * minute * 1000, two.lastAddedMicros());
        assertEquals(20 * minute * 1000, h.total().lastAddedMicros());

        Duration closedAfter = Duration.ofMinutes(15);
        Instant at30 = Instant.ofEpochMilli(30 * minute);
        assertTrue(one.closed(closedAfter, at30));
        assertFalse(two.closed(closedAfter, at30));
        assertTrue(two.closed(closedAfter, Instant.ofEpochMilli(35 * minute)));
        assertTrue(two.closed(Duration.ZERO, Instant.ofEpochMilli(0)), "closedAfter 0: every partition is closed");

        List<TableHealth.Partition> closed = h.closedPartitions(closedAfter, at30);
        assertEquals(List.of(one), closed);
        TableHealth.Partition sum = TableHealth.Partition.sum("closed", closed);
        assertEquals(List.of(2L, 41 * MB, 1L, MB), List.of(sum.files(), sum.bytes(), sum.smallFiles(), sum.smallBytes()));
        TableHealth.Partition none = TableHealth.Partition.sum("", h.closedPartitions(closedAfter, Instant.EPOCH));
        assertEquals(0, none.files());
        assertEquals(0, none.smallByteRatio());
        assertEquals(h.total(), TableHealth.Partition.sum("", h.partitions()));
    }

    @Test
    void reportsTheLogsCheckpointAndCommits() {
        RawTable t = new RawTable(dir.resolve("events"));
        for (int v = 1; v <= 12; v++) {
            t.txn("busy", v);
        }
        String removed = t.addFile(1, "x.parquet", 10, System.currentTimeMillis());
        t.remove(removed, System.currentTimeMillis());
        TableHealth.Log log = TableHealth.read(new Configuration(), t.path(), TARGET).log();
        assertEquals(10, log.latestCheckpoint());
        assertEquals(10, log.checkpointInterval());
        assertEquals(4, log.commitsSinceCheckpoint());
        assertEquals(0, log.oldestCommit());
        assertEquals(15, log.commitFiles());
        assertEquals(30, log.logRetention().toDays());
        assertTrue(log.standaloneLogCleanup(), "delta-standalone's default");
        assertEquals(1, log.tombstones());
    }

    @Test
    void anEmptyTableHasNoPartitionsAndZeroRatios() {
        RawTable t = new RawTable(dir.resolve("events"));
        TableHealth h = TableHealth.read(new Configuration(), t.path(), TARGET);
        assertTrue(h.partitions().isEmpty());
        assertEquals(0, h.total().smallByteRatio());
        assertEquals(-1, h.log().latestCheckpoint());
        assertEquals(1, h.log().commitsSinceCheckpoint());
        assertFalse(h.log().tombstones() > 0);
    }

    @Test
    void aFolderWithoutATableOrATinyTargetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableHealth.read(new Configuration(), dir.toString(), TARGET));
        assertTrue(e.getMessage().contains("no Delta table at " + dir), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableHealth.read(new Configuration(), dir.toString(), 3));
    }
}
