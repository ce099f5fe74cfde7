package io.fleetbench.compactor;

import io.delta.standalone.actions.AddFile;
import io.fleetbench.lake.LocalLogStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The closed-partition rule, the bounded table label and the log store, without a table. */
class CompactorTest {
    private static AddFile file(long modifiedMillis, Map<String, String> tags) {
        return new AddFile("p/part-" + modifiedMillis + ".parquet", Map.of(), 100, modifiedMillis, true, null, tags);
    }

    @Test
    void aFileWasInsertedAtItsModificationTimeUnlessItsTagsSayOtherwise() {
        assertEquals(5_000_000, Compactor.insertedMicros(file(5_000, null), true));
        AddFile compacted = file(9_000, Map.of(Compactor.MIN_INSERTION_TIME, "1000000", Compactor.MAX_INSERTION_TIME, "3000000"));
        assertEquals(3_000_000, Compactor.insertedMicros(compacted, true));
        assertEquals(1_000_000, Compactor.insertedMicros(compacted, false));
        assertEquals(2_000_000, Compactor.insertedMicros(file(9_000, Map.of(Compactor.INSERTION_TIME, "2000000")), true));
        assertEquals(9_000_000, Compactor.insertedMicros(file(9_000, Map.of(Compactor.MAX_INSERTION_TIME, "soon")), true));
    }

    @Test
    void aPartitionIsClosedOnceItsNewestFileIsClosedAfterOld() {
        Duration closedAfter = Duration.ofMinutes(15);
        long minute = 60_000_000L;
        List<AddFile> files = List.of(file(0, null), file(10 * 60_000, null));
        assertFalse(Compactor.closed(files, 25 * minute - 1, closedAfter));
        assertTrue(Compactor.closed(files, 25 * minute, closedAfter));
        assertTrue(Compactor.closed(files, 0, Duration.ZERO), "closedAfter 0: every partition is closed");
        AddFile compacted = file(60 * 60_000, Map.of(Compactor.MAX_INSERTION_TIME, Long.toString(10 * minute)));
        assertTrue(Compactor.closed(List.of(compacted), 25 * minute, closedAfter),
                "a compacted file counts from the newest file it replaced, not from when it was written");
    }

    @Test
    void theTableLabelTakesBoundedValues() {
        CompactorMetrics metrics = new CompactorMetrics(new SimpleMeterRegistry());
        for (int i = 0; i < CompactorMetrics.MAX_TABLES; i++) {
            assertEquals("t" + i, metrics.label("t" + i));
        }
        assertEquals(CompactorMetrics.OTHER, metrics.label("one-too-many"));
        assertEquals("t0", metrics.label("t0"));
    }

    @Test
    void localTablesAreCommittedThroughLocalLogStoreWhateverConfigurationItIsGiven() {
        Configuration plain = new Configuration(false);
        Compactor compactor = new Compactor(CompactionOptions.defaults(), plain, new SimpleMeterRegistry(),
                Clock.systemUTC());
        assertEquals(LocalLogStore.class.getName(), compactor.hadoopConf().get(LocalLogStore.CONF_KEY));
        assertNull(plain.get(LocalLogStore.CONF_KEY), "the given configuration is left as it is");
        assertEquals(LocalLogStore.class.getName(),
                new Compactor(CompactionOptions.defaults(), new SimpleMeterRegistry(), Clock.systemUTC()).hadoopConf()
                        .get(LocalLogStore.CONF_KEY));
    }
}
