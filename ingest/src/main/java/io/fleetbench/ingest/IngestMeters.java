package io.fleetbench.ingest;

import io.fleetbench.simulator.SimulatorMeters;

/**
 * The names of the ingestion endpoint's meters, as {@link IngestMetrics} and its Kinesis producer register them and
 * readers look them up; docs/metrics.md gives their Prometheus names, types and labels ({@code MeterCatalogueTest}
 * holds the three together). The producer's are the simulator producer's meters under {@link #PREFIX}.
 */
public final class IngestMeters {
    /** What every name here starts with. */
    public static final String PREFIX = "fleetbench.ingest";
    /** Counter of requests answered, by {@code status} (the numeric HTTP status). */
    public static final String REQUESTS = "fleetbench.ingest.requests";
    /** Timer from a request's arrival to its answer. */
    public static final String REQUEST_LATENCY = "fleetbench.ingest.request.latency";
    /**
     * Counter of events refused without being put, by {@code reason} ({@link RejectReason}); a request refused before
     * its body was read counts as one.
     */
    public static final String EVENTS_REJECTED = "fleetbench.ingest.events.rejected";
    /** Gauge of events accepted and not yet decided (acknowledged, failed or ambiguous). */
    public static final String EVENTS_PENDING = "fleetbench.ingest.events.pending";
    /** Counter of requests that met an injected fault ({@link IngestFaults}), by {@code fault}. */
    public static final String FAULTS = "fleetbench.ingest.faults";

    /** Counter of events handed to the producer. */
    public static final String EVENTS_SENT = producer(SimulatorMeters.EVENTS_SENT);
    /** Counter of events Kinesis accepted. */
    public static final String EVENTS_ACKNOWLEDGED = producer(SimulatorMeters.EVENTS_ACKNOWLEDGED);
    /** Counter of events accepted after an attempt whose outcome is unknown: possibly in the stream twice. */
    public static final String EVENTS_ACKNOWLEDGED_AFTER_AMBIGUOUS =
            producer(SimulatorMeters.EVENTS_ACKNOWLEDGED_AFTER_AMBIGUOUS);
    /** Counter of events given up on after attempts that all failed for sure, by {@code reason}. */
    public static final String EVENTS_FAILED = producer(SimulatorMeters.EVENTS_FAILED);
    /** Counter of events given up on after an attempt whose outcome is unknown. */
    public static final String EVENTS_AMBIGUOUS = producer(SimulatorMeters.EVENTS_AMBIGUOUS);
    /** Counter of events sent again, aggregated by the stream's new shards, after a reshard. */
    public static final String EVENTS_REAGGREGATED = producer(SimulatorMeters.EVENTS_REAGGREGATED);
    /** Counter of record re-sends after a failed attempt, by {@code reason}. */
    public static final String EVENTS_RETRIED = producer(SimulatorMeters.EVENTS_RETRIED);
    /** Timer from an event's arrival to its acknowledgement by Kinesis. */
    public static final String PUT_LATENCY = producer(SimulatorMeters.PUT_LATENCY);
    /** Gauge of events buffered in the producer, on the wire or waiting to be retried. */
    public static final String EVENTS_IN_FLIGHT = producer(SimulatorMeters.EVENTS_IN_FLIGHT);
    /** Gauge of PutRecords batches on the wire or waiting to be retried. */
    public static final String REQUESTS_IN_FLIGHT = producer(SimulatorMeters.REQUESTS_IN_FLIGHT);
    /** Counter of Kinesis records put to a shard, first attempts, by {@code shard}. */
    public static final String SHARD_RECORDS = producer(SimulatorMeters.SHARD_RECORDS);
    /** Counter of bytes put to a shard, first attempts, by {@code shard}. */
    public static final String SHARD_BYTES = producer(SimulatorMeters.SHARD_BYTES);

    private IngestMeters() {
    }

    private static String producer(String simulatorName) {
        return SimulatorMeters.named(PREFIX, simulatorName);
    }
}
