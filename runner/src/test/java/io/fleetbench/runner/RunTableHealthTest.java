package io.fleetbench.runner;

import io.fleetbench.report.RunReport;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.actions.AddFile;
import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's table health on a lake written by the real sink: the report's {@code lake} section over all
 * and over closed partitions, with each table's target size, and the gauges, also when a table is broken.
 */
class RunTableHealthTest {
    /** TestEvents are at 2023-11-14 22:13:20 plus their index in seconds: index 3000 is in the next hour. */
    private static final int NEXT_HOUR = 3_000;
    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /**
     * Hour 22 gets three car files and two bike files at T0, hour 23 one of each ten minutes later; car
     * files are never small (a target of 4 bytes), bike files always (128 MiB).
     */
    private Path lake() {
        Path lake = dir.resolve("lake");
        try (TestLake early = new TestLake(lake, Clock.fixed(T0, ZoneOffset.UTC))) {
            for (int flush = 0; flush < 3; flush++) {
                List<TelemetryEvent> events = new ArrayList<>();
                for (int i = flush * 10; i < flush * 10 + 10; i++) {
                    events.add(TestEvents.car(i));
                    if (flush < 2) {
                        events.add(TestEvents.bike(i));
                    }
                }
                early.flush("early", events);
            }
        }
        try (TestLake late = new TestLake(lake, Clock.fixed(T0.plus(Duration.ofMinutes(10)), ZoneOffset.UTC))) {
            late.flush("late", TestEvents.car(NEXT_HOUR), TestEvents.bike(NEXT_HOUR));
        }
        return lake;
    }

    private static CompactionOptions options() {
        return CompactionOptions.defaults().withTargetFileBytes(128 * MIB)
                .withTargetFileBytesByTable(Map.of("car_telemetry", 4L))
                .withClosedPartitions(Duration.ofMinutes(5), false);
    }

    /** The bytes of a partition's files, as delta-standalone lists them. */
    private static long bytesOfHour(Path table, int hour) {
        return DeltaLog.forTable(new Configuration(), table.toString()).update().getAllFiles().stream()
                .filter(f -> f.getPartitionValues().get("event_hour").equals(Integer.toString(hour)))
                .mapToLong(AddFile::getSize).sum();
    }

    @Test
    void reportsEveryTableOverAllAndOverClosedPartitionsWithItsTargetAndSetsTheGauges() throws Exception {
        Path lake = lake();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunTableHealth health = new RunTableHealth(lake.toString(), new Configuration(), options(), registry,
                Duration.ofHours(1));

        Instant asOf = T0.plus(Duration.ofMinutes(12));
        RunReport.Lake report = health.finish(asOf);
        assertEquals(300, report.closedAfterSeconds());
        assertEquals(asOf.toString(), report.closedAsOf());
        assertEquals(List.of(), report.problems());
        assertEquals(List.of("bike_metrics", "bike_session", "car_dtc", "car_ignition", "car_telemetry", "car_trip",
                "dead_letters"), report.tables().stream().map(RunReport.LakeTable::name).toList());

        Path carTable = lake.resolve("car_telemetry");
        RunReport.LakeTable cars = report.tables().get(4);
        assertEquals(carTable.toString(), cars.path());
        assertEquals(4, cars.targetFileBytes());
        assertEquals(1, cars.smallFileBytes());
        long carBytes = new LakeCounts().audit(carTable.toString()).bytes();
        assertEquals(new RunReport.Partitions(2, 4, carBytes, 0, 0, 0), cars.all());
        assertEquals(new RunReport.Partitions(1, 3, bytesOfHour(carTable, 22), 0, 0, 0), cars.closed(),
                "hour 23 got a file 2 minutes before, within closedAfter");

        Path bikeTable = lake.resolve("bike_metrics");
        RunReport.LakeTable bikes = report.tables().get(0);
        assertEquals(128 * MIB, bikes.targetFileBytes());
        assertEquals(32 * MIB, bikes.smallFileBytes());
        long bikeBytes = new LakeCounts().audit(bikeTable.toString()).bytes();
        assertEquals(new RunReport.Partitions(2, 3, bikeBytes, 3, bikeBytes, 1.0), bikes.all());
        long closedBikeBytes = bytesOfHour(bikeTable, 22);
        assertEquals(new RunReport.Partitions(1, 2, closedBikeBytes, 2, closedBikeBytes, 1.0), bikes.closed());

        assertEquals(RunReport.Partitions.NONE, report.tables().get(1).all(), "bike_session holds no file");
        assertEquals(new RunReport.Partitions(4, 7, carBytes + bikeBytes, 3, bikeBytes,
                (double) bikeBytes / (carBytes + bikeBytes)), report.all());
        assertEquals(cars.closed().plus(bikes.closed()), report.closed());

        assertEquals(4, registry.get("fleetbench.table.files").tag("table", "car_telemetry").gauge().value());
        assertEquals(1.0, registry.get("fleetbench.table.small.bytes.ratio").tag("table", "bike_metrics").gauge().value());

        // Four minutes later hour 23 is closed too.
        RunReport.Lake later = health.finish(asOf.plus(Duration.ofMinutes(4)));
        assertEquals(later.tables().get(4).all(), later.tables().get(4).closed());
        assertEquals(later.all(), later.closed());
    }

    @Test
    void theGaugesAreReadInTheBackgroundAndABrokenTableIsNamedNotFatal() throws Exception {
        Path lake = lake();
        Path broken = Files.createDirectories(lake.resolve("broken").resolve("_delta_log"));
        Files.writeString(broken.resolve("00000000000000000000.json"), "not a commit");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunTableHealth health = new RunTableHealth(lake.toString(), new Configuration(), options(), registry,
                Duration.ofHours(1));
        CountDownLatch refreshed = new CountDownLatch(1);
        health.afterRefresh = refreshed::countDown;

        health.start();
        assertTrue(refreshed.await(60, TimeUnit.SECONDS), "no background read");
        assertEquals(3, registry.get("fleetbench.table.files").tag("table", "bike_metrics").gauge().value());
        assertTrue(registry.find("fleetbench.table.files").tag("table", "broken").gauges().isEmpty());

        RunReport.Lake report = health.finish(T0);
        assertEquals(7, report.tables().size(), "every other table is reported");
        assertEquals(1, report.problems().size(), report.problems().toString());
        assertTrue(report.problems().get(0).startsWith("table " + lake.resolve("broken") + ": its health could not be read: "),
                report.problems().get(0));
        assertEquals(RunReport.Partitions.NONE, report.closed(), "nothing is closed at T0");
    }
}
