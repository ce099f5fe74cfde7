package io.fleetbench.localstack;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {
    private final AtomicLong clock = new AtomicLong(5_000_000_000L);

    @Test
    void startsWithOneSecondOfTokensAndRefillsAtTheRate() {
        TokenBucket b = new TokenBucket(1_000, clock::get);
        int taken = 0;
        while (b.tryTake(1)) {
            taken++;
        }
        assertEquals(1_000, taken);
        clock.addAndGet(250_000_000L);
        taken = 0;
        while (b.tryTake(1)) {
            taken++;
        }
        assertEquals(250, taken, "a quarter second refills a quarter of the rate");
    }

    @Test
    void neverHoldsMoreThanOneSecond() {
        TokenBucket b = new TokenBucket(5, clock::get);
        clock.addAndGet(60_000_000_000L);
        assertEquals(5.0, b.tokens());
        assertTrue(b.tryTake(5));
        assertFalse(b.tryTake(1));
    }

    @Test
    void debtIsPaidBackBeforeAnythingPasses() {
        TokenBucket b = new TokenBucket(2 * 1024 * 1024, clock::get);
        b.take(5 * 1024 * 1024);
        assertFalse(b.has(0), "3 MiB in debt");
        clock.addAndGet(1_400_000_000L);
        assertFalse(b.has(0), "still 0.2 MiB in debt after 1.4 s");
        clock.addAndGet(200_000_000L);
        assertTrue(b.has(0));
    }

    @Test
    void aUnitLargerThanTheCapacityPassesOnlyFromAFullBucket() {
        TokenBucket b = new TokenBucket(1_000, clock::get);
        assertTrue(b.has(1_500));
        b.take(1_500);
        clock.addAndGet(900_000_000L);
        assertFalse(b.has(1_500));
        clock.addAndGet(600_000_000L);
        assertTrue(b.has(1_500));
    }

    @Test
    void refusesANonPositiveRate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, clock::get));
        assertTrue(e.getMessage().contains("found 0"), e.getMessage());
    }
}
