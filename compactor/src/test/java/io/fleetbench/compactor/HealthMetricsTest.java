package io.fleetbench.compactor;

import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The gauges follow the latest health, and per-partition series stay bounded. */
class HealthMetricsTest {
    private static final long MB = 1L << 20;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static TableHealth health(String table, int partitions, long fileSize) {
        List<TableHealth.Partition> ps = new ArrayList<>();
        for (int h = 0; h < partitions; h++) {
            boolean small = fileSize < 32 * MB;
            ps.add(new TableHealth.Partition("event_hour=" + h, 2, 2 * fileSize, small ? 2 : 0,
                    small ? 2 * fileSize : 0, FileSizeHistogram.of(fileSize, fileSize), h));
        }
        return new TableHealth(table, "/lake/" + table, 7, 128 * MB, ps, TableHealth.Partition.sum("", ps),
                new TableHealth.Log(0, 10, 7, 0, 8, Duration.ofDays(30), false, 3));
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void tableGaugesFollowTheLatestHealth() {
        HealthMetrics metrics = new HealthMetrics(registry, 2);
        metrics.record(health("car_telemetry", 3, MB));
        assertEquals(6, gauge("fleetbench.table.files", "table", "car_telemetry"));
        assertEquals(6 * MB, gauge("fleetbench.table.size", "table", "car_telemetry"));
        assertEquals(1.0, gauge("fleetbench.table.small.bytes.ratio", "table", "car_telemetry"));
        assertEquals(6, gauge("fleetbench.table.bin.files", "table", "car_telemetry", "bin", "1MiB"));
        assertEquals(7, gauge("fleetbench.table.log.commits.since.checkpoint", "table", "car_telemetry"));

        metrics.record(health("car_telemetry", 3, 100 * MB));
        assertEquals(0.0, gauge("fleetbench.table.small.bytes.ratio", "table", "car_telemetry"));
        assertEquals(0, gauge("fleetbench.table.bin.files", "table", "car_telemetry", "bin", "1MiB"),
                "a bin that emptied reads 0");
        assertEquals(6, gauge("fleetbench.table.bin.files", "table", "car_telemetry", "bin", "96MiB"));
        assertNull(registry.find("fleetbench.table.bin.files").tags("bin", "8KiB").gauge(), "never-used bins have no series");
    }

    @Test
    void eachGaugeIsRegisteredOnceAlsoUnderCommonTags() {
        registry.config().commonTags("run", "r1");
        HealthMetrics metrics = new HealthMetrics(registry, 2);
        metrics.record(health("car_trip", 1, MB));
        int meters = registry.getMeters().size();
        metrics.record(health("car_trip", 1, 100 * MB));
        assertEquals(meters + 2, registry.getMeters().size(), "only the new bin's two gauges are new");
        assertEquals(200 * MB, gauge("fleetbench.table.size", "table", "car_trip", "run", "r1"));
    }

    @Test
    void onlyTheMostRecentPartitionsHaveSeries() {
        HealthMetrics metrics = new HealthMetrics(registry, 2);
        metrics.record(health("bike_metrics", 3, MB));
        assertEquals(List.of("event_hour=1", "event_hour=2"), partitions());
        metrics.record(health("bike_metrics", 5, MB));
        assertEquals(List.of("event_hour=3", "event_hour=4"), partitions(), "older partitions' series are removed");
        assertEquals(2, gauge("fleetbench.table.partition.files", "table", "bike_metrics", "partition", "event_hour=4"));
    }

    private List<String> partitions() {
        return Search.in(registry).name("fleetbench.table.partition.files").gauges().stream()
                .map(g -> g.getId().getTag("partition")).sorted().toList();
    }
}
