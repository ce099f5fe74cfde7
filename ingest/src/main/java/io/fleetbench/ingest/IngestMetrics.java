package io.fleetbench.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingestion endpoint's own meters, one method per event ({@link IngestMeters} names them; its producer registers
 * the rest). Every status the endpoint answers and every rejection reason has its series from the start, at 0.
 * Thread-safe.
 */
public final class IngestMetrics {
    /** The statuses the endpoint answers. */
    static final int[] STATUSES = {202, 400, 401, 403, 404, 405, 413, 415, 503, 504};

    private final MeterRegistry registry;
    private final Map<Integer, Counter> requests = new TreeMap<>();
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Timer latency;
    private final AtomicLong pending = new AtomicLong();
    private final Map<IngestFaults.Kind, Counter> faults = new EnumMap<>(IngestFaults.Kind.class);

    /** Registers the meters in {@code registry}. */
    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (int status : STATUSES) {
            requests.put(status, requestCounter(status));
        }
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, Counter.builder(IngestMeters.EVENTS_REJECTED).tag("reason", r.label())
                    .description("Events refused without being put, by reason; a request refused before its body"
                            + " was read counts as one").register(registry));
        }
        latency = Timer.builder(IngestMeters.REQUEST_LATENCY)
                .description("From a request's arrival to its answer").publishPercentileHistogram().register(registry);
        for (IngestFaults.Kind k : IngestFaults.Kind.values()) {
            if (k != IngestFaults.Kind.NONE) {
                faults.put(k, Counter.builder(IngestMeters.FAULTS).tag("fault", k.name().toLowerCase(Locale.ROOT))
                        .description("Requests that met a fault the endpoint was told to put on (IngestFaults)")
                        .register(registry));
            }
        }
        Gauge.builder(IngestMeters.EVENTS_PENDING, pending, AtomicLong::get).strongReference(true)
                .description("Events accepted and not yet acknowledged, failed or ambiguous").register(registry);
    }

    /** A request was answered with {@code status} (0: its connection closed instead), {@code nanos} after it arrived. */
    public void answered(int status, long nanos) {
        Counter c = requests.get(status);
        (c != null ? c : requestCounter(status)).increment();
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request met an injected fault. */
    void faultInjected(IngestFaults.Kind kind) {
        faults.get(kind).increment();
    }

    /** Events were refused without being put. */
    public void rejected(RejectReason reason, long events) {
        rejected.get(reason).increment(events);
    }

    /** Events were accepted: they count as pending until decided. */
    public void accepted(int events) {
        pending.addAndGet(events);
    }

    /** An accepted event was decided. */
    public void decided() {
        pending.decrementAndGet();
    }

    /** Events accepted and not yet decided. */
    public long pending() {
        return pending.get();
    }

    private Counter requestCounter(int status) {
        return Counter.builder(IngestMeters.REQUESTS).tag("status", status == 0 ? "none" : Integer.toString(status))
                .description("Requests answered, by HTTP status").register(registry);
    }
}
