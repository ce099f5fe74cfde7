package io.fleetbench.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalRateLimiterTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong clock = new AtomicLong(5_000 * MS);

    private ArrivalRateLimiter limiter(double rate, Duration maxLag, Duration duration) {
        return new ArrivalRateLimiter(LoadShape.constant(rate), maxLag, duration, clock::get);
    }

    @Test
    void handsOutExactIntendedTimesWhenTheCallerKeepsUp() {
        ArrivalRateLimiter l = limiter(1_000, Duration.ofSeconds(1), Duration.ZERO);
        long start = l.startNanos();
        assertEquals(start, l.poll());
        assertEquals(ArrivalRateLimiter.NONE_DUE, l.poll());

        clock.addAndGet(3 * MS + MS / 2);
        assertEquals(start + MS, l.poll());
        assertEquals(start + 2 * MS, l.poll());
        assertEquals(start + 3 * MS, l.poll());
        assertEquals(ArrivalRateLimiter.NONE_DUE, l.poll());
        assertEquals(start + 4 * MS, l.nextIntendedNanos());
        assertEquals(4, l.issued());
        assertEquals(0, l.shortfall());
    }

    @Test
    void aLateCallerGetsTheIntendedTimesNotItsOwn() {
        ArrivalRateLimiter l = limiter(100, Duration.ofSeconds(1), Duration.ZERO);
        long start = l.startNanos();
        clock.addAndGet(500 * MS);
        for (int i = 0; i <= 50; i++) {
            assertEquals(start + i * 10 * MS, l.poll(), "event " + i);
        }
        assertEquals(ArrivalRateLimiter.NONE_DUE, l.poll());
        assertEquals(0, l.shortfall());
    }

    @Test
    void eventsMoreThanMaxLagOverdueCountAsShortfall() {
        ArrivalRateLimiter l = limiter(1_000, Duration.ofMillis(100), Duration.ZERO);
        long start = l.startNanos();
        clock.addAndGet(1_000 * MS);
        // Events at 0..899 ms are more than 100 ms overdue; 900 ms is the first still sendable.
        assertEquals(start + 900 * MS, l.poll());
        assertEquals(900, l.shortfall());
        int sent = 1;
        while (l.poll() != ArrivalRateLimiter.NONE_DUE) {
            sent++;
        }
        assertEquals(101, sent, "events 900..1000 ms");
        assertEquals(1001, l.issued() + l.shortfall());
    }

    @Test
    void dropDueCountsEveryDueEventAndKeepsTheSchedule() {
        ArrivalRateLimiter l = limiter(1_000, Duration.ofSeconds(1), Duration.ZERO);
        long start = l.startNanos();
        clock.addAndGet(10 * MS);
        assertEquals(11, l.dropDue());
        assertEquals(11, l.shortfall());
        assertEquals(ArrivalRateLimiter.NONE_DUE, l.poll());
        clock.addAndGet(MS);
        assertEquals(start + 11 * MS, l.poll());
    }

    @Test
    void nothingIsDueAtOrAfterTheEnd() {
        ArrivalRateLimiter l = limiter(1_000, Duration.ofSeconds(10), Duration.ofMillis(5));
        clock.addAndGet(1_000 * MS);
        int sent = 0;
        while (l.poll() != ArrivalRateLimiter.NONE_DUE) {
            sent++;
        }
        assertEquals(5, sent, "events at 0..4 ms");
        assertTrue(l.finished());
        assertEquals(0, l.dropDue());
    }

    @Test
    void finishedOnlyOnceEveryEventBeforeTheEndIsAccountedFor() {
        ArrivalRateLimiter l = limiter(1_000, Duration.ofMillis(1), Duration.ofMillis(5));
        assertFalse(l.finished());
        clock.addAndGet(100 * MS);
        assertEquals(ArrivalRateLimiter.NONE_DUE, l.poll());
        assertTrue(l.finished());
        assertEquals(5, l.shortfall());
    }

    @Test
    void constantRateIndexAndOffsetAgreeForAwkwardRates() {
        for (double rate : new double[] {3, 7.3, 1_000, 333_333.3, 1e9}) {
            ConstantRate shape = new ConstantRate(rate);
            for (long offset = 0; offset < 50_000_000L; offset += 1_234_567L) {
                long n = shape.firstIndexAtOrAfter(offset);
                assertTrue(shape.offsetNanos(n) >= offset, "rate " + rate + " offset " + offset);
                assertTrue(n == 0 || shape.offsetNanos(n - 1) < offset, "rate " + rate + " offset " + offset);
            }
        }
    }
}
