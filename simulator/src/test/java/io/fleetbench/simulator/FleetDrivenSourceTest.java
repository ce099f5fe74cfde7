package io.fleetbench.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetDrivenSourceTest {
    private static final long SECOND = 1_000_000_000L;
    /** 2026-01-01T06:00Z: the fleet wakes up into the morning commute. */
    private static final long SIX_AM = FleetTest.START + 6 * 3_600_000L;

    @Test
    void theRateEmergesFromTheFleetWithCompressedDeviceTime() {
        AtomicLong clock = new AtomicLong(1_000 * SECOND);
        FleetConfig config = FleetConfig.defaults().withDevices(2_000, 0).withStartEpochMillis(SIX_AM)
                .withFleetDriven(new FleetDriven(60));
        Fleet fleet = new Fleet(config);
        FleetDrivenSource source = new FleetDrivenSource(fleet, config.fleetDriven().orElseThrow(),
                Duration.ofMinutes(12), Duration.ofSeconds(1), clock::get);
        long[] perWallMinute = new long[12];
        long last = Long.MIN_VALUE;
        // Twelve wall minutes at 60x are 06:00 to 18:00 of device time; poll every 10 ms.
        for (long t = 0; t < 12 * 60 * SECOND; t += 10_000_000L) {
            clock.set(1_000 * SECOND + t);
            ScheduledEvent e;
            while ((e = source.poll(0)) != null) {
                assertTrue(e.intendedNanos() <= clock.get(), "never handed out before its intended time");
                assertTrue(e.intendedNanos() >= last, "intended times do not go back");
                last = e.intendedNanos();
                long deviceOffset = e.event().eventTimeMillis() - SIX_AM;
                assertEquals(1_000 * SECOND + deviceOffset * 1_000_000L / 60, e.intendedNanos(), 1_000);
                perWallMinute[(int) ((e.intendedNanos() - 1_000 * SECOND) / (60 * SECOND))]++;
            }
        }
        assertEquals(0, source.shortfall());
        clock.set(1_000 * SECOND + 12 * 60 * SECOND);
        assertFalse(source.finished(), "events due in the last poll interval are still to come");
        ScheduledEvent e;
        while ((e = source.poll(0)) != null) {
            assertTrue(e.event().eventTimeMillis() < SIX_AM + 12 * 3_600_000L, "nothing due at or after the end");
        }
        assertTrue(source.finished());
        clock.set(1_000 * SECOND + 13 * 60 * SECOND);
        assertNull(source.poll(0));
        // Wall minute 2 is device 08:00-09:00, the morning peak; minute 6 is noon.
        assertTrue(perWallMinute[2] > 2 * perWallMinute[6], java.util.Arrays.toString(perWallMinute));
        assertTrue(source.targetRate() > 0);
    }

    @Test
    void eventsFurtherBehindThanMaxLagAreCountedAsShortfallNotSent() {
        AtomicLong clock = new AtomicLong(0);
        FleetConfig config = FleetConfig.defaults().withDevices(0, 100).withStartEpochMillis(FleetTest.START)
                .withClasses(new BikeClasses(Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(2), 1.0))
                .withFleetDriven(FleetDriven.realTime());
        Fleet fleet = new Fleet(config);
        FleetDrivenSource source = new FleetDrivenSource(fleet, config.fleetDriven().orElseThrow(),
                Duration.ZERO, Duration.ofSeconds(1), clock::get);
        clock.set(10 * SECOND);
        long sent = 0;
        while (source.poll(0) != null) {
            sent++;
        }
        // Every bike joins the first class: what came due more than a second ago is shortfall.
        assertTrue(source.shortfall() > 0 && sent > 0, "shortfall " + source.shortfall() + ", sent " + sent);
        assertEquals(fleet.generated(), sent + source.shortfall(), "every generated event is sent or counted");
        assertFalse(source.finished(), "no duration: runs until stopped");
        assertEquals(0, source.dropDue());
    }
}
