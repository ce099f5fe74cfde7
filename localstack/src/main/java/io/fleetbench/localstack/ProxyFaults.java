package io.fleetbench.localstack;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The infrastructure faults the {@link ShardLimitProxy} injects into the Kinesis calls it passes, each counted by kind
 * ({@link ProxyFault}). They apply to the calls whose operation ({@code X-Amz-Target}) is among {@code targets}; every
 * such call is, in this order:
 * <ol>
 *   <li>held while a stall lasts: from {@code stallAt} after the first PutRecords or PutRecord through the proxy (the
 *   load's start) for {@code stallFor}, then let through;</li>
 *   <li>delayed by {@code latency} plus a uniform random part of {@code latencyJitter};</li>
 *   <li>then, at random, one of: its connection reset before it is forwarded ({@code resetBeforeShare}: the emulator
 *   never sees it), its connection reset after it was forwarded instead of its answer ({@code resetAfterShare}: it
 *   landed, but the client cannot know), answered HTTP 500 {@code InternalFailure} ({@code internalFailureShare}) or
 *   HTTP 503 {@code ServiceUnavailable} ({@code serviceUnavailableShare}) without being forwarded; or, for the rest,
 *   passed on as without faults.</li>
 * </ol>
 * The random choices come from {@code seed}, drawn call by call in the order the calls arrive.
 *
 * @param targets                 the operations the faults apply to, e.g. {@code PutRecords}; default PutRecords and
 *                                PutRecord, so that the consumer's reads are left alone
 * @param latency                 delay added to each call; zero for none
 * @param latencyJitter           the most added on top of {@code latency}, uniformly at random; zero for none
 * @param resetBeforeShare        share of the calls whose connection is reset before they are forwarded
 * @param resetAfterShare         share of the calls whose connection is reset after they were forwarded
 * @param internalFailureShare    share of the calls answered HTTP 500
 * @param serviceUnavailableShare share of the calls answered HTTP 503
 * @param stallAt                 when the stall starts, after the first put through the proxy
 * @param stallFor                how long it lasts; zero for no stall
 * @param seed                    the seed of the random choices
 */
public record ProxyFaults(List<String> targets, Duration latency, Duration latencyJitter, double resetBeforeShare,
                          double resetAfterShare, double internalFailureShare, double serviceUnavailableShare,
                          Duration stallAt, Duration stallFor, long seed) {

    /** The operations the faults apply to unless told otherwise: the producer's puts. */
    public static final List<String> DEFAULT_TARGETS = List.of("PutRecords", "PutRecord");

    public ProxyFaults {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(latencyJitter, "latencyJitter");
        Objects.requireNonNull(stallAt, "stallAt");
        Objects.requireNonNull(stallFor, "stallFor");
        targets = List.copyOf(new LinkedHashSet<>(targets));
        if (targets.isEmpty() || targets.stream().anyMatch(t -> !t.matches("[A-Z][A-Za-z]+"))) {
            throw new IllegalArgumentException("targets must name at least one Kinesis operation such as PutRecords, found "
                    + targets);
        }
        for (Duration d : List.of(latency, latencyJitter, stallAt, stallFor)) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("latency, latencyJitter, stallAt and stallFor must not be negative, found "
                        + latency + ", " + latencyJitter + ", " + stallAt + ", " + stallFor);
            }
        }
        double[] shares = {resetBeforeShare, resetAfterShare, internalFailureShare, serviceUnavailableShare};
        double sum = 0;
        for (double share : shares) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("every share must be in [0, 1], found resetBefore " + resetBeforeShare
                        + ", resetAfter " + resetAfterShare + ", internalFailure " + internalFailureShare
                        + ", serviceUnavailable " + serviceUnavailableShare);
            }
            sum += share;
        }
        if (sum > 1 + 1e-9) {
            throw new IllegalArgumentException("resetBefore + resetAfter + internalFailure + serviceUnavailable must be at most"
                    + " 1 (a call meets at most one of them), found " + sum);
        }
    }

    /** No faults: what a proxy that only enforces shard limits runs with. */
    public static ProxyFaults none() {
        return new ProxyFaults(DEFAULT_TARGETS, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO, 1);
    }

    /** Whether any fault is asked for. */
    public boolean any() {
        return !latency.isZero() || !latencyJitter.isZero() || resetBeforeShare > 0 || resetAfterShare > 0
                || internalFailureShare > 0 || serviceUnavailableShare > 0 || !stallFor.isZero();
    }

    /** Whether the faults apply to calls of this operation ({@code PutRecords}, ...). */
    public boolean appliesTo(String operation) {
        return targets.contains(operation);
    }

    /** A copy applying to other operations. */
    public ProxyFaults withTargets(List<String> operations) {
        return new ProxyFaults(operations, latency, latencyJitter, resetBeforeShare, resetAfterShare, internalFailureShare,
                serviceUnavailableShare, stallAt, stallFor, seed);
    }

    /** A copy with another added latency: {@code delay} plus up to {@code jitter}. */
    public ProxyFaults withLatency(Duration delay, Duration jitter) {
        return new ProxyFaults(targets, delay, jitter, resetBeforeShare, resetAfterShare, internalFailureShare,
                serviceUnavailableShare, stallAt, stallFor, seed);
    }

    /** A copy with other shares of connection resets, before and after forwarding. */
    public ProxyFaults withResets(double before, double after) {
        return new ProxyFaults(targets, latency, latencyJitter, before, after, internalFailureShare,
                serviceUnavailableShare, stallAt, stallFor, seed);
    }

    /** A copy with other shares of HTTP 500 and 503 answers. */
    public ProxyFaults withErrors(double internalFailure, double serviceUnavailable) {
        return new ProxyFaults(targets, latency, latencyJitter, resetBeforeShare, resetAfterShare, internalFailure,
                serviceUnavailable, stallAt, stallFor, seed);
    }

    /** A copy with a stall of {@code length} from {@code at} after the first put. */
    public ProxyFaults withStall(Duration at, Duration length) {
        return new ProxyFaults(targets, latency, latencyJitter, resetBeforeShare, resetAfterShare, internalFailureShare,
                serviceUnavailableShare, at, length, seed);
    }

    /** A copy with another seed. */
    public ProxyFaults withSeed(long newSeed) {
        return new ProxyFaults(targets, latency, latencyJitter, resetBeforeShare, resetAfterShare, internalFailureShare,
                serviceUnavailableShare, stallAt, stallFor, newSeed);
    }

    /**
     * What the faults are, for a log line or a run's start: "latency 50 ms + up to 20 ms, 1 % reset before forwarding on
     * PutRecords, PutRecord (seed 1)".
     */
    public String describe() {
        if (!any()) {
            return "no faults";
        }
        List<String> parts = new ArrayList<>();
        if (!stallFor.isZero()) {
            parts.add("a stall of " + format(stallFor) + " from " + format(stallAt) + " after the first put");
        }
        if (!latency.isZero() || !latencyJitter.isZero()) {
            parts.add("latency " + format(latency) + (latencyJitter.isZero() ? "" : " + up to " + format(latencyJitter)));
        }
        addShare(parts, resetBeforeShare, "reset before forwarding");
        addShare(parts, resetAfterShare, "reset after forwarding");
        addShare(parts, internalFailureShare, "HTTP 500");
        addShare(parts, serviceUnavailableShare, "HTTP 503");
        return String.join(", ", parts) + " on " + String.join(", ", targets) + " (seed " + seed + ")";
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void addShare(List<String> parts, double share, String what) {
        if (share > 0) {
            parts.add(new BigDecimal(100 * share).round(new MathContext(4)).stripTrailingZeros().toPlainString() + " % " + what);
        }
    }
}
