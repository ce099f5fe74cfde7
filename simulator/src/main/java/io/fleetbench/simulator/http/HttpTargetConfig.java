package io.fleetbench.simulator.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the fleet sends its telemetry as HTTP requests ({@link HttpSender}).
 *
 * @param url                 where every request goes (POST); {@code http} or {@code https}
 * @param format              the body of a request. Default {@link BodyFormat#BATCH}.
 * @param version             HTTP/1.1, or HTTP/2 (h2c with prior knowledge on {@code http}, ALPN on {@code https}).
 *                            Default HTTP/1.1.
 * @param maxConnections      most connections to the host at once, 1 to 10,000; keep-alive, pooled. Default 256: over HTTP/1.1 a
 *                            connection carries one request at a time, so the connections bound the requests on the
 *                            wire (a fleet of devices holds one each).
 * @param maxInFlightRequests most requests on the wire or waiting to be retried at once, 1 to 100,000; when all are
 *                            busy the fleet is pushed back (shortfall). Default 512.
 * @param requestTimeout      longest one request may take before it fails as timed out, which leaves its events
 *                            ambiguous (the endpoint may have taken them), or may wait for a connection (then it was
 *                            not sent). Positive. Default 10 s.
 * @param eventTtl            how long after its intended send time an event may still be retried. Positive, longer
 *                            than {@code requestTimeout}. Default 30 s.
 * @param backoffBase         delay before the first retry; doubles with each further retry, with equal jitter;
 *                            a longer {@code Retry-After} wins. Positive. Default 100 ms.
 * @param backoffMax          cap on the backoff (not on {@code Retry-After}). Default 5 s.
 * @param cars                how cars batch their events
 * @param bikes               how bikes batch their events
 * @param caFile              PEM certificates to trust instead of the JDK's trust store, for {@code https}
 * @param streamName          the stream named in a {@link BodyFormat#KINESIS} body; required with that format
 * @param auth                how each request proves who sends it. Default none.
 */
public record HttpTargetConfig(URI url, BodyFormat format, Version version, int maxConnections, int maxInFlightRequests,
                               Duration requestTimeout, Duration eventTtl, Duration backoffBase, Duration backoffMax,
                               Batching cars, Batching bikes, Optional<Path> caFile, Optional<String> streamName,
                               HttpAuth auth) {
    /** The most events one request may carry. */
    public static final int MAX_BATCH_EVENTS = 500;

    public HttpTargetConfig {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("url must be an absolute http:// or https:// URL with a host, found "
                    + url);
        }
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(version, "version");
        requireRange("maxConnections", maxConnections, 1, 10_000);
        requireRange("maxInFlightRequests", maxInFlightRequests, 1, 100_000);
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("eventTtl", eventTtl);
        if (eventTtl.compareTo(requestTimeout) <= 0) {
            throw new IllegalArgumentException("eventTtl (" + eventTtl + ") must be longer than requestTimeout ("
                    + requestTimeout + "), or no timed-out request could be retried");
        }
        requirePositive("backoffBase", backoffBase);
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffMax must be >= backoffBase (" + backoffBase + "), found "
                    + backoffMax);
        }
        Objects.requireNonNull(cars, "cars");
        Objects.requireNonNull(bikes, "bikes");
        if (format == BodyFormat.EVENT && (cars.size() > 1 || bikes.size() > 1)) {
            throw new IllegalArgumentException("format event carries one event per request: batch sizes must be 1,"
                    + " found cars " + cars.size() + " and bikes " + bikes.size() + " (use format batch or kinesis)");
        }
        Objects.requireNonNull(caFile, "caFile");
        if (caFile.isPresent() && !scheme.equals("https")) {
            throw new IllegalArgumentException("caFile is for https URLs, found " + url);
        }
        Objects.requireNonNull(streamName, "streamName");
        if (format == BodyFormat.KINESIS && streamName.isEmpty()) {
            throw new IllegalArgumentException("format kinesis names the stream in each body: streamName is required");
        }
        Objects.requireNonNull(auth, "auth");
    }

    /** The defaults for a URL: batches of one event, HTTP/1.1, 256 connections, 512 requests in flight, no auth. */
    public static HttpTargetConfig defaults(URI url) {
        return new HttpTargetConfig(url, BodyFormat.BATCH, Version.HTTP_1_1, 256, 512, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(5), Batching.ONE, Batching.ONE,
                Optional.empty(), Optional.empty(), HttpAuth.none());
    }

    /** This config with another body format. */
    public HttpTargetConfig withFormat(BodyFormat format, Optional<String> streamName) {
        return new HttpTargetConfig(url, format, version, maxConnections, maxInFlightRequests, requestTimeout, eventTtl,
                backoffBase, backoffMax, cars, bikes, caFile, streamName, auth);
    }

    /** This config with another HTTP version and bounds on connections and requests in flight. */
    public HttpTargetConfig withConnections(Version version, int maxConnections, int maxInFlightRequests) {
        return new HttpTargetConfig(url, format, version, maxConnections, maxInFlightRequests, requestTimeout, eventTtl,
                backoffBase, backoffMax, cars, bikes, caFile, streamName, auth);
    }

    /** This config with other timeouts and backoff. */
    public HttpTargetConfig withTimeouts(Duration requestTimeout, Duration eventTtl, Duration backoffBase,
                                         Duration backoffMax) {
        return new HttpTargetConfig(url, format, version, maxConnections, maxInFlightRequests, requestTimeout, eventTtl,
                backoffBase, backoffMax, cars, bikes, caFile, streamName, auth);
    }

    /** This config with other batching per device family. */
    public HttpTargetConfig withBatching(Batching cars, Batching bikes) {
        return new HttpTargetConfig(url, format, version, maxConnections, maxInFlightRequests, requestTimeout, eventTtl,
                backoffBase, backoffMax, cars, bikes, caFile, streamName, auth);
    }

    /** This config with a CA file to trust and another authentication. */
    public HttpTargetConfig withSecurity(Optional<Path> caFile, HttpAuth auth) {
        return new HttpTargetConfig(url, format, version, maxConnections, maxInFlightRequests, requestTimeout, eventTtl,
                backoffBase, backoffMax, cars, bikes, caFile, streamName, auth);
    }

    /** The body of a request. */
    public enum BodyFormat {
        /** One event's JSON per request. */
        EVENT("event"),
        /** A device's batch as a JSON array of events (one event is an array of one). */
        BATCH("batch"),
        /**
         * The body of Kinesis PutRecords, as API Gateway's Kinesis service integration passes it through:
         * {@code {"StreamName": ..., "Records": [{"Data": <base64 of the event JSON>, "PartitionKey": <device id>}]}};
         * a 200 answer with {@code FailedRecordCount > 0} fails the records whose entry has an {@code ErrorCode}.
         */
        KINESIS("kinesis");

        private final String wireName;

        BodyFormat(String wireName) {
            this.wireName = wireName;
        }

        /** The name in a profile. */
        public String wireName() {
            return wireName;
        }
    }

    /** The HTTP version of every connection. */
    public enum Version {
        HTTP_1_1, HTTP_2
    }

    /**
     * How a device family batches: a device sends a request once it holds {@code size} events or its oldest held
     * event has waited {@code interval}, whichever comes first.
     *
     * @param size     events per request, 1 to {@value #MAX_BATCH_EVENTS}
     * @param interval the longest an event waits in its device's batch; zero or more (zero with size 1)
     */
    public record Batching(int size, Duration interval) {
        /** One event per request, sent at once. */
        public static final Batching ONE = new Batching(1, Duration.ZERO);

        public Batching {
            requireRange("batch size", size, 1, MAX_BATCH_EVENTS);
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("batch interval must be >= 0, found " + interval);
            }
        }
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], found " + value);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, found " + d);
        }
    }
}
