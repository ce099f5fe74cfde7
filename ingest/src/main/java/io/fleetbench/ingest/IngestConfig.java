package io.fleetbench.ingest;

import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.simulator.ProducerConfig;

import java.util.Objects;

/**
 * How the ingestion endpoint listens, what it takes and how it puts into Kinesis. Tests and callers start from
 * {@link #defaults(String)} and override what they need with the {@code with*} methods.
 *
 * @param host               the address to listen on. Default {@value #DEFAULT_HOST}: this machine only.
 * @param port               the port, 0 for any free one (the server tells which). 0 to 65535. Default 0.
 * @param path               where events are posted; starts with {@code /}, and is not {@value #HEALTH_PATH}. Default
 *                           {@value #DEFAULT_PATH}.
 * @param maxBodyBytes       the largest request body taken; a larger one is answered 413. 1 to 64 MiB. Default 1 MiB.
 * @param maxEventsPerRequest the most events one request may carry; more is answered 413. 1 to
 *                           {@value #MAX_EVENTS_PER_REQUEST_LIMIT}. Default {@value #DEFAULT_MAX_EVENTS_PER_REQUEST}
 *                           (as many as one PutRecords call takes).
 * @param maxBufferedEvents  the most events accepted but not yet decided (acknowledged, failed or ambiguous) at once;
 *                           a request that would take them over is answered 503. At least
 *                           {@code maxEventsPerRequest}, so that a full request can be taken when nothing waits.
 *                           Default {@value #DEFAULT_MAX_BUFFERED_EVENTS}.
 * @param retryAfterSeconds  the seconds a 503 answer advertises in {@code Retry-After}. 1 to 3600. Default 1.
 * @param credentials        who may post. Default {@link IngestCredentials#none()}.
 * @param producer           how events are put into the stream, which it names; required. Default
 *                           {@link ProducerConfig#defaults(String)}.
 * @param faults             misbehaviour put on for tests ({@link IngestFaults}). Default none.
 */
public record IngestConfig(String host, int port, String path, int maxBodyBytes, int maxEventsPerRequest,
                           int maxBufferedEvents, int retryAfterSeconds, IngestCredentials credentials,
                           ProducerConfig producer, IngestFaults faults) {
    /** The default {@link #host()}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default {@link #path()}. */
    public static final String DEFAULT_PATH = "/v1/telemetry";
    /** Where the server answers health probes, on the same port. */
    public static final String HEALTH_PATH = "/health";
    /** The default {@link #maxBodyBytes()}: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** The largest {@link #maxBodyBytes()} allowed: 64 MiB. */
    public static final int MAX_BODY_BYTES_LIMIT = 64 << 20;
    /** The default {@link #maxEventsPerRequest()}. */
    public static final int DEFAULT_MAX_EVENTS_PER_REQUEST = KinesisProducer.MAX_RECORDS_PER_REQUEST;
    /** The largest {@link #maxEventsPerRequest()} allowed. */
    public static final int MAX_EVENTS_PER_REQUEST_LIMIT = 100_000;
    /** The default {@link #maxBufferedEvents()}. */
    public static final int DEFAULT_MAX_BUFFERED_EVENTS = 20_000;
    /** The default {@link #retryAfterSeconds()}. */
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;

    public IngestConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(faults, "faults");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must be an address, found a blank one");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], found " + port);
        }
        if (!path.startsWith("/") || path.equals(HEALTH_PATH) || path.contains("?") || path.contains("#")) {
            throw new IllegalArgumentException("path must start with / and be neither " + HEALTH_PATH
                    + " nor carry a query or fragment, found \"" + path + "\"");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBodyBytes must be in [1, " + MAX_BODY_BYTES_LIMIT + "], found "
                    + maxBodyBytes);
        }
        if (maxEventsPerRequest < 1 || maxEventsPerRequest > MAX_EVENTS_PER_REQUEST_LIMIT) {
            throw new IllegalArgumentException("maxEventsPerRequest must be in [1, " + MAX_EVENTS_PER_REQUEST_LIMIT
                    + "], found " + maxEventsPerRequest);
        }
        if (maxBufferedEvents < maxEventsPerRequest) {
            throw new IllegalArgumentException("maxBufferedEvents must be >= maxEventsPerRequest ("
                    + maxEventsPerRequest + "), or no full request could ever be taken; found " + maxBufferedEvents);
        }
        if (retryAfterSeconds < 1 || retryAfterSeconds > 3600) {
            throw new IllegalArgumentException("retryAfterSeconds must be in [1, 3600], found " + retryAfterSeconds);
        }
    }

    /** The defaults, putting into {@code stream}: see each component. */
    public static IngestConfig defaults(String stream) {
        return new IngestConfig(DEFAULT_HOST, 0, DEFAULT_PATH, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENTS_PER_REQUEST,
                DEFAULT_MAX_BUFFERED_EVENTS, DEFAULT_RETRY_AFTER_SECONDS, IngestCredentials.none(),
                ProducerConfig.defaults(stream), IngestFaults.none());
    }

    /** The stream events are put into: the producer's. */
    public String streamName() {
        return producer.streamName();
    }

    /** This config listening elsewhere. */
    public IngestConfig withListen(String host, int port) {
        return new IngestConfig(host, port, path, maxBodyBytes, maxEventsPerRequest, maxBufferedEvents,
                retryAfterSeconds, credentials, producer, faults);
    }

    /** This config taking events on another path. */
    public IngestConfig withPath(String path) {
        return new IngestConfig(host, port, path, maxBodyBytes, maxEventsPerRequest, maxBufferedEvents,
                retryAfterSeconds, credentials, producer, faults);
    }

    /** This config with other limits on one request. */
    public IngestConfig withRequestLimits(int maxBodyBytes, int maxEventsPerRequest) {
        return new IngestConfig(host, port, path, maxBodyBytes, maxEventsPerRequest, maxBufferedEvents,
                retryAfterSeconds, credentials, producer, faults);
    }

    /** This config with another bound on events accepted but not yet decided. */
    public IngestConfig withMaxBufferedEvents(int maxBufferedEvents) {
        return new IngestConfig(host, port, path, maxBodyBytes, maxEventsPerRequest, maxBufferedEvents,
                retryAfterSeconds, credentials, producer, faults);
    }

    /** This config advertising another {@code Retry-After}. */
    public IngestConfig withRetryAfterSeconds(int retryAfterSeconds) {
        return new IngestConfig(host, port, path, maxBodyBytes, maxEventsPerRequest, maxBufferedEvents,
                retryAfterSeconds, credentials, producer, faults);
    }

    /** This config with other accepted credentials. */
    public IngestConfig withCredentials(IngestCredentials credentials) {
        return new IngestConfig(host, port, path, maxBodyBytes, maxEventsPerRequest, maxBufferedEvents,
                retryAfterSeconds, credentials, producer, faults);
    }

    /** This config putting on misbehaviour: for tests of a fleet against a broken front door. */
    public IngestConfig withFaults(IngestFaults faults) {
        return new IngestConfig(host, port, path, maxBodyBytes, maxEventsPerRequest, maxBufferedEvents,
                retryAfterSeconds, credentials, producer, faults);
    }

    /** This config putting with another producer config (and into its stream). */
    public IngestConfig withProducer(ProducerConfig producer) {
        return new IngestConfig(host, port, path, maxBodyBytes, maxEventsPerRequest, maxBufferedEvents,
                retryAfterSeconds, credentials, producer, faults);
    }
}
