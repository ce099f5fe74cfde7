package io.fleetbench.localstack;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The decisions of {@link ProxyFaults}, call by call: how long a call is held by the stall, how long it is delayed, and
 * what becomes of it. The random choices come from the faults' seed in the order calls arrive, the outcomes from one
 * stream and the jitter from another, so that adding jitter does not change which calls are reset or refused. Not
 * thread-safe: the proxy decides on one Vert.x context.
 */
final class FaultPlan {

    /** What becomes of a call once it was held and delayed. */
    enum Outcome {
        /** Passed on as without faults. */
        FORWARD(null),
        /** Its connection is reset before it is forwarded. */
        RESET_BEFORE(ProxyFault.RESET_BEFORE),
        /** It is forwarded, then its connection is reset instead of the answer. */
        RESET_AFTER(ProxyFault.RESET_AFTER),
        /** Answered HTTP 500 without being forwarded. */
        INTERNAL_FAILURE(ProxyFault.INTERNAL_FAILURE),
        /** Answered HTTP 503 without being forwarded. */
        SERVICE_UNAVAILABLE(ProxyFault.SERVICE_UNAVAILABLE);

        private final ProxyFault fault;

        Outcome(ProxyFault fault) {
            this.fault = fault;
        }

        /** The fault counted for it; null for {@link #FORWARD}. */
        ProxyFault fault() {
            return fault;
        }
    }

    /**
     * The decision for one call.
     *
     * @param holdNanos  how long the stall holds it; 0 outside a stall
     * @param delayNanos the added latency after that; 0 for none
     * @param outcome    what becomes of it then
     */
    record Decision(long holdNanos, long delayNanos, Outcome outcome) {
        /** A call the faults do not apply to. */
        static final Decision NONE = new Decision(0, 0, Outcome.FORWARD);
    }

    private final ProxyFaults faults;
    private final LongSupplier nanoTime;
    private final SplittableRandom outcomes;
    private final SplittableRandom jitter;
    private long firstPutNanos;
    private boolean putSeen;

    FaultPlan(ProxyFaults faults, LongSupplier nanoTime) {
        this.faults = faults;
        this.nanoTime = nanoTime;
        this.outcomes = new SplittableRandom(faults.seed());
        this.jitter = outcomes.split();
    }

    /**
     * Decides for a call of this operation, which arrives now; {@link Decision#NONE} for an operation the faults do
     * not apply to. The first PutRecords or PutRecord, targeted or not, starts the stall's clock.
     */
    Decision decide(String operation) {
        long now = nanoTime.getAsLong();
        if (!putSeen && (operation.equals("PutRecords") || operation.equals("PutRecord"))) {
            putSeen = true;
            firstPutNanos = now;
        }
        if (!faults.appliesTo(operation)) {
            return Decision.NONE;
        }
        long hold = 0;
        if (putSeen && !faults.stallFor().isZero()) {
            long start = firstPutNanos + faults.stallAt().toNanos();
            long end = start + faults.stallFor().toNanos();
            if (now - start >= 0 && end - now > 0) {
                hold = end - now;
            }
        }
        long delay = faults.latency().toNanos();
        long spread = faults.latencyJitter().toNanos();
        if (spread > 0) {
            delay += jitter.nextLong(spread + 1);
        }
        return new Decision(hold, delay, outcome(outcomes.nextDouble()));
    }

    private Outcome outcome(double u) {
        double edge = faults.resetBeforeShare();
        if (u < edge) {
            return Outcome.RESET_BEFORE;
        }
        edge += faults.resetAfterShare();
        if (u < edge) {
            return Outcome.RESET_AFTER;
        }
        edge += faults.internalFailureShare();
        if (u < edge) {
            return Outcome.INTERNAL_FAILURE;
        }
        edge += faults.serviceUnavailableShare();
        if (u < edge) {
            return Outcome.SERVICE_UNAVAILABLE;
        }
        return Outcome.FORWARD;
    }
}
