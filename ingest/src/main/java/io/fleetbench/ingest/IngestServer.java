package io.fleetbench.ingest;

import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.simulator.ProducerExecutor;
import io.fleetbench.simulator.ShardMap;
import io.fleetbench.simulator.ShardMapException;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.manifest.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The reference HTTP ingestion endpoint, the pipeline's front door: devices POST events to {@link IngestConfig#path()}
 * (HTTP/1.1, or HTTP/2 over clear text by prior knowledge or upgrade); the endpoint authenticates, validates and puts
 * them into Kinesis with the simulator's {@link KinesisProducer} (batching, retries, optional KPL aggregation), each
 * event's JSON as sent as the record's data and its device id (a PutRecords body's {@code PartitionKey}) as the
 * partition key, and answers only once every event of the request is decided. Body formats: see {@link IngestBody}.
 *
 * <table>
 *   <caption>What each answer means for the client</caption>
 *   <tr><th>status</th><th>when</th><th>written?</th><th>the client</th></tr>
 *   <tr><td>202</td><td>the stream acknowledged every event; body {@code {"accepted":n}}</td><td>yes</td>
 *       <td>done</td></tr>
 *   <tr><td>400</td><td>a body, or an event in it, that is not valid; the body names the event's index and the
 *       field or reason</td><td>no event</td><td>do not retry as is</td></tr>
 *   <tr><td>401</td><td>credentials missing (with {@code WWW-Authenticate})</td><td>no</td><td>do not retry as is</td></tr>
 *   <tr><td>403</td><td>credentials not accepted</td><td>no</td><td>do not retry as is</td></tr>
 *   <tr><td>413</td><td>a body over {@link IngestConfig#maxBodyBytes()} or more than
 *       {@link IngestConfig#maxEventsPerRequest()} events; the body names the limit</td><td>no</td>
 *       <td>split, do not retry as is</td></tr>
 *   <tr><td>415</td><td>a content type other than {@code application/json} or {@code application/x-amz-json-1.1}</td>
 *       <td>no</td><td>do not retry as is</td></tr>
 *   <tr><td>503</td><td>no room (accepting the events would take those accepted and undecided over
 *       {@link IngestConfig#maxBufferedEvents()}, or the producer cannot take more), the endpoint is stopping, or the
 *       stream refused every event for sure; with {@code Retry-After}</td><td>no</td>
 *       <td>retry after the advertised seconds</td></tr>
 *   <tr><td>504</td><td>some events may be in the stream and some not: an attempt's outcome is unknown (timed out,
 *       connection lost), or part was written and part refused; the body counts them</td><td>unknown</td>
 *       <td>treat the outcome as unknown: a retry may write events twice (same event ids)</td></tr>
 * </table>
 *
 * <p>Backpressure loses nothing: a 503 puts none of the request's events, and an accepted request is answered once
 * its events are decided, even if its client has gone away (its events still count). {@code GET /health} on the same
 * port answers 200 {@code ok} while the endpoint accepts, 503 while it stops.
 *
 * <p>Threading: the HTTP handlers, the producer and its callbacks all run on the context of one verticle, so the
 * endpoint's state needs no locks; {@link #stats()}, {@link #port()} and {@link #stop()} may be called from any thread.
 */
public final class IngestServer {
    /** How long listing the stream's shards at the start may take. */
    public static final Duration SHARD_LIST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);
    private static final String JSON_TYPE = "application/json";

    private final Vertx vertx;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final Endpoint endpoint;
    private final ConcurrentHashMap<Integer, AtomicLong> requestsByStatus = new ConcurrentHashMap<>();
    private final EnumMap<RejectReason, AtomicLong> rejected = new EnumMap<>(RejectReason.class);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong ambiguous = new AtomicLong();
    private volatile boolean accepting = true;
    private volatile int port;

    private IngestServer(Vertx vertx, KinesisAsyncClient client, IngestConfig config, ShardMap shards,
                         MeterRegistry registry, LongSupplier nanoTime) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = new IngestMetrics(registry);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, new AtomicLong());
        }
        this.endpoint = new Endpoint(client, shards, registry, nanoTime);
    }

    /**
     * Lists the stream's shards, then listens.
     *
     * @param client   the Kinesis client the producer puts with; not closed by the server
     * @param registry where the endpoint's and its producer's meters go; one endpoint per registry, since a second
     *                 one's gauges would not be registered
     * @return completes with the started server (its bound port in {@link #port()}), or fails naming the stream if it
     *         does not exist or cannot be listed, or the address if it cannot listen there
     */
    public static Future<IngestServer> start(Vertx vertx, KinesisAsyncClient client, IngestConfig config,
                                             MeterRegistry registry) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        return vertx.executeBlocking(() -> shards(client, config.streamName()))
                .compose(shards -> {
                    IngestServer server = new IngestServer(vertx, client, config, shards, registry, System::nanoTime);
                    return vertx.deployVerticle(server.endpoint).map(id -> server);
                });
    }

    private static ShardMap shards(KinesisAsyncClient client, String stream) {
        try {
            return ShardMap.fetch(client, stream, SHARD_LIST_TIMEOUT);
        } catch (ShardMapException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof ResourceNotFoundException) {
                    throw new IllegalStateException("stream " + stream + " does not exist: create it before starting"
                            + " the ingestion endpoint", e);
                }
            }
            throw new IllegalStateException("cannot start the ingestion endpoint: " + e.getMessage(), e);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** Where events are posted, such as {@code http://127.0.0.1:8080/v1/telemetry}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port + config.path();
    }

    /** The config it runs with. */
    public IngestConfig config() {
        return config;
    }

    /** Whether it takes new requests: true until {@link #stop()}. */
    public boolean accepting() {
        return accepting;
    }

    /** What it did so far. */
    public IngestStats stats() {
        Map<Integer, Long> byStatus = new TreeMap<>();
        requestsByStatus.forEach((status, n) -> byStatus.put(status, n.get()));
        Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
        rejected.forEach((reason, n) -> byReason.put(reason, n.get()));
        return new IngestStats(byStatus, accepted.get(), acknowledged.get(), failed.get(), ambiguous.get(), byReason);
    }

    /** The write load per shard of the stream its producer put so far; no shards before it started. Any thread. */
    public ShardLoadReport shardLoad() {
        KinesisProducer p = endpoint.producer;
        return p == null ? ShardLoadReport.of(config.producer().aggregation(), List.of()) : p.shardLoad();
    }

    /**
     * Per shard, the sequence number of the last record its producer had acknowledged
     * ({@link KinesisProducer#lastAcknowledged()}): how far a reader must read each shard to have read every event
     * this endpoint acknowledged. Any thread.
     */
    public Map<String, String> lastAcknowledged() {
        KinesisProducer p = endpoint.producer;
        return p == null ? Map.of() : p.lastAcknowledged();
    }

    /**
     * Stops gracefully: new requests are answered 503 with {@code Retry-After} (and {@code /health} 503), the events
     * accepted so far are put and decided and their requests answered, then the server closes. Calling it again
     * returns the same future.
     *
     * @return completes with the final stats once the server is closed
     */
    public Future<IngestStats> stop() {
        accepting = false;
        return endpoint.drainAndClose();
    }

    /** The endpoint on its one context: HTTP handlers, producer and its outcomes. */
    private final class Endpoint extends VerticleBase {
        private final KinesisAsyncClient client;
        private final ShardMap shards;
        private final MeterRegistry registry;
        private final LongSupplier nanoTime;
        private final IngestBody bodies;
        private final IngestFaults.Draws faults = config.faults().draws();
        private final Promise<IngestStats> stopped = Promise.promise();
        /** Accepted events not yet handed to the producer, oldest first: those it had no room for at once. */
        private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
        /** Accepted requests not yet answered, by sequence number. */
        private final Map<Long, Accepted> undecided = new HashMap<>();
        /** Requests whose every event is decided, to be answered once the producer's callback has returned. */
        private final List<Long> decided = new ArrayList<>();
        /** Set when the verticle starts; read by {@link #shardLoad()} and {@link #lastAcknowledged()} from any thread. */
        private volatile KinesisProducer producer;
        private HttpServer server;
        private long timer;
        private long nextSequence;
        private boolean afterCallbackScheduled;
        private boolean stopping;

        Endpoint(KinesisAsyncClient client, ShardMap shards, MeterRegistry registry, LongSupplier nanoTime) {
            this.client = client;
            this.shards = shards;
            this.registry = registry;
            this.nanoTime = nanoTime;
            this.bodies = new IngestBody(config.streamName(), config.maxEventsPerRequest());
        }

        @Override
        public Future<?> start() {
            producer = new KinesisProducer(client, config.producer(), shards, ProducerExecutor.onContext(context),
                    nanoTime, registry, this::record, IngestMeters.PREFIX);
            // The producer only sends a partly filled batch when asked after its linger time.
            long tick = Math.max(1, Math.min(50, config.producer().linger().toMillis() / 2));
            timer = vertx.setPeriodic(tick, id -> {
                pump();
                producer.flushIfLingered();
            });
            server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                            .setHttp2ClearTextEnabled(true))
                    .requestHandler(this::handle);
            return server.listen()
                    .recover(e -> Future.failedFuture(new IllegalStateException("cannot listen on " + config.host()
                            + ":" + config.port() + ": " + e.getMessage(), e)))
                    .onSuccess(s -> {
                        port = s.actualPort();
                        LOG.info("Ingestion endpoint listening on {}, putting into stream {} ({} shards), credentials:"
                                + " {}", url(), config.streamName(), shards.size(), config.credentials());
                    });
        }

        private void handle(HttpServerRequest request) {
            long arrived = nanoTime.getAsLong();
            if (IngestConfig.HEALTH_PATH.equals(request.path())) {
                boolean up = accepting;
                request.response().setStatusCode(up ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                        .end(up ? "ok\n" : "draining\n");
                return;
            }
            if (!config.path().equals(request.path())) {
                answer(request, arrived, 404, error("not found", "events are posted to " + config.path()));
                return;
            }
            if (request.method() != HttpMethod.POST) {
                request.response().putHeader(HttpHeaders.ALLOW, "POST");
                answer(request, arrived, 405, error("method not allowed", "events are posted with POST"));
                return;
            }
            if (!accepting) {
                busy(request, arrived, 1, "the endpoint is stopping");
                return;
            }
            IngestCredentials.Verdict verdict = config.credentials().check(request::getHeader);
            if (verdict != IngestCredentials.Verdict.ACCEPTED) {
                reject(request, arrived, verdict == IngestCredentials.Verdict.MISSING ? 401 : 403,
                        RejectReason.UNAUTHORIZED, 1, verdict == IngestCredentials.Verdict.MISSING
                                ? error("unauthorized", "credentials are missing: send them in the "
                                + config.credentials().header() + " header")
                                : error("forbidden", "the credentials sent are not accepted"));
                return;
            }
            String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
            if (!IngestBody.accepts(contentType)) {
                reject(request, arrived, 415, RejectReason.INVALID, 1, error("unsupported media type",
                        "the content type must be " + IngestBody.JSON + " or " + IngestBody.AMZ_JSON + ", found "
                                + (contentType == null ? "none" : "\"" + contentType + "\"")));
                return;
            }
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declaredTooLarge(length)) {
                tooLarge(request, arrived, length);
                return;
            }
            if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                request.response().writeContinue();
            }
            Buffer body = Buffer.buffer();
            boolean[] over = {false};
            request.handler(chunk -> {
                if (over[0]) {
                    return;
                }
                if (body.length() + chunk.length() > config.maxBodyBytes()) {
                    over[0] = true;
                    tooLarge(request, arrived, null);
                    return;
                }
                body.appendBuffer(chunk);
            });
            request.exceptionHandler(e -> LOG.debug("A request's body was cut off: {}", e.toString()));
            request.endHandler(v -> {
                if (!over[0]) {
                    received(request, arrived, contentType, body.getBytes());
                }
            });
        }

        private boolean declaredTooLarge(String length) {
            try {
                return Long.parseLong(length.strip()) > config.maxBodyBytes();
            } catch (NumberFormatException e) {
                // The HTTP codec refuses a malformed Content-Length before a handler sees it.
                return false;
            }
        }

        private void tooLarge(HttpServerRequest request, long arrived, String declared) {
            Future<Void> answered = reject(request, arrived, 413, RejectReason.TOO_LARGE, 1, error("body too large",
                    "a request body may have at most " + config.maxBodyBytes() + " bytes, found "
                            + (declared != null ? declared : "more")).put("limit", config.maxBodyBytes()));
            if (request.version() != HttpVersion.HTTP_2 && !request.isEnded()) {
                // Reading the rest of an HTTP/1 body only to drop it would let a client stream without end.
                answered.onComplete(v -> request.connection().close());
            }
        }

        /** A whole body arrived: parse, validate, then accept or push back. */
        private void received(HttpServerRequest request, long arrived, String contentType, byte[] body) {
            if (!accepting) {
                busy(request, arrived, 1, "the endpoint is stopping");
                return;
            }
            List<IngestEvent> events;
            try {
                events = bodies.parse(contentType, body);
            } catch (IngestRejection r) {
                reject(request, arrived, r.status(), r.reason(), r.events(), r.body());
                return;
            }
            int n = events.size();
            if (metrics.pending() + n > config.maxBufferedEvents() || !producer.canAccept()) {
                busy(request, arrived, n, "the endpoint has no room for " + n + " more events now");
                return;
            }
            IngestFaults.Kind fault = faults.next();
            if (fault == IngestFaults.Kind.TOO_MANY_REQUESTS) {
                metrics.faultInjected(fault);
                request.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
                reject(request, arrived, 429, RejectReason.BACKPRESSURE, n, error("too many requests", "an injected"
                        + " fault: nothing was written, retry after " + config.retryAfterSeconds() + " s"));
                return;
            }
            long sequence = nextSequence++;
            undecided.put(sequence, new Accepted(request, arrived, n, fault));
            metrics.accepted(n);
            accepted.addAndGet(n);
            long first = sequence * config.maxEventsPerRequest();
            for (int i = 0; i < n; i++) {
                waiting.addLast(new Ticket(first + i, events.get(i), arrived));
            }
            pump();
            producer.flushIfLingered();
        }

        /** Hands waiting events to the producer while it has room. */
        private void pump() {
            while (!waiting.isEmpty() && producer.canAccept()) {
                Ticket t = waiting.pollFirst();
                producer.send(t.event.partitionKey(), t.event.data(), t.arrived, t.key);
            }
        }

        /**
         * The producer decided an event, on this context, from inside one of its callbacks. The answer waits until the
         * callback has returned: an acknowledgement after an ambiguous attempt follows the event's acknowledgement in
         * the same callback. Then more waiting events go to the producer.
         */
        private void record(long key, Outcome outcome) {
            long sequence = key / config.maxEventsPerRequest();
            Accepted a = undecided.get(sequence);
            if (a == null) {
                LOG.error("The producer decided event ticket {} ({}), which no request holds", key, outcome);
                return;
            }
            switch (outcome) {
                case ACKNOWLEDGED -> {
                    a.acknowledged++;
                    acknowledged.incrementAndGet();
                }
                case ACKNOWLEDGED_AFTER_AMBIGUOUS -> {
                    a.possiblyTwice++;
                    return;
                }
                case FAILED -> {
                    a.failed++;
                    failed.incrementAndGet();
                }
                case AMBIGUOUS -> {
                    a.ambiguous++;
                    ambiguous.incrementAndGet();
                }
                // Not final: the event's outcome follows.
                default -> {
                    return;
                }
            }
            metrics.decided();
            if (a.decided() == a.events) {
                decided.add(sequence);
            }
            if (!afterCallbackScheduled) {
                afterCallbackScheduled = true;
                context.runOnContext(v -> afterCallback());
            }
        }

        private void afterCallback() {
            afterCallbackScheduled = false;
            for (long sequence : decided) {
                answer(undecided.remove(sequence));
            }
            decided.clear();
            pump();
        }

        private void answer(Accepted a) {
            if (a.acknowledged == a.events && a.fault != IngestFaults.Kind.NONE) {
                misbehave(a);
                return;
            }
            if (a.acknowledged == a.events) {
                JsonObject body = new JsonObject().put("accepted", a.events);
                if (a.possiblyTwice > 0) {
                    body.put("possibly_twice", a.possiblyTwice);
                }
                answer(a.request, a.arrived, 202, body);
            } else if (a.failed == a.events) {
                a.request.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
                answer(a.request, a.arrived, 503, error("not written", "the stream refused every event of the"
                        + " request; none was written").put("failed", a.failed));
            } else {
                answer(a.request, a.arrived, 504, error("outcome unknown", "some events may be in the stream and"
                        + " some not; a retry may write events twice").put("acknowledged", a.acknowledged)
                        .put("failed", a.failed).put("ambiguous", a.ambiguous));
            }
        }

        /** Breaks the answer to a request whose events were all written, as its injected fault says. */
        private void misbehave(Accepted a) {
            metrics.faultInjected(a.fault);
            HttpServerResponse response = a.request.response();
            switch (a.fault) {
                case SLOW -> {
                    Accepted onTime = new Accepted(a.request, a.arrived, a.events, IngestFaults.Kind.NONE);
                    onTime.acknowledged = a.acknowledged;
                    onTime.possiblyTwice = a.possiblyTwice;
                    vertx.setTimer(Math.max(1, config.faults().delay().toMillis()), id -> answer(onTime));
                }
                case ERROR_AFTER_WRITE -> answer(a.request, a.arrived, 500, error("internal error", "an injected"
                        + " fault: the events were written, but the answer says otherwise"));
                case RESET_AFTER_WRITE -> {
                    countAnswer(0, a.arrived);
                    if (a.request.version() == HttpVersion.HTTP_2) {
                        response.reset();
                    } else {
                        a.request.connection().close();
                    }
                }
                case CLOSE_MID_RESPONSE -> {
                    countAnswer(0, a.arrived);
                    if (!response.ended() && !response.closed()) {
                        response.setChunked(true).setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE);
                        response.write("{\"accep").onComplete(written -> {
                            if (a.request.version() == HttpVersion.HTTP_2) {
                                response.reset();
                            } else {
                                a.request.connection().close();
                            }
                        });
                    }
                }
                default -> throw new IllegalStateException("not a fault after the write: " + a.fault);
            }
        }

        private void busy(HttpServerRequest request, long arrived, int events, String message) {
            request.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
            reject(request, arrived, 503, RejectReason.BACKPRESSURE, events, error("busy", message + "; nothing was"
                    + " written, retry after " + config.retryAfterSeconds() + " s"));
        }

        private Future<Void> reject(HttpServerRequest request, long arrived, int status, RejectReason reason,
                                    int events, JsonObject body) {
            if (status == 401) {
                request.response().putHeader("WWW-Authenticate", config.credentials().challenge());
            }
            metrics.rejected(reason, events);
            rejected.get(reason).addAndGet(events);
            return answer(request, arrived, status, body);
        }

        /** Answers, and counts the answer even if the client has gone away. */
        private Future<Void> answer(HttpServerRequest request, long arrived, int status, JsonObject body) {
            countAnswer(status, arrived);
            HttpServerResponse response = request.response();
            if (response.ended() || response.closed()) {
                return Future.succeededFuture();
            }
            return response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE).end(body.encode());
        }

        /** Counts a request as answered with {@code status}; 0 for a connection closed instead of an answer. */
        private void countAnswer(int status, long arrived) {
            metrics.answered(status, nanoTime.getAsLong() - arrived);
            requestsByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        }

        Future<IngestStats> drainAndClose() {
            context.runOnContext(v -> {
                if (!stopping) {
                    stopping = true;
                    LOG.info("Ingestion endpoint stopping: {} events of {} requests to decide", metrics.pending(),
                            undecided.size());
                    drain();
                }
            });
            return stopped.future();
        }

        /** Hands what waits to the producer and drains it until every accepted request is answered, then closes. */
        private void drain() {
            pump();
            producer.drain().whenComplete((v, e) -> context.runOnContext(x -> {
                if (waiting.isEmpty() && undecided.isEmpty()) {
                    vertx.cancelTimer(timer);
                    server.close().compose(closed -> vertx.undeploy(deploymentID()))
                            .onComplete(undeployed -> stopped.complete(stats()));
                } else {
                    drain();
                }
            }));
        }

        private static JsonObject error(String error, String message) {
            return new JsonObject().put("error", error).put("message", message);
        }
    }

    /** One accepted event: its key for the producer's outcomes, and when its request arrived. */
    private record Ticket(long key, IngestEvent event, long arrived) {
    }

    /** An accepted request and its events' outcomes so far. */
    private static final class Accepted {
        final HttpServerRequest request;
        final long arrived;
        final int events;
        /** The injected fault its answer meets once its events are written. */
        final IngestFaults.Kind fault;
        int acknowledged;
        int failed;
        int ambiguous;
        int possiblyTwice;

        Accepted(HttpServerRequest request, long arrived, int events, IngestFaults.Kind fault) {
            this.request = request;
            this.arrived = arrived;
            this.events = events;
            this.fault = fault;
        }

        int decided() {
            return acknowledged + failed + ambiguous;
        }
    }
}
