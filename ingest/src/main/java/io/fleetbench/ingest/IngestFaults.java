package io.fleetbench.ingest;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Misbehaviour the reference endpoint can put on, so that a fleet, its accounting and the audit can be tried against
 * a front door that is slow, pushes back or breaks its answers. Each is a share of the requests that pass validation,
 * drawn from a seeded random; a request meets at most one. Where the events were written before the answer breaks,
 * the client cannot know it: it sees an ambiguous outcome, and its retry writes them again (a producer re-send).
 *
 * @param slow             share answered as usual, but only {@code delay} after their events were decided
 * @param delay            how late a slow answer comes; zero or more, under a minute
 * @param tooManyRequests  share answered 429 with {@code Retry-After} before anything is written
 * @param errorAfterWrite  share whose events are written, then answered 500
 * @param resetAfterWrite  share whose events are written, then whose connection is closed without an answer
 * @param closeMidResponse share whose events are written, then whose answer is cut: the status line, the headers and
 *                         part of the body go out, then the connection closes
 * @param seed             the draws' seed
 */
public record IngestFaults(double slow, Duration delay, double tooManyRequests, double errorAfterWrite,
                           double resetAfterWrite, double closeMidResponse, long seed) {

    /** What a request meets. */
    enum Kind { NONE, SLOW, TOO_MANY_REQUESTS, ERROR_AFTER_WRITE, RESET_AFTER_WRITE, CLOSE_MID_RESPONSE }

    public IngestFaults {
        Objects.requireNonNull(delay, "delay");
        double sum = 0;
        for (double share : new double[] {slow, tooManyRequests, errorAfterWrite, resetAfterWrite, closeMidResponse}) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("each fault's share must be in [0, 1], found " + share);
            }
            sum += share;
        }
        if (sum > 1 + 1e-9) {
            throw new IllegalArgumentException("the faults' shares add up to " + sum + ", more than 1: a request meets"
                    + " at most one");
        }
        if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) >= 0) {
            throw new IllegalArgumentException("delay must be in [0, 1 min), found " + delay);
        }
    }

    /** No misbehaviour: the default. */
    public static IngestFaults none() {
        return new IngestFaults(0, Duration.ZERO, 0, 0, 0, 0, 0);
    }

    /** Whether any request may meet a fault. */
    public boolean any() {
        return slow + tooManyRequests + errorAfterWrite + resetAfterWrite + closeMidResponse > 0;
    }

    /** The draws of one endpoint: not thread-safe, like the endpoint's one context that draws. */
    Draws draws() {
        return new Draws(new SplittableRandom(seed));
    }

    /** The sequence of draws, one per request that passed validation. */
    final class Draws {
        private final SplittableRandom random;

        private Draws(SplittableRandom random) {
            this.random = random;
        }

        Kind next() {
            if (!any()) {
                return Kind.NONE;
            }
            double r = random.nextDouble();
            if ((r -= slow) < 0) {
                return Kind.SLOW;
            }
            if ((r -= tooManyRequests) < 0) {
                return Kind.TOO_MANY_REQUESTS;
            }
            if ((r -= errorAfterWrite) < 0) {
                return Kind.ERROR_AFTER_WRITE;
            }
            if ((r -= resetAfterWrite) < 0) {
                return Kind.RESET_AFTER_WRITE;
            }
            return r - closeMidResponse < 0 ? Kind.CLOSE_MID_RESPONSE : Kind.NONE;
        }
    }
}
