package io.fleetbench.localstack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy's fault decisions on an injected clock: seeded, in proportion, and only for the targets. */
class FaultPlanTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(5 * SECOND);

    private static List<FaultPlan.Decision> decide(FaultPlan plan, int calls) {
        List<FaultPlan.Decision> decisions = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            decisions.add(plan.decide("PutRecords"));
        }
        return decisions;
    }

    private static List<FaultPlan.Outcome> outcomes(List<FaultPlan.Decision> decisions) {
        return decisions.stream().map(FaultPlan.Decision::outcome).toList();
    }

    @Test
    void theSameSeedMakesTheSameDecisionsAndAnotherSeedOthers() {
        ProxyFaults faults = ProxyFaults.none().withResets(0.2, 0.2).withErrors(0.1, 0.1)
                .withLatency(Duration.ofMillis(10), Duration.ofMillis(30)).withSeed(7);

        List<FaultPlan.Decision> first = decide(new FaultPlan(faults, clock::get), 1_000);

        assertEquals(first, decide(new FaultPlan(faults, clock::get), 1_000));
        assertNotEquals(outcomes(first), outcomes(decide(new FaultPlan(faults.withSeed(8), clock::get), 1_000)));
    }

    @Test
    void eachOutcomeComesInItsShare() {
        ProxyFaults faults = ProxyFaults.none().withResets(0.10, 0.05).withErrors(0.02, 0.03).withSeed(3);
        int calls = 50_000;

        Map<FaultPlan.Outcome, Integer> seen = new EnumMap<>(FaultPlan.Outcome.class);
        for (FaultPlan.Outcome o : outcomes(decide(new FaultPlan(faults, clock::get), calls))) {
            seen.merge(o, 1, Integer::sum);
        }

        assertShare(0.10, seen.get(FaultPlan.Outcome.RESET_BEFORE), calls);
        assertShare(0.05, seen.get(FaultPlan.Outcome.RESET_AFTER), calls);
        assertShare(0.02, seen.get(FaultPlan.Outcome.INTERNAL_FAILURE), calls);
        assertShare(0.03, seen.get(FaultPlan.Outcome.SERVICE_UNAVAILABLE), calls);
        assertShare(0.80, seen.get(FaultPlan.Outcome.FORWARD), calls);
    }

    @Test
    void aShareOfOneHitsEveryCall() {
        ProxyFaults faults = ProxyFaults.none().withResets(0, 1);

        assertTrue(outcomes(decide(new FaultPlan(faults, clock::get), 1_000)).stream()
                .allMatch(o -> o == FaultPlan.Outcome.RESET_AFTER));
    }

    @Test
    void jitterStaysWithinItsBoundAndLeavesTheOutcomesAsTheyWere() {
        ProxyFaults plain = ProxyFaults.none().withResets(0.3, 0).withSeed(11);
        ProxyFaults jittered = plain.withLatency(Duration.ofMillis(50), Duration.ofMillis(20));

        List<FaultPlan.Decision> without = decide(new FaultPlan(plain, clock::get), 2_000);
        List<FaultPlan.Decision> with = decide(new FaultPlan(jittered, clock::get), 2_000);

        assertEquals(outcomes(without), outcomes(with));
        assertTrue(without.stream().allMatch(d -> d.delayNanos() == 0));
        long min = with.stream().mapToLong(FaultPlan.Decision::delayNanos).min().orElseThrow();
        long max = with.stream().mapToLong(FaultPlan.Decision::delayNanos).max().orElseThrow();
        assertTrue(min >= 50_000_000 && max <= 70_000_000, "delays from " + min + " to " + max + " ns");
        assertTrue(max - min > 15_000_000, "the jitter spreads the delays: " + min + " to " + max + " ns");
    }

    @Test
    void theStallHoldsTheTargetsFromItsStartAfterTheFirstPutUntilItsEnd() {
        // GetRecords only: the consumer's reads stall; the producer's puts start the clock but are left alone.
        ProxyFaults faults = ProxyFaults.none().withTargets(List.of("GetRecords"))
                .withStall(Duration.ofSeconds(10), Duration.ofSeconds(5));
        FaultPlan plan = new FaultPlan(faults, clock::get);

        assertEquals(0, plan.decide("GetRecords").holdNanos(), "before any put the stall's clock has not started");
        clock.addAndGet(SECOND);
        assertSame(FaultPlan.Decision.NONE, plan.decide("PutRecords"), "a put is no target here");
        clock.addAndGet(10 * SECOND - 1);
        assertEquals(0, plan.decide("GetRecords").holdNanos(), "just before the stall");
        clock.addAndGet(1);
        assertEquals(5 * SECOND, plan.decide("GetRecords").holdNanos(), "held for the whole stall");
        clock.addAndGet(4 * SECOND + SECOND / 2);
        assertEquals(SECOND / 2, plan.decide("GetRecords").holdNanos(), "held for what is left of it");
        assertSame(FaultPlan.Decision.NONE, plan.decide("PutRecords"), "a put during the stall is no target either");
        clock.addAndGet(SECOND / 2);
        assertEquals(0, plan.decide("GetRecords").holdNanos(), "the stall is over");
    }

    @Test
    void callsThatAreNoTargetAreNotDecidedAndDrawNothing() {
        ProxyFaults faults = ProxyFaults.none().withErrors(0.5, 0).withSeed(5);
        FaultPlan mixed = new FaultPlan(faults, clock::get);
        List<FaultPlan.Outcome> puts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            assertSame(FaultPlan.Decision.NONE, mixed.decide("GetRecords"));
            assertSame(FaultPlan.Decision.NONE, mixed.decide("ListShards"));
            puts.add(mixed.decide("PutRecords").outcome());
        }

        assertEquals(outcomes(decide(new FaultPlan(faults, clock::get), 500)), puts,
                "the puts' outcomes do not depend on the other calls between them");
    }

    private static void assertShare(double expected, Integer count, int calls) {
        double share = (count == null ? 0 : count) / (double) calls;
        assertEquals(expected, share, expected * 0.1, "share " + share + " where " + expected + " was asked for");
    }
}
