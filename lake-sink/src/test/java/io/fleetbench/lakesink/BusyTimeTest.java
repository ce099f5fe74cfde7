package io.fleetbench.lakesink;

import io.fleetbench.sink.ShardWriter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.fleetbench.lakesink.TestEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writers' busy time, and the test-only slowdown that stretches it. */
class BusyTimeTest {
    @TempDir
    Path dir;

    /** Busy seconds of one writer appending and committing a fixed workload into a fresh lake. */
    private double busySeconds(String lake, String slowdown) {
        if (slowdown == null) {
            System.clearProperty(BusyTime.SLOWDOWN_PROPERTY);
        } else {
            System.setProperty(BusyTime.SLOWDOWN_PROPERTY, slowdown);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LakeSinkConfig config = LakeSinkConfig.defaults(dir.resolve(lake).toString())
                .withBufferLimits(Duration.ofSeconds(5), 1 << 20);
        try (DeltaLakeSink sink = new DeltaLakeSink(config, registry, new MutableClock(Instant.parse("2024-03-01T12:00:00Z")))) {
            sink.createTables();
            try (ShardWriter w = sink.open("shard-1")) {
                for (int batch = 0; batch < 4; batch++) {
                    for (int i = batch * 2_000; i < (batch + 1) * 2_000; i++) {
                        w.append(record(i, 3));
                    }
                    w.flush();
                }
            }
        } finally {
            System.clearProperty(BusyTime.SLOWDOWN_PROPERTY);
        }
        return registry.get("fleetbench.sink.busy").counter().count();
    }

    @Test
    void theSlowdownStretchesTheBusyTimeOfTheSameWorkload() {
        // The JIT compiles the writer's paths over the first workloads; then each side runs twice, taking turns,
        // and the quicker of its two runs counts, so that one run slowed by the machine decides nothing.
        busySeconds("warm-up-1", null);
        busySeconds("warm-up-2", null);
        double plain = Double.MAX_VALUE;
        double slowed = Double.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            plain = Math.min(plain, busySeconds("plain-" + i, null));
            slowed = Math.min(slowed, busySeconds("slowed-" + i, "1.0"));
        }
        assertTrue(plain > 0, "the writer's work is measured");
        assertTrue(slowed >= 1.25 * plain, "slowdown 1.0 should at least stretch the busy time by 1.25: "
                + plain + " s without, " + slowed + " s with");
    }

    @Test
    void aSpinPaysTheDebtOwedAndKeepsTheRest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BusyTime busy = new BusyTime(registry.counter("busy"), 0.5);
        long started = busy.start();
        long until = started + 2_000_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        busy.end(started);
        assertTrue(registry.get("busy").counter().count() >= 0.003, "2 ms of work and at least 1 ms of spin");
    }

    @Test
    void refusesABadSlowdown() {
        System.setProperty(BusyTime.SLOWDOWN_PROPERTY, "-0.3");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BusyTime::slowdownFromSystemProperty);
            assertTrue(e.getMessage().contains("fleetbench.test.sinkSlowdown"), e.getMessage());
            System.setProperty(BusyTime.SLOWDOWN_PROPERTY, "fast");
            assertThrows(IllegalArgumentException.class, BusyTime::slowdownFromSystemProperty);
            System.setProperty(BusyTime.SLOWDOWN_PROPERTY, "0.3");
            assertEquals(0.3, BusyTime.slowdownFromSystemProperty());
        } finally {
            System.clearProperty(BusyTime.SLOWDOWN_PROPERTY);
        }
    }
}
