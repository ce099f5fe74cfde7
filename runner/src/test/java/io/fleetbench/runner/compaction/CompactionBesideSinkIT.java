package io.fleetbench.runner.compaction;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.CommitInfo;
import io.delta.standalone.actions.RemoveFile;
import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.CompactionResult;
import io.fleetbench.compactor.Compactor;
import io.fleetbench.runner.KernelRows;
import io.fleetbench.runner.TestEvents;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real lake sink keeps writing, on its own thread, into a partition being compacted and into
 * another one, while the compactor compacts both event tables: delta-kernel finds the same multiset of
 * the rows that were there before (equal checksums), and in the end every row written exactly once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CompactionBesideSinkIT {
    /** Rows {@code slot * 3600 + k} for {@code k} below this stay in one hour partition. */
    private static final int PER_HOUR = 2_800;
    private static final int HISTORY_FLUSHES = 30;
    private static final int HISTORY_ROWS_PER_FLUSH = 15;
    private static final int LIVE_FIRST = 1_000;
    private static final int LIVE_ROWS_PER_FLUSH = 6;
    private static final int MAX_PASSES = 8;

    @TempDir
    Path dir;

    private static int index(int slot, int k) {
        return slot * 3_600 + k;
    }

    /** Positions of one source, in order. */
    private static final class Positions {
        private BigInteger next = BigInteger.valueOf(49_000_000_000L).shiftLeft(64);

        SourcePosition next() {
            next = next.add(BigInteger.ONE);
            return new SourcePosition(next, 0);
        }
    }

    private static void append(ShardWriter writer, Positions positions, TelemetryEvent event, Set<String> written) {
        assertTrue(writer.append(new SinkRecord(positions.next(), event)), "dropped " + event.eventId());
        written.add(event.eventId());
    }

    @Test
    void rowsStayTheSameWhileTheSinkWritesIntoTheSameAndOtherPartitions() throws Exception {
        String lake = dir.resolve("lake").toString();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LakeSinkConfig config = LakeSinkConfig.defaults(lake).withApplicationId("compaction-it")
                .withBufferLimits(Duration.ofHours(1), 64L << 20);
        Set<String> written = new HashSet<>();
        // Neither is given a log store: the sink and the compactor each commit through LocalLogStore by themselves.
        try (DeltaLakeSink sink = new DeltaLakeSink(config, registry, Clock.systemUTC())) {
            String cars = sink.tablePath(EventFamily.CAR_TELEMETRY);
            String bikes = sink.tablePath(EventFamily.BIKE_METRICS);
            // History: many small files in slots 0 and 1 (cars) and slot 0 (bikes).
            Positions history = new Positions();
            try (ShardWriter w = sink.open("shard-history")) {
                int k = 0;
                for (int f = 0; f < HISTORY_FLUSHES; f++) {
                    for (int r = 0; r < HISTORY_ROWS_PER_FLUSH; r++, k++) {
                        append(w, history, TestEvents.car(index(0, k)), written);
                        append(w, history, TestEvents.car(index(1, k)), written);
                        append(w, history, TestEvents.bike(index(0, k)), written);
                    }
                    w.flush();
                }
            }
            Map<String, Integer> carsBefore = KernelRows.read(cars);
            Map<String, Integer> bikesBefore = KernelRows.read(bikes);
            assertEquals(2 * HISTORY_FLUSHES * HISTORY_ROWS_PER_FLUSH, carsBefore.size());

            // The live writer: slot 0 (being compacted) and slot 2 (not yet written), flushing often.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger liveFlushes = new AtomicInteger();
            Set<String> liveWritten = new HashSet<>();
            ExecutorService live = Executors.newSingleThreadExecutor();
            Future<?> writing = live.submit(() -> {
                Positions positions = new Positions();
                try (ShardWriter w = sink.open("shard-live")) {
                    int k = LIVE_FIRST;
                    while (!stop.get() && k + LIVE_ROWS_PER_FLUSH < PER_HOUR) {
                        for (int r = 0; r < LIVE_ROWS_PER_FLUSH; r++, k++) {
                            int slot = r % 2 == 0 ? 0 : 2;
                            append(w, positions, TestEvents.car(index(slot, k)), liveWritten);
                            append(w, positions, TestEvents.bike(index(slot, k)), liveWritten);
                        }
                        w.flush();
                        liveFlushes.incrementAndGet();
                    }
                }
                return null;
            });

            Compactor compactor = new Compactor(CompactionOptions.defaults().withTargetFileBytes(1L << 20)
                    .withClosedPartitions(Duration.ofMinutes(15), true).withBinsPerCommit(1), registry, Clock.systemUTC());
            List<CompactionResult> results = new ArrayList<>();
            try {
                // Pass after pass until a compaction commit landed after sink commits into its own partition.
                for (int pass = 0; pass < MAX_PASSES && (pass < 2 || !appendsLandedWhileCompacting(cars)); pass++) {
                    results.add(compactor.compact(cars));
                    results.add(compactor.compact(bikes));
                }
                stop.set(true);
                writing.get(60, TimeUnit.SECONDS);
            } finally {
                stop.set(true);
                live.shutdownNow();
            }
            written.addAll(liveWritten);

            assertTrue(appendsLandedWhileCompacting(cars), "no sink commit into a partition landed between a"
                    + " compaction's read and its commit; results: " + results);
            assertTrue(liveFlushes.get() > 5, "the sink flushed " + liveFlushes.get() + " times");
            int removed = results.stream().mapToInt(CompactionResult::filesRemoved).sum();
            assertTrue(removed >= HISTORY_FLUSHES * 3, "files removed: " + removed);

            Map<String, Integer> carsAfter = KernelRows.read(cars);
            Map<String, Integer> bikesAfter = KernelRows.read(bikes);
            Set<String> before = new HashSet<>();
            carsBefore.keySet().forEach(r -> before.add(KernelRowSet.column(r, "event_id")));
            bikesBefore.keySet().forEach(r -> before.add(KernelRowSet.column(r, "event_id")));
            Map<String, Integer> carsKept = KernelRowSet.where(carsAfter,
                    r -> before.contains(KernelRowSet.column(r, "event_id")));
            Map<String, Integer> bikesKept = KernelRowSet.where(bikesAfter,
                    r -> before.contains(KernelRowSet.column(r, "event_id")));
            assertEquals(KernelRowSet.checksum(carsBefore), KernelRowSet.checksum(carsKept), "car rows that existed");
            assertEquals(KernelRowSet.checksum(bikesBefore), KernelRowSet.checksum(bikesKept), "bike rows that existed");
            assertEquals(carsBefore, carsKept);
            assertEquals(bikesBefore, bikesKept);

            Map<String, Integer> ids = new HashMap<>();
            carsAfter.forEach((r, n) -> ids.merge(KernelRowSet.column(r, "event_id"), n, Integer::sum));
            bikesAfter.forEach((r, n) -> ids.merge(KernelRowSet.column(r, "event_id"), n, Integer::sum));
            assertEquals(written, ids.keySet(), "every row written is in the lake");
            assertEquals(Set.of(1), new HashSet<>(ids.values()), "and exactly once");
        }
    }

    /**
     * Whether a compaction commit of the table landed after a sink commit that added a file to a
     * partition the compaction rewrote, and that came after the compaction's read.
     */
    private static boolean appendsLandedWhileCompacting(String table) {
        DeltaLog log = DeltaLog.forTable(new Configuration(), table);
        Map<Long, Set<Map<String, String>>> appendedTo = new HashMap<>();
        Iterator<VersionLog> changes = log.getChanges(0, true);
        while (changes.hasNext()) {
            VersionLog v = changes.next();
            Set<Map<String, String>> appended = new HashSet<>();
            Set<Map<String, String>> compacted = new HashSet<>();
            long readVersion = -1;
            for (Action a : v.getActions()) {
                if (a instanceof AddFile add && add.isDataChange()) {
                    appended.add(add.getPartitionValues());
                } else if (a instanceof RemoveFile r && !r.isDataChange()) {
                    compacted.add(r.getPartitionValues());
                } else if (a instanceof CommitInfo info && info.getUserMetadata().orElse("").contains("\"compaction\"")) {
                    readVersion = info.getReadVersion().orElse(-1L);
                }
            }
            appendedTo.put(v.getVersion(), appended);
            for (long between = readVersion + 1; readVersion >= 0 && between < v.getVersion(); between++) {
                for (Map<String, String> partition : appendedTo.getOrDefault(between, Set.of())) {
                    if (compacted.contains(partition)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
