package io.fleetbench.simulator.http;

import io.fleetbench.simulator.EventSender;
import io.fleetbench.simulator.FailureReason;
import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.simulator.ProducerCounters;
import io.fleetbench.simulator.SendOutcomes;
import io.fleetbench.simulator.SimulatorMeters;
import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.manifest.OutcomeRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLHandshakeException;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Sends the fleet's events as HTTP POST requests, the way devices upload: each device batches its own events
 * ({@link HttpTargetConfig.Batching}: a request once it holds {@code size} events or its oldest has waited
 * {@code interval}) and every request carries one device's events in the configured {@link
 * HttpTargetConfig.BodyFormat}. Requests go through a pooled keep-alive vertx-web-client, at most
 * {@link HttpTargetConfig#maxInFlightRequests()} on the wire or waiting to be retried; beyond that the fleet is
 * pushed back and its due events count as shortfall.
 *
 * <p>Each answer decides its request's events:
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>answer</th><th>events</th></tr>
 *   <tr><td>2xx</td><td>acknowledged (in the {@code kinesis} format, a 200 whose {@code Records} carry an
 *       {@code ErrorCode} fails those records, retried by their code)</td></tr>
 *   <tr><td>429, 503</td><td>not taken (the endpoint pushes back): retried after the longer of the backoff and
 *       {@code Retry-After}</td></tr>
 *   <tr><td>other 5xx</td><td>ambiguous (the endpoint may have taken them before it failed): retried</td></tr>
 *   <tr><td>other 4xx, 1xx, 3xx</td><td>failed for good ({@code request_rejected}), not retried</td></tr>
 *   <tr><td>timeout, connection reset or closed</td><td>ambiguous: retried</td></tr>
 *   <tr><td>connection refused, unknown host, TLS handshake failed, no connection within the request timeout</td>
 *       <td>not sent: retried</td></tr>
 * </table>
 * Retries go on while the events' time to live ({@link HttpTargetConfig#eventTtl()}, from their intended send time)
 * lasts; an event given up on after an ambiguous attempt counts as ambiguous, otherwise as failed by the reason of
 * its last attempt. Latency runs from each event's intended send time to the answer that acknowledged it (no
 * coordinated omission), into the same meters and histograms as the Kinesis producer's, so that the fleet's
 * figures mean the same whichever the target.
 *
 * <p>Meters beside the producer's ({@link SimulatorMeters}): {@code fleetbench.simulator.http.requests} by
 * {@code outcome} (the status code, or {@code timeout}, {@code connection_lost}, {@code connection_failed}),
 * {@code fleetbench.simulator.http.connections} (open now) and {@code fleetbench.simulator.http.connections.opened}.
 *
 * <p>Threading: everything runs on the Vert.x context the sender was opened on, including the client's callbacks.
 */
public final class HttpSender implements EventSender {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSender.class);
    /**
     * How Vert.x (5.0, {@code SharedHttpClientConnectionGroup}) words the timeout of a request that waited for a
     * connection: the same exception type as a timeout on the wire, but nothing was sent.
     */
    private static final String CONNECTION_WAIT_TIMEOUT = "when getting a connection";

    private final Vertx vertx;
    private final WebClient client;
    private final HttpTargetConfig config;
    private final String url;
    private final URI uri;
    private final LongSupplier nanoTime;
    private final long ttlNanos;
    private final long carIntervalNanos;
    private final long bikeIntervalNanos;
    private final List<Map.Entry<String, String>> baseHeaders;
    private final String contentType;
    private final SplittableRandom jitter = new SplittableRandom();
    private final SendOutcomes outcomes;
    /** Per outcome label and per reason whether it was logged. */
    private final Map<String, Boolean> warned = new HashMap<>();

    private final AtomicInteger inFlightRequests = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicLong> requestsByOutcome = new ConcurrentHashMap<>();
    private final AtomicInteger openConnections;
    private final AtomicLong connectionsOpened;

    private final MeterRegistry registry;
    private final Map<String, Counter> requestCounters = new HashMap<>();

    /** Each device's open batch, by partition key (its device id). */
    private final HashMap<String, DeviceBatch> open = new HashMap<>();
    /** Open batches of cars and of bikes, oldest first: each family has one interval, so the head is due first. */
    private final ArrayDeque<DeviceBatch> openCars = new ArrayDeque<>();
    private final ArrayDeque<DeviceBatch> openBikes = new ArrayDeque<>();
    /** Requests ready to go while every slot is busy, oldest first. */
    private final ArrayDeque<Request> ready = new ArrayDeque<>();
    private CompletableFuture<Void> drained;

    /**
     * A sender on the calling Vert.x context.
     *
     * @param client      the client; its connections are counted by {@link HttpTarget}
     * @param connections open connections now and connections opened so far, as the client's connect handler counts
     * @param outcomes    where each event's outcome goes; null for none
     */
    HttpSender(Vertx vertx, WebClient client, HttpTargetConfig config, LongSupplier nanoTime, MeterRegistry registry,
               OutcomeRecorder outcomes, AtomicInteger connections, AtomicLong connectionsOpened) {
        this.vertx = vertx;
        this.client = client;
        this.config = config;
        this.uri = config.url();
        this.url = uri.toString();
        this.nanoTime = nanoTime;
        this.registry = registry;
        this.openConnections = connections;
        this.connectionsOpened = connectionsOpened;
        this.ttlNanos = config.eventTtl().toNanos();
        this.carIntervalNanos = config.cars().interval().toNanos();
        this.bikeIntervalNanos = config.bikes().interval().toNanos();
        this.contentType = "application/json";
        this.baseHeaders = List.of(Map.entry("content-type", contentType));
        this.outcomes = new SendOutcomes(registry, SimulatorMeters.PREFIX, outcomes);
        Gauge.builder(SimulatorMeters.REQUESTS_IN_FLIGHT, inFlightRequests, AtomicInteger::get).strongReference(true)
                .description("Requests on the wire or waiting to be retried").register(registry);
        Gauge.builder(SimulatorMeters.HTTP_CONNECTIONS, connections, AtomicInteger::get).strongReference(true)
                .description("HTTP connections open to the target").register(registry);
        Gauge.builder(SimulatorMeters.HTTP_CONNECTIONS_OPENED, connectionsOpened, AtomicLong::get)
                .strongReference(true).description("HTTP connections opened to the target so far")
                .register(registry);
    }

    @Override
    public boolean canAccept() {
        return ready.isEmpty() && inFlightRequests.get() < config.maxInFlightRequests();
    }

    @Override
    public void send(String partitionKey, byte[] data, long intendedNanos, long eventKey) {
        if (!canAccept()) {
            throw new IllegalStateException("no room: " + inFlightRequests.get() + " requests in flight and "
                    + ready.size() + " waiting; call canAccept() first");
        }
        outcomes.sent(1);
        boolean car = eventKey == KinesisProducer.NO_EVENT_KEY || EventIds.isCar(eventKey);
        HttpTargetConfig.Batching batching = car ? config.cars() : config.bikes();
        long now = nanoTime.getAsLong();
        if (batching.size() == 1) {
            enqueue(new Request(partitionKey, new byte[][] {data}, new long[] {intendedNanos}, new long[] {eventKey}));
            return;
        }
        DeviceBatch b = open.get(partitionKey);
        if (b == null) {
            b = new DeviceBatch(partitionKey, car, batching.size(), now);
            open.put(partitionKey, b);
            (car ? openCars : openBikes).addLast(b);
        }
        b.add(data, intendedNanos, eventKey);
        if (b.count == batching.size()) {
            close(b);
        }
    }

    @Override
    public void flushIfLingered() {
        long now = nanoTime.getAsLong();
        closeDue(openCars, now - carIntervalNanos);
        closeDue(openBikes, now - bikeIntervalNanos);
        pump();
    }

    @Override
    public CompletableFuture<Void> drain() {
        if (drained == null || drained.isDone()) {
            drained = new CompletableFuture<>();
        }
        CompletableFuture<Void> result = drained;
        closeDue(openCars, Long.MAX_VALUE);
        closeDue(openBikes, Long.MAX_VALUE);
        pump();
        completeDrainIfIdle();
        return result;
    }

    @Override
    public ProducerCounters counters() {
        return outcomes.counters(inFlightRequests.get(), 0);
    }

    /** Requests answered so far by outcome (status code, or a connection outcome), and the connections. Any thread. */
    public HttpCounters httpCounters() {
        Map<String, Long> byOutcome = new java.util.TreeMap<>();
        requestsByOutcome.forEach((k, v) -> byOutcome.put(k, v.get()));
        return new HttpCounters(byOutcome, connectionsOpened.get(), openConnections.get());
    }

    @Override
    public Histogram intervalLatency() {
        return outcomes.intervalLatency();
    }

    @Override
    public ShardLoadReport shardLoad() {
        return ShardLoadReport.of(false, List.of());
    }

    @Override
    public Map<String, String> lastAcknowledged() {
        return Map.of();
    }

    /** Closes the batches of one family that opened at or before {@code openedBy}. */
    private void closeDue(ArrayDeque<DeviceBatch> queue, long openedBy) {
        while (!queue.isEmpty()) {
            DeviceBatch b = queue.peekFirst();
            if (!b.closed && b.sinceNanos > openedBy) {
                return;
            }
            queue.pollFirst();
            if (!b.closed) {
                close(b);
            }
        }
    }

    private void close(DeviceBatch b) {
        b.closed = true;
        open.remove(b.partitionKey);
        enqueue(b.request());
    }

    private void enqueue(Request r) {
        if (!ready.isEmpty() || inFlightRequests.get() >= config.maxInFlightRequests()) {
            ready.addLast(r);
            return;
        }
        inFlightRequests.incrementAndGet();
        attempt(r);
    }

    /** Starts waiting requests while slots are free. */
    private void pump() {
        while (!ready.isEmpty() && inFlightRequests.get() < config.maxInFlightRequests()) {
            inFlightRequests.incrementAndGet();
            attempt(ready.pollFirst());
        }
    }

    private void attempt(Request r) {
        HttpRequest<Buffer> request;
        byte[] body = r.body();
        try {
            request = client.postAbs(url).timeout(config.requestTimeout().toMillis())
                    .putHeader("content-type", contentType);
            for (Map.Entry<String, String> h : config.auth().headers("POST", uri, baseHeaders, body, Instant.now())) {
                request.putHeader(h.getKey(), h.getValue());
            }
        } catch (RuntimeException e) {
            // Nothing went out (credentials that cannot be had, say): a definite failure, retried while it may be,
            // so that the request's slot and events are still decided.
            countRequest("connection_failed");
            warnOnce("not_started", () -> "A request to " + url + " could not be made: " + e
                    + ". Retried while its events' time to live lasts; further ones are only counted");
            retryOrGiveUp(r, FailureReason.REQUEST_FAILED, 0, nanoTime.getAsLong());
            return;
        }
        request.sendBuffer(Buffer.buffer(body)).onComplete(answer -> onAnswer(r, answer));
    }

    private void onAnswer(Request r, AsyncResult<HttpResponse<Buffer>> answer) {
        long now = nanoTime.getAsLong();
        if (answer.failed()) {
            Throwable error = answer.cause();
            boolean unknown = ambiguous(error);
            String label = !unknown ? "connection_failed" : error instanceof TimeoutException ? "timeout"
                    : "connection_lost";
            countRequest(label);
            warnOnce(label, () -> "Requests to " + url + " fail (" + label + "): " + error
                    + (unknown ? "; their events are ambiguous (the endpoint may have taken them)" : "")
                    + ". Retried while their time to live lasts; further ones are only counted");
            r.ambiguous |= unknown;
            retryOrGiveUp(r, FailureReason.REQUEST_FAILED, 0, now);
            return;
        }
        HttpResponse<Buffer> response = answer.result();
        int status = response.statusCode();
        countRequest(Integer.toString(status));
        if (status >= 200 && status < 300) {
            if (config.format() == HttpTargetConfig.BodyFormat.KINESIS) {
                judgeRecords(r, response.body(), now);
            } else {
                acknowledge(r, 0, r.count(), now);
                releaseSlot();
            }
            return;
        }
        warnOnce(Integer.toString(status), () -> "Requests to " + url + " answered " + status + " "
                + response.statusMessage() + ": " + snippet(response.body())
                + "; further answers with this status are only counted");
        long retryAfter = retryAfterNanos(response.getHeader("retry-after"));
        if (status == 429 || status == 503) {
            retryOrGiveUp(r, FailureReason.THROUGHPUT_EXCEEDED, retryAfter, now);
        } else if (status >= 500) {
            r.ambiguous = true;
            retryOrGiveUp(r, FailureReason.REQUEST_FAILED, retryAfter, now);
        } else {
            r.lastFailure = FailureReason.REQUEST_REJECTED;
            giveUp(r);
            releaseSlot();
        }
    }

    /**
     * A 2xx answer in the Kinesis format: records whose result entry has an {@code ErrorCode} failed, the others were
     * written. An answer without result entries (an endpoint that answers 202 with its own body) acknowledges all.
     */
    private void judgeRecords(Request r, Buffer body, long now) {
        List<String> codes = body == null ? List.of() : PutRecordsAnswer.errorCodes(body.getBytes());
        if (codes.isEmpty()) {
            acknowledge(r, 0, r.count(), now);
            releaseSlot();
            return;
        }
        List<Integer> failedAt = new ArrayList<>();
        FailureReason reason = null;
        for (int i = 0; i < r.count(); i++) {
            String code = i < codes.size() ? codes.get(i) : null;
            if (code == null) {
                acknowledge(r, i, i + 1, now);
            } else {
                failedAt.add(i);
                FailureReason ri = FailureReason.ofErrorCode(code);
                reason = reason == null || ri == FailureReason.THROUGHPUT_EXCEEDED ? ri : reason;
            }
        }
        if (failedAt.isEmpty()) {
            releaseSlot();
            return;
        }
        retryOrGiveUp(r.part(failedAt), reason, 0, now);
    }

    private void retryOrGiveUp(Request r, FailureReason reason, long retryAfterNanos, long now) {
        r.lastFailure = reason;
        long delay = Math.max(backoffNanos(r.attempt + 1), retryAfterNanos);
        // Against the time left, not now + delay: a Retry-After far off saturates delay at Long.MAX_VALUE.
        if (!reason.retryable() || delay > ttlNanos - (now - r.earliestNanos)) {
            giveUp(r);
            releaseSlot();
            return;
        }
        r.attempt++;
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay)), id -> {
            outcomes.retried(reason, r.count());
            attempt(r);
        });
    }

    private void acknowledge(Request r, int from, int to, long now) {
        outcomes.acknowledged(r.intended, r.keys, from, to, r.ambiguous, now);
    }

    private void giveUp(Request r) {
        outcomes.gaveUp(r.keys, r.ambiguous, r.lastFailure);
    }

    private void releaseSlot() {
        inFlightRequests.decrementAndGet();
        pump();
        completeDrainIfIdle();
    }

    private void completeDrainIfIdle() {
        if (drained != null && outcomes.inFlight() == 0) {
            drained.complete(null);
        }
    }

    private void countRequest(String outcome) {
        requestsByOutcome.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        requestCounters.computeIfAbsent(outcome, k -> Counter.builder(SimulatorMeters.HTTP_REQUESTS)
                .tag("outcome", k).description("Requests to the HTTP target by outcome: the status code, or timeout,"
                        + " connection_lost, connection_failed").register(registry)).increment();
    }

    private void warnOnce(String key, java.util.function.Supplier<String> message) {
        if (warned.putIfAbsent(key, Boolean.TRUE) == null) {
            LOG.warn(message.get());
        }
    }

    private long backoffNanos(int attempt) {
        return SendOutcomes.backoffNanos(config.backoffBase().toNanos(), config.backoffMax().toNanos(), attempt, jitter);
    }

    /**
     * A {@code Retry-After} value in nanoseconds: delay-seconds, or an HTTP date; 0 when absent or unreadable.
     */
    static long retryAfterNanos(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.strip();
        try {
            return TimeUnit.SECONDS.toNanos(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                long millis = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli()
                        - System.currentTimeMillis();
                return TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
    }

    /**
     * Whether a request that failed without an answer may have reached the endpoint: not when no connection could be
     * had for it (refused, unknown host, TLS handshake failed: no request is written before the handshake completes;
     * or the request timeout ran out while it waited for a connection); on the safe side yes for anything else (a
     * timeout after it got its connection, a reset or closed connection, an answer cut off).
     */
    static boolean ambiguous(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof SSLHandshakeException || t instanceof TimeoutException
                    && String.valueOf(t.getMessage()).contains(CONNECTION_WAIT_TIMEOUT)) {
                return false;
            }
        }
        return true;
    }

    private static String snippet(Buffer body) {
        if (body == null || body.length() == 0) {
            return "(no body)";
        }
        String s = body.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** One device's events waiting to become a request. */
    private final class DeviceBatch {
        final String partitionKey;
        final boolean car;
        final long sinceNanos;
        final byte[][] data;
        final long[] intended;
        final long[] keys;
        int count;
        boolean closed;

        DeviceBatch(String partitionKey, boolean car, int size, long sinceNanos) {
            this.partitionKey = partitionKey;
            this.car = car;
            this.sinceNanos = sinceNanos;
            this.data = new byte[size][];
            this.intended = new long[size];
            this.keys = new long[size];
        }

        void add(byte[] d, long intendedNanos, long key) {
            data[count] = d;
            intended[count] = intendedNanos;
            keys[count] = key;
            count++;
        }

        Request request() {
            return new Request(partitionKey, java.util.Arrays.copyOf(data, count),
                    java.util.Arrays.copyOf(intended, count), java.util.Arrays.copyOf(keys, count));
        }
    }

    /** The events of one request and what is known about them. */
    private final class Request {
        final String partitionKey;
        final byte[][] data;
        final long[] intended;
        final long[] keys;
        final long earliestNanos;
        int attempt;
        boolean ambiguous;
        FailureReason lastFailure;
        private byte[] body;

        Request(String partitionKey, byte[][] data, long[] intended, long[] keys) {
            this.partitionKey = partitionKey;
            this.data = data;
            this.intended = intended;
            this.keys = keys;
            long earliest = Long.MAX_VALUE;
            for (long t : intended) {
                earliest = Math.min(earliest, t);
            }
            this.earliestNanos = earliest;
        }

        int count() {
            return data.length;
        }

        /** The request of some of its events, keeping its history. */
        Request part(List<Integer> indices) {
            int n = indices.size();
            byte[][] d = new byte[n][];
            long[] t = new long[n];
            long[] k = new long[n];
            for (int j = 0; j < n; j++) {
                d[j] = data[indices.get(j)];
                t[j] = intended[indices.get(j)];
                k[j] = keys[indices.get(j)];
            }
            Request p = new Request(partitionKey, d, t, k);
            p.attempt = attempt;
            p.ambiguous = ambiguous;
            p.lastFailure = lastFailure;
            return p;
        }

        /** The body, built once: every attempt sends the same bytes. */
        byte[] body() {
            if (body == null) {
                body = switch (config.format()) {
                    case EVENT -> data[0];
                    case BATCH -> jsonArray(data);
                    case KINESIS -> putRecords(config.streamName().orElseThrow(), partitionKey, data);
                };
            }
            return body;
        }
    }

    /** Events as a JSON array: each event's bytes as they are, comma-separated. */
    static byte[] jsonArray(byte[][] events) {
        int size = 2 + Math.max(0, events.length - 1);
        for (byte[] e : events) {
            size += e.length;
        }
        byte[] out = new byte[size];
        int p = 0;
        out[p++] = '[';
        for (int i = 0; i < events.length; i++) {
            if (i > 0) {
                out[p++] = ',';
            }
            System.arraycopy(events[i], 0, out, p, events[i].length);
            p += events[i].length;
        }
        out[p] = ']';
        return out;
    }

    /**
     * A Kinesis PutRecords body: {@code {"StreamName":...,"Records":[{"Data":<base64>,"PartitionKey":...},...]}}. The
     * stream name and partition key are JSON-escaped; device ids and stream names need no escaping in practice.
     */
    static byte[] putRecords(String streamName, String partitionKey, byte[][] events) {
        StringBuilder b = new StringBuilder(64 + events.length * 64);
        b.append("{\"StreamName\":");
        appendJsonString(b, streamName);
        b.append(",\"Records\":[");
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        for (int i = 0; i < events.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"Data\":\"").append(base64.encodeToString(events[i])).append("\",\"PartitionKey\":");
            appendJsonString(b, partitionKey);
            b.append('}');
        }
        b.append("]}");
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void appendJsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
