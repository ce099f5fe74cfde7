package io.fleetbench.lakesink;

import io.fleetbench.sink.ShardWriter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.fleetbench.lakesink.TestEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The writers' busy time, and the test-only slowdown that stretches it, on clocks the tests move. */
class BusyTimeTest {
    /** Seconds are sums of nanosecond readings as doubles: exact but for the last bits. */
    private static final double EXACT = 1e-12;

    @TempDir
    Path dir;

    /** Clocks that move by a fixed step on every read, so that a spin ends, and by the work a test says was done. */
    private static final class FakeTicks implements BusyTime.Ticks {
        private final long step;
        private long cpu;
        private long wall;

        FakeTicks(long step) {
            this.step = step;
        }

        void work(long cpuNanos, long wallNanos) {
            cpu += cpuNanos;
            wall += wallNanos;
        }

        @Override
        public long cpuNanos() {
            return cpu += step;
        }

        @Override
        public long wallNanos() {
            return wall += step;
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeTicks ticks = new FakeTicks(1_000);

    /** The busy seconds counted so far. */
    private double counted() {
        return registry.get("busy").counter().count();
    }

    /** An append taking {@code nanos} of wall time, the read that ends it included. */
    private void append(BusyTime busy, long nanos) {
        long started = busy.start();
        ticks.work(0, nanos - ticks.step);
        busy.end(started);
    }

    /** A flush taking {@code cpuNanos} of CPU time, the read that ends it included, and {@code waitNanos} more of wall time. */
    private void flush(BusyTime busy, long cpuNanos, long waitNanos) {
        long started = busy.startCpu();
        ticks.work(cpuNanos - ticks.step, cpuNanos + waitNanos);
        busy.endCpu(started);
    }

    @Test
    void anAppendCountsItsWallTimeAndAFlushOnlyItsCpuTime() {
        BusyTime busy = new BusyTime(registry.counter("busy"), 0, ticks);
        append(busy, 3_000);
        // 2 ms of work and 50 ms of waiting for the disk or another writer's commit.
        flush(busy, 2_000_000, 50_000_000);
        assertEquals(0.002_003, counted(), EXACT);
    }

    @Test
    void aSpinPaysTheDebtOwedAndKeepsTheRest() {
        BusyTime busy = new BusyTime(registry.counter("busy"), 0.5, ticks);
        // 100 µs of work owe 50 µs, less than the smallest spin: nothing is paid yet.
        append(busy, 100_000);
        assertEquals(0.000_100, counted(), EXACT);
        // 300 µs more owe 150 µs, which with the 50 µs kept reach the smallest spin: 200 µs are paid.
        append(busy, 300_000);
        assertEquals(0.000_600, counted(), EXACT);
        // A flush's CPU time is stretched by the same share, paid at once: 10 ms and 5 ms.
        flush(busy, 10_000_000, 40_000_000);
        assertEquals(0.015_600, counted(), EXACT);
    }

    /** Busy seconds of one writer appending and committing a fixed workload into a fresh lake, each tick 1 µs. */
    private static double busySeconds(Path lake, double slowdown) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LakeSinkConfig config = LakeSinkConfig.defaults(lake.toString())
                .withBufferLimits(Duration.ofSeconds(5), 1 << 20).withSlowdown(slowdown);
        try (DeltaLakeSink sink = new DeltaLakeSink(config, new Configuration(), registry,
                new MutableClock(Instant.parse("2024-03-01T12:00:00Z")), new FakeTicks(1_000))) {
            sink.createTables();
            try (ShardWriter w = sink.open("shard-1")) {
                for (int batch = 0; batch < 2; batch++) {
                    for (int i = batch * 1_000; i < (batch + 1) * 1_000; i++) {
                        w.append(record(i, 3));
                    }
                    w.flush();
                }
            }
        }
        return registry.get("fleetbench.sink.busy").counter().count();
    }

    @Test
    void theConfiguredSlowdownStretchesTheBusyTimeOfTheSameWorkload() {
        // A tick (1 µs) per append and per flush; slowed by 1.0, the appends owe 2,000 µs, paid in ten spins of
        // 200 µs, and each flush spins as long again as it took.
        assertEquals(0.002_002, busySeconds(dir.resolve("plain"), 0), EXACT);
        assertEquals(0.004_004, busySeconds(dir.resolve("slowed"), 1.0), EXACT);
    }

    @Test
    void refusesANegativeOrInfiniteSlowdown() {
        LakeSinkConfig config = LakeSinkConfig.defaults(dir.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.withSlowdown(-0.3));
        assertEquals("slowdown must be a fraction >= 0, found -0.3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config.withSlowdown(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> config.withSlowdown(Double.POSITIVE_INFINITY));
        assertEquals(0.3, config.withSlowdown(0.3).slowdown());
        assertEquals(0, config.slowdown(), "no slowdown by default");
    }
}
