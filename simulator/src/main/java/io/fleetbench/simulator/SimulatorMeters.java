package io.fleetbench.simulator;

/**
 * The names of the meters of the simulator, its producer, shard load meter and fault injector, as those register
 * them and readers look them up; docs/metrics.md gives their Prometheus names, types and labels
 * ({@code MeterCatalogueTest} holds the three together).
 */
public final class SimulatorMeters {
    /** What every name here starts with. */
    public static final String PREFIX = "fleetbench.simulator";
    /** Counter of events the fleet generated, by {@code family}. */
    public static final String EVENTS_GENERATED = "fleetbench.simulator.events.generated";
    /** Gauge of the load shape's target rate now, in events per second. */
    public static final String TARGET_RATE = "fleetbench.simulator.target.rate";
    /** Counter of events due that could not be sent at their intended time. */
    public static final String EVENTS_SHORTFALL = "fleetbench.simulator.events.shortfall";
    /** Counter of events handed to the Kinesis producer. */
    public static final String EVENTS_SENT = "fleetbench.simulator.events.sent";
    /** Counter of events Kinesis accepted. */
    public static final String EVENTS_ACKNOWLEDGED = "fleetbench.simulator.events.acknowledged";
    /**
     * Counter of events accepted after an earlier attempt whose outcome is unknown (timed out, connection
     * lost): possibly in the stream twice. Also counted in {@link #EVENTS_ACKNOWLEDGED}.
     */
    public static final String EVENTS_ACKNOWLEDGED_AFTER_AMBIGUOUS =
            "fleetbench.simulator.events.acknowledged.after.ambiguous";
    /** Counter of events the producer gave up on after attempts that all failed for sure, by {@code reason}. */
    public static final String EVENTS_FAILED = "fleetbench.simulator.events.failed";
    /**
     * Counter of events the producer gave up on after at least one attempt whose outcome is unknown:
     * in the stream once or not at all.
     */
    public static final String EVENTS_AMBIGUOUS = "fleetbench.simulator.events.ambiguous";
    /**
     * Counter of events sent again, aggregated by the stream's new shards, because the aggregate they were in
     * landed in a shard whose hash-key range does not hold them all (the stream was resharded).
     */
    public static final String EVENTS_REAGGREGATED = "fleetbench.simulator.events.reaggregated";
    /** Counter of record re-sends after a failed attempt, by {@code reason}. */
    public static final String EVENTS_RETRIED = "fleetbench.simulator.events.retried";
    /** Timer from an event's intended send time to its acknowledgement. */
    public static final String PUT_LATENCY = "fleetbench.simulator.put.latency";
    /** Gauge of events buffered, on the wire or waiting to be retried. */
    public static final String EVENTS_IN_FLIGHT = "fleetbench.simulator.events.in.flight";
    /** Gauge of PutRecords batches on the wire or waiting to be retried. */
    public static final String REQUESTS_IN_FLIGHT = "fleetbench.simulator.requests.in.flight";
    /** Counter of Kinesis records put to a shard, first attempts, by {@code shard}. */
    public static final String SHARD_RECORDS = "fleetbench.simulator.shard.records";
    /** Counter of bytes put to a shard, first attempts, by {@code shard}. */
    public static final String SHARD_BYTES = "fleetbench.simulator.shard.bytes";
    /** Counter of requests to the HTTP target, by {@code outcome}: the status code, or a connection outcome. */
    public static final String HTTP_REQUESTS = "fleetbench.simulator.http.requests";
    /** Gauge of HTTP connections open to the target. */
    public static final String HTTP_CONNECTIONS = "fleetbench.simulator.http.connections";
    /** Gauge of HTTP connections opened to the target so far. */
    public static final String HTTP_CONNECTIONS_OPENED = "fleetbench.simulator.http.connections.opened";
    /** Counter of records touched by an injected data fault, by {@code fault}. */
    public static final String FAULTS = "fleetbench.simulator.faults";

    private SimulatorMeters() {
    }

    /**
     * A meter's name under another prefix: {@code named("fleetbench.ingest", EVENTS_SENT)} is
     * {@code fleetbench.ingest.events.sent}.
     *
     * @throws IllegalArgumentException if {@code name} does not start with {@link #PREFIX}
     */
    public static String named(String prefix, String name) {
        if (!name.startsWith(PREFIX + ".")) {
            throw new IllegalArgumentException("a simulator meter name starts with " + PREFIX + ", found " + name);
        }
        return prefix + name.substring(PREFIX.length());
    }
}
