package io.fleetbench.consumer;

/**
 * The names of the consumer's meters, as {@link ConsumerMetrics} registers them and readers look them up;
 * docs/metrics.md gives their Prometheus names, types and labels ({@code MeterCatalogueTest} holds the three together).
 */
public final class ConsumerMeters {
    /** Counter of Kinesis records received, by {@code shard}. */
    public static final String RECORDS_RECEIVED = "fleetbench.consumer.records.received";
    /** Counter of records decoded into valid events, by {@code table}. */
    public static final String EVENTS_DECODED = "fleetbench.consumer.events.decoded";
    /** Counter of records rejected as invalid events, by {@code reason}. */
    public static final String EVENTS_INVALID = "fleetbench.consumer.events.invalid";
    /** Counter of sink flushes of a shard, by {@code shard}. */
    public static final String FLUSHES = "fleetbench.consumer.flushes";
    /** Counter of KCL checkpoints written, by {@code shard}. */
    public static final String CHECKPOINTS = "fleetbench.consumer.checkpoints";
    /** Gauge of how far a shard's reader is behind the tip of the shard, in seconds, by {@code shard}. */
    public static final String LAG = "fleetbench.consumer.lag";
    /**
     * Gauge, seconds, label {@code shard}: how old the newest record of the shard's latest batch was when this
     * worker read it, from the record's arrival time in the stream (Kinesis's IteratorAgeMilliseconds): the
     * reading half of the end-to-end delay, measured on any stream, emulators included.
     */
    public static final String ITERATOR_AGE = "fleetbench.consumer.iterator.age";

    private ConsumerMeters() {
    }
}
