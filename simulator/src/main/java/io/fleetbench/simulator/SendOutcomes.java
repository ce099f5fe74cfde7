package io.fleetbench.simulator;

import io.fleetbench.telemetry.manifest.Outcome;
import io.fleetbench.telemetry.manifest.OutcomeRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the events a sender took, counted the same way whichever the sender ({@link KinesisProducer},
 * {@link io.fleetbench.simulator.http.HttpSender}): the event counters ({@link ProducerCounters}), their meters
 * ({@link SimulatorMeters}, under a prefix), latency from each event's intended send time (no coordinated omission),
 * and each event's outcome told to an {@link OutcomeRecorder} under its key.
 *
 * <p>An event given up on after an ambiguous attempt counts as ambiguous; otherwise as failed by the reason of its
 * last attempt. One acknowledged after an ambiguous attempt counts as acknowledged and as acknowledged after an
 * ambiguous attempt. Counting runs on the sender's thread; the counters and latencies may be read from any thread.
 */
public final class SendOutcomes {
    private final OutcomeRecorder outcomes;
    private final Recorder latencyMicros = new Recorder(3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong acknowledgedAfterAmbiguous = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong ambiguous = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final EnumMap<FailureReason, AtomicLong> failedByReason = new EnumMap<>(FailureReason.class);
    private final Counter sentCounter;
    private final Counter acknowledgedCounter;
    private final Counter acknowledgedAfterAmbiguousCounter;
    private final Counter ambiguousCounter;
    private final EnumMap<FailureReason, Counter> failedCounters = new EnumMap<>(FailureReason.class);
    private final EnumMap<FailureReason, Counter> retriedCounters = new EnumMap<>(FailureReason.class);
    private final Timer latency;

    /**
     * Registers the meters.
     *
     * @param meterPrefix the meters' prefix ({@link SimulatorMeters#named}): {@link SimulatorMeters#PREFIX} for the
     *                    fleet's sender
     * @param outcomes    where each event's outcome goes; null for none
     */
    public SendOutcomes(MeterRegistry registry, String meterPrefix, OutcomeRecorder outcomes) {
        this.outcomes = outcomes;
        sentCounter = Counter.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.EVENTS_SENT))
                .description("Events handed to the sender").register(registry);
        acknowledgedCounter = Counter.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.EVENTS_ACKNOWLEDGED))
                .description("Events the stream (or the HTTP target) accepted").register(registry);
        acknowledgedAfterAmbiguousCounter = Counter.builder(SimulatorMeters.named(meterPrefix,
                        SimulatorMeters.EVENTS_ACKNOWLEDGED_AFTER_AMBIGUOUS))
                .description("Events accepted after an attempt that timed out or lost its connection:"
                        + " possibly in the stream twice").register(registry);
        ambiguousCounter = Counter.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.EVENTS_AMBIGUOUS))
                .description("Events given up on after an attempt that timed out or lost its connection:"
                        + " in the stream once or not at all").register(registry);
        for (FailureReason r : FailureReason.values()) {
            failedByReason.put(r, new AtomicLong());
            failedCounters.put(r, Counter.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.EVENTS_FAILED))
                    .tag("reason", r.label())
                    .description("Events given up on after attempts that all failed for sure").register(registry));
            retriedCounters.put(r, Counter.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.EVENTS_RETRIED))
                    .tag("reason", r.label()).description("Event re-sends after a failed attempt").register(registry));
        }
        latency = Timer.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.PUT_LATENCY))
                .description("From an event's intended send time to its acknowledgement")
                .publishPercentileHistogram().register(registry);
        Gauge.builder(SimulatorMeters.named(meterPrefix, SimulatorMeters.EVENTS_IN_FLIGHT), inFlight, AtomicLong::get)
                .strongReference(true).description("Events buffered, on the wire or waiting to be retried")
                .register(registry);
    }

    /** Events were taken: they are in flight until decided. */
    public void sent(int n) {
        sent.addAndGet(n);
        sentCounter.increment(n);
        inFlight.addAndGet(n);
    }

    /**
     * Events {@code from} to {@code to} (exclusive) of a batch were acknowledged at {@code now}.
     *
     * @param intended  each event's intended send time, on the sender's clock
     * @param keys      each event's key for the outcome recorder
     * @param ambiguous whether an earlier attempt of theirs was ambiguous
     */
    public void acknowledged(long[] intended, long[] keys, int from, int to, boolean ambiguous, long now) {
        int n = to - from;
        for (int i = from; i < to; i++) {
            long l = Math.max(0, now - intended[i]);
            latencyMicros.recordValue(TimeUnit.NANOSECONDS.toMicros(l));
            latency.record(l, TimeUnit.NANOSECONDS);
            record(keys[i], Outcome.ACKNOWLEDGED);
            if (ambiguous) {
                record(keys[i], Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS);
            }
        }
        acknowledged.addAndGet(n);
        acknowledgedCounter.increment(n);
        if (ambiguous) {
            acknowledgedAfterAmbiguous.addAndGet(n);
            acknowledgedAfterAmbiguousCounter.increment(n);
        }
        inFlight.addAndGet(-n);
    }

    /**
     * Events were given up on: ambiguous if any attempt of theirs may have written them, else failed by
     * {@code lastFailure}.
     */
    public void gaveUp(long[] keys, boolean ambiguous, FailureReason lastFailure) {
        int n = keys.length;
        Outcome outcome = ambiguous ? Outcome.AMBIGUOUS : Outcome.FAILED;
        for (long key : keys) {
            record(key, outcome);
        }
        if (ambiguous) {
            this.ambiguous.addAndGet(n);
            ambiguousCounter.increment(n);
        } else {
            failed.addAndGet(n);
            failedByReason.get(lastFailure).addAndGet(n);
            failedCounters.get(lastFailure).increment(n);
        }
        inFlight.addAndGet(-n);
    }

    /** Events are sent again after an attempt that failed for {@code reason}. */
    public void retried(FailureReason reason, int n) {
        retried.addAndGet(n);
        retriedCounters.get(reason).increment(n);
    }

    /** Records an outcome or mark of one event, if it has a key and there is a recorder. */
    public void record(long key, Outcome outcome) {
        if (outcomes != null && key != KinesisProducer.NO_EVENT_KEY) {
            outcomes.record(key, outcome);
        }
    }

    /** Events taken and not yet decided. */
    public long inFlight() {
        return inFlight.get();
    }

    /** The counters now, with the sender's requests in flight and its events sent again after a reshard. */
    public ProducerCounters counters(int inFlightRequests, long reaggregated) {
        Map<FailureReason, Long> byReason = new EnumMap<>(FailureReason.class);
        failedByReason.forEach((r, n) -> byReason.put(r, n.get()));
        return new ProducerCounters(sent.get(), acknowledged.get(), acknowledgedAfterAmbiguous.get(), failed.get(),
                Map.copyOf(byReason), ambiguous.get(), retried.get(), inFlight.get(), inFlightRequests, reaggregated);
    }

    /** Latencies in microseconds recorded since the previous call; one reader at a time. */
    public Histogram intervalLatency() {
        return latencyMicros.getIntervalHistogram();
    }

    /**
     * A retry delay with equal jitter: half of {@code base} doubled for each attempt after the first (at most
     * {@code cap}), plus a random share of the other half.
     *
     * @param attempt 1 for the first retry
     */
    public static long backoffNanos(long base, long cap, int attempt, SplittableRandom jitter) {
        // The doubled base without overflow: beyond the cap it is the cap.
        long ceiling = attempt < 31 && base <= cap >> (attempt - 1) ? base << (attempt - 1) : cap;
        return ceiling / 2 + jitter.nextLong(ceiling / 2 + 1);
    }
}
