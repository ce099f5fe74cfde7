package io.fleetbench.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link KinesisProducer} batches, bounds and retries its PutRecords requests.
 *
 * @param streamName          the Kinesis stream to put to; required
 * @param maxInFlightRequests most PutRecords batches on the wire or waiting to be retried at once,
 *                            1 to 10,000. Default 16. When all are busy and the buffered batch is
 *                            full, {@link KinesisProducer#canAccept()} is false.
 * @param recordTtl           how long after its intended send time an event may still be retried;
 *                            then it fails with the reason of its last attempt. Positive. Default 30 s.
 * @param linger              longest a partly filled batch waits for more records before it is
 *                            sent. Zero or more. Default 20 ms.
 * @param backoffBase         delay before the first retry; doubles with each further retry, with
 *                            equal jitter. Positive. Default 100 ms.
 * @param backoffMax          cap on the retry delay. At least {@code backoffBase}. Default 5 s.
 * @param aggregation         whether user records are packed into KPL-compatible aggregates, one
 *                            aggregate per predicted shard of up to 1 MiB, which the KCL
 *                            de-aggregates. Default false: plain records any consumer reads.
 * @param apiCallTimeout      longest one PutRecords call (and its one attempt) may take before it fails as
 *                            timed out, which leaves its records ambiguous until a retry decides them; set on
 *                            each PutRecords request, so that the client's other calls keep their own timeout.
 *                            Positive; should be well below {@code recordTtl}, so that a timed-out call leaves
 *                            time to retry. Default 10 s.
 */
public record ProducerConfig(String streamName, int maxInFlightRequests, Duration recordTtl, Duration linger,
                             Duration backoffBase, Duration backoffMax, boolean aggregation, Duration apiCallTimeout) {

    public ProducerConfig {
        Objects.requireNonNull(streamName, "streamName");
        if (streamName.isEmpty() || streamName.length() > 128) {
            throw new IllegalArgumentException("streamName must have 1 to 128 characters, found " + streamName.length());
        }
        if (maxInFlightRequests < 1 || maxInFlightRequests > MAX_IN_FLIGHT_REQUESTS) {
            throw new IllegalArgumentException("maxInFlightRequests must be in [1, 10000], found " + maxInFlightRequests);
        }
        requirePositive("recordTtl", recordTtl);
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must be >= 0, found " + linger);
        }
        requirePositive("backoffBase", backoffBase);
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffMax must be >= backoffBase (" + backoffBase + "), found " + backoffMax);
        }
        requirePositive("apiCallTimeout", apiCallTimeout);
    }

    /** A config with the default API call timeout. */
    public ProducerConfig(String streamName, int maxInFlightRequests, Duration recordTtl, Duration linger,
                          Duration backoffBase, Duration backoffMax, boolean aggregation) {
        this(streamName, maxInFlightRequests, recordTtl, linger, backoffBase, backoffMax, aggregation,
                DEFAULT_API_CALL_TIMEOUT);
    }

    /** The most requests in flight a producer takes. */
    public static final int MAX_IN_FLIGHT_REQUESTS = 10_000;
    /** The default {@link #apiCallTimeout()}. */
    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The defaults for a stream: 16 requests in flight, 30 s TTL, 20 ms linger, 100 ms to 5 s backoff, no
     * aggregation, 10 s API call timeout.
     */
    public static ProducerConfig defaults(String streamName) {
        return new ProducerConfig(streamName, 16, Duration.ofSeconds(30), Duration.ofMillis(20),
                Duration.ofMillis(100), Duration.ofSeconds(5), false, DEFAULT_API_CALL_TIMEOUT);
    }

    /** This config with another bound on requests in flight. */
    public ProducerConfig withMaxInFlightRequests(int maxInFlightRequests) {
        return new ProducerConfig(streamName, maxInFlightRequests, recordTtl, linger, backoffBase, backoffMax, aggregation,
                apiCallTimeout);
    }

    /** This config with another record time-to-live. */
    public ProducerConfig withRecordTtl(Duration recordTtl) {
        return new ProducerConfig(streamName, maxInFlightRequests, recordTtl, linger, backoffBase, backoffMax, aggregation,
                apiCallTimeout);
    }

    /** This config with another linger. */
    public ProducerConfig withLinger(Duration linger) {
        return new ProducerConfig(streamName, maxInFlightRequests, recordTtl, linger, backoffBase, backoffMax, aggregation,
                apiCallTimeout);
    }

    /** This config with another retry backoff. */
    public ProducerConfig withBackoff(Duration backoffBase, Duration backoffMax) {
        return new ProducerConfig(streamName, maxInFlightRequests, recordTtl, linger, backoffBase, backoffMax, aggregation,
                apiCallTimeout);
    }

    /** This config with aggregation on or off. */
    public ProducerConfig withAggregation(boolean aggregation) {
        return new ProducerConfig(streamName, maxInFlightRequests, recordTtl, linger, backoffBase, backoffMax, aggregation,
                apiCallTimeout);
    }

    /** This config with another API call timeout. */
    public ProducerConfig withApiCallTimeout(Duration apiCallTimeout) {
        return new ProducerConfig(streamName, maxInFlightRequests, recordTtl, linger, backoffBase, backoffMax, aggregation,
                apiCallTimeout);
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, found " + d);
        }
    }
}
