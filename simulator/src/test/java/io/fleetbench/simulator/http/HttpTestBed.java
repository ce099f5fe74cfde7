package io.fleetbench.simulator.http;

import io.fleetbench.simulator.FailureReason;
import io.fleetbench.simulator.ProducerCounters;
import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.manifest.Outcome;
import io.fleetbench.telemetry.manifest.OutcomeRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real local HTTP endpoint on 127.0.0.1 whose answers a test scripts, and an {@link HttpSender} sending to it from
 * a Vert.x context: every call into the sender runs on that context, as the simulator makes it.
 */
final class HttpTestBed implements AutoCloseable {
    /** The longest any wait of a test may take before it fails. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** What an event acknowledged at the first answer records. */
    static final List<Outcome> ACKED = List.of(Outcome.ACKNOWLEDGED);
    /** What an event acknowledged after an ambiguous attempt records. */
    static final List<Outcome> ACKED_AFTER_AMBIGUOUS = List.of(Outcome.ACKNOWLEDGED,
            Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS);
    /** What an event given up on after an ambiguous attempt records. */
    static final List<Outcome> AMBIGUOUS = List.of(Outcome.AMBIGUOUS);
    /** What an event given up on after definite failures records. */
    static final List<Outcome> FAILED = List.of(Outcome.FAILED);

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final Thread contextThread = call(Thread::currentThread);
    private final Outcomes outcomes = new Outcomes();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Consumer<Reply>> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile List<Reply> script = List.of(Reply.status(202));
    private HttpServer server;
    private HttpSender sender;

    /** Starts the endpoint with default options (HTTP/1.1, and HTTP/2 with prior knowledge). */
    HttpTestBed start() {
        return start(new HttpServerOptions());
    }

    /** Starts the endpoint on 127.0.0.1 and a free port. */
    HttpTestBed start(HttpServerOptions options) {
        server = await(vertx.createHttpServer(options).requestHandler(this::handle).listen(0, "127.0.0.1"));
        return this;
    }

    @Override
    public void close() {
        await(vertx.close());
    }

    /** The endpoint's URL. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/events");
    }

    /** The endpoint's https URL by the name in its certificate. */
    URI tlsUrl() {
        return URI.create("https://localhost:" + server.actualPort() + "/events");
    }

    /**
     * An https URL on 127.0.0.1 at a port that accepts connections and never says a word: no TLS handshake completes,
     * so no request gets a connection.
     */
    URI silentTlsUrl() {
        int port = await(vertx.createNetServer().connectHandler(socket -> {
        }).listen(0, "127.0.0.1")).actualPort();
        return URI.create("https://127.0.0.1:" + port + "/events");
    }

    /** A URL on 127.0.0.1 at a port with nothing listening. */
    static URI refusedUrl() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/events");
        } catch (IOException e) {
            throw new AssertionError("no free port", e);
        }
    }

    /** The defaults for this endpoint's URL with a short backoff, so that only {@code Retry-After} explains a wait. */
    HttpTargetConfig config() {
        return config(url());
    }

    /** The defaults for a URL with a short backoff. */
    static HttpTargetConfig config(URI url) {
        HttpTargetConfig d = HttpTargetConfig.defaults(url);
        return d.withTimeouts(d.requestTimeout(), d.eventTtl(), Duration.ofMillis(10), Duration.ofMillis(40));
    }

    /** This config with cars batching two events a request (bikes one), closed by size or drain only. */
    static HttpTargetConfig inPairs(HttpTargetConfig config) {
        return config.withBatching(new HttpTargetConfig.Batching(2, Duration.ofHours(1)),
                HttpTargetConfig.Batching.ONE);
    }

    /** This config with a request timeout and a time to live for events; the short backoff kept. */
    static HttpTargetConfig expiring(HttpTargetConfig config, Duration requestTimeout, Duration eventTtl) {
        return config.withTimeouts(requestTimeout, eventTtl, config.backoffBase(), config.backoffMax());
    }

    /** Opens the sender on the context, on the JVM's clock. */
    HttpSender open(HttpTargetConfig config) {
        return open(config, System::nanoTime);
    }

    /** Opens the sender on the context, on a clock of the test's. */
    HttpSender open(HttpTargetConfig config, LongSupplier clock) {
        HttpTarget target = new HttpTarget(config);
        sender = (HttpSender) call(() -> target.open(context, clock, new SimpleMeterRegistry(), outcomes));
        return sender;
    }

    /** Opens a sender of this config, scripts the endpoint's replies (if any), sends the events and drains. */
    HttpSender sendAndDrain(HttpTargetConfig config, Ev[] events, Reply... replies) {
        HttpSender s = open(config);
        if (replies.length > 0) {
            answer(replies);
        }
        send(events);
        drain();
        return s;
    }

    /** Sends events now, as meant to be sent now on the JVM's clock. */
    void send(Ev... events) {
        sendIntended(System.nanoTime(), events);
    }

    /** Sends events meant to be sent at a time on the sender's clock. */
    void sendIntended(long intendedNanos, Ev... events) {
        run(() -> {
            for (Ev e : events) {
                sender.send(e.partitionKey(), e.bytes(), intendedNanos, e.key());
            }
        });
    }

    /** Drains the sender and waits until it has decided every event. */
    void drain() {
        CompletableFuture<Void> done = call(sender::drain);
        try {
            done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("drain did not complete within " + WAIT + ": " + sender.counters());
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("drain failed", e);
        }
    }

    /** Whether the sender takes an event now, asked on its context. */
    boolean canAccept() {
        return call(sender::canAccept);
    }

    /** Runs a block on the sender's context and waits for it; what it throws, this throws. */
    void run(Runnable block) {
        call(() -> {
            block.run();
            return null;
        });
    }

    /** Runs a block on the sender's context and waits for its value; what it throws, this throws. */
    <T> T call(Supplier<T> block) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(block.get());
            } catch (RuntimeException | AssertionError e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw (AssertionError) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the block on the context did not finish within " + WAIT, e);
        }
    }

    /** The n-th request gets the n-th reply, and every request after the last one the last; counting starts again. */
    void answer(Reply... replies) {
        answered.set(0);
        script = List.of(replies);
    }

    /** Answers the requests held so far with a reply, each on its connection's context. */
    void release(Reply reply) {
        List<Consumer<Reply>> now = List.copyOf(held);
        held.removeAll(now);
        now.forEach(r -> r.accept(reply));
    }

    /** How many requests are held. */
    int held() {
        return held.size();
    }

    /** The requests the endpoint received, in the order their bodies arrived. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** How often the endpoint received each event, by key. */
    Map<Long, Integer> arrivals() {
        Map<Long, Integer> m = new TreeMap<>();
        received.forEach(r -> r.keys().forEach(k -> m.merge(k, 1, Integer::sum)));
        return m;
    }

    /** Every event reached the endpoint this many times, and no other event did. */
    void assertArrivals(int times, Ev... events) {
        Map<Long, Integer> expected = new TreeMap<>();
        for (Ev e : events) {
            expected.put(e.key(), times);
        }
        assertEquals(expected, arrivals(), "arrivals by event key");
    }

    /** Each event's recorded outcomes, and no event else's; every one recorded on the sender's context. */
    void assertOutcomes(List<Outcome> each, Ev... events) {
        Map<Long, List<Outcome>> expected = new TreeMap<>();
        for (Ev e : events) {
            expected.put(e.key(), each);
        }
        assertEquals(expected, new TreeMap<>(outcomes.byKey), "recorded outcomes by event key");
        assertEquals(List.of(), outcomes.offContext, "outcomes recorded off the sender's context");
    }

    /** The sender's counters, idle: nothing in flight, and sent split exactly into the outcomes. */
    void assertCounters(long sent, long acknowledged, long acknowledgedAfterAmbiguous, long ambiguous, long retried,
                        Map<FailureReason, Long> failed) {
        Map<FailureReason, Long> byReason = new EnumMap<>(FailureReason.class);
        for (FailureReason r : FailureReason.values()) {
            byReason.put(r, failed.getOrDefault(r, 0L));
        }
        long failedTotal = failed.values().stream().mapToLong(Long::longValue).sum();
        ProducerCounters expected = new ProducerCounters(sent, acknowledged, acknowledgedAfterAmbiguous, failedTotal,
                byReason, ambiguous, retried, 0, 0, 0);
        assertEquals(expected, sender.counters());
    }

    /** Requests by outcome label as the sender counted them. */
    void assertRequests(Map<String, Long> byOutcome) {
        assertEquals(new TreeMap<>(byOutcome), new TreeMap<>(sender.httpCounters().requestsByOutcome()),
                "requests by outcome");
    }

    /**
     * Each event reached the endpoint once and was acknowledged at the first answer, in so many requests answered
     * with this status; nothing else was sent.
     */
    void assertAcknowledgedOnce(String status, long requests, Ev... events) {
        assertArrivals(1, events);
        assertOutcomes(ACKED, events);
        assertCounters(events.length, events.length, 0, 0, 0, Map.of());
        assertRequests(Map.of(status, requests));
    }

    /**
     * The events reached the endpoint twice: an attempt that left them ambiguous ({@code firstOutcome}), then a 202;
     * they are acknowledged after ambiguous and retried once each.
     */
    void assertAcknowledgedAfterAmbiguous(String firstOutcome, Ev... events) {
        int n = events.length;
        assertArrivals(2, events);
        assertOutcomes(ACKED_AFTER_AMBIGUOUS, events);
        assertCounters(n, n, n, 0, n, Map.of());
        assertRequests(Map.of(firstOutcome, 1L, "202", 1L));
    }

    /**
     * The events went out in one request, and again after each attempt that left them ambiguous ({@code outcome}),
     * until their time to live ended: given up on as ambiguous, never failed.
     */
    void assertGivenUpAsAmbiguous(String outcome, Ev... events) {
        int n = events.length;
        int requests = received.size();
        assertTrue(requests >= 2, "retried while the time to live lasted: " + requests + " requests");
        assertArrivals(requests, events);
        assertOutcomes(AMBIGUOUS, events);
        assertCounters(n, 0, 0, n, (long) n * (requests - 1), Map.of());
        assertRequests(Map.of(outcome, (long) requests));
    }

    /**
     * The events, in one request, never reached the endpoint: every attempt failed for sure ({@code outcome}, the
     * connection never opened) and was retried until their time to live ended; failed as {@code request_failed}.
     */
    void assertFailedForSure(String outcome, Ev... events) {
        int n = events.length;
        long attempts = sender.httpCounters().requestsByOutcome().getOrDefault(outcome, 0L);
        assertTrue(attempts >= 2, "retried while the time to live lasted: " + sender.httpCounters());
        assertEquals(List.of(), received(), "requests at the endpoint");
        assertOutcomes(FAILED, events);
        assertCounters(n, 0, 0, 0, n * (attempts - 1), Map.of(FailureReason.REQUEST_FAILED, (long) n));
        assertRequests(Map.of(outcome, attempts));
    }

    /** Polls until a condition holds, failing after {@link #WAIT}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits for a Vert.x operation of the bed's own. */
    <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("Vert.x operation failed", e);
        }
    }

    /** What the process writes to standard error while a block runs (where slf4j-simple logs). */
    static String stderrDuring(Runnable block) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            block.run();
        } finally {
            System.setErr(original);
        }
        original.print(captured.toString(StandardCharsets.UTF_8));
        return captured.toString(StandardCharsets.UTF_8);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            received.add(Received.of(request.version(), request.isSSL(), System.nanoTime(), body.getBytes()));
            List<Reply> s = script;
            s.get(Math.min(answered.getAndIncrement(), s.size() - 1)).answer(request, this);
        });
    }

    /** What the endpoint does with one request whose body it has read. */
    @FunctionalInterface
    interface Reply {
        /** Answers, or not, a request whose body the endpoint has read. */
        void answer(HttpServerRequest request, HttpTestBed bed);

        /** A status with headers (name, value, ...) and no body. */
        static Reply status(int code, String... headers) {
            return json(code, "", headers);
        }

        /** A status with a JSON body and headers (name, value, ...). */
        static Reply json(int code, String body, String... headers) {
            return (request, bed) -> {
                var response = request.response().setStatusCode(code);
                for (int i = 0; i + 1 < headers.length; i += 2) {
                    response.putHeader(headers[i], headers[i + 1]);
                }
                response.end(body);
            };
        }

        /** This reply after a delay. */
        static Reply after(Duration delay, Reply then) {
            return (request, bed) -> bed.vertx.setTimer(delay.toMillis(), id -> then.answer(request, bed));
        }

        /** Closes the connection without an answer. */
        static Reply closeConnection() {
            return (request, bed) -> request.connection().close();
        }

        /** Resets the request's stream without an answer (on HTTP/1.1, closes the connection). */
        static Reply reset() {
            return (request, bed) -> request.response().reset();
        }

        /** Writes status 200, the headers and part of a chunked body, then closes the connection. */
        static Reply cutMidBody() {
            return (request, bed) -> request.response().setStatusCode(200).setChunked(true)
                    .putHeader("content-type", "application/json")
                    .write("{\"partial\":").onComplete(v -> request.connection().close());
        }

        /** Holds the request until the test {@linkplain #release releases} it. */
        static Reply hold() {
            return (request, bed) -> {
                Context c = Vertx.currentContext();
                bed.held.add(reply -> c.runOnContext(v -> reply.answer(request, bed)));
            };
        }

        /** Never answers. */
        static Reply never() {
            return (request, bed) -> {
            };
        }
    }

    /**
     * One request as the endpoint received it, with the events parsed from its body; in the Kinesis format also each
     * record's data as decoded and its partition key.
     */
    record Received(HttpVersion version, boolean tls, long arrivalNanos, String body, List<JsonObject> events,
                    String streamName, List<String> recordData, List<String> partitionKeys) {
        static Received of(HttpVersion version, boolean tls, long arrivalNanos, byte[] bytes) {
            String body = new String(bytes, StandardCharsets.UTF_8);
            List<JsonObject> events = new ArrayList<>();
            List<String> data = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            String stream = null;
            if (body.startsWith("[")) {
                new JsonArray(body).forEach(e -> events.add((JsonObject) e));
            } else {
                JsonObject o = new JsonObject(body);
                if (o.containsKey("Records")) {
                    stream = o.getString("StreamName");
                    for (Object r : o.getJsonArray("Records")) {
                        JsonObject record = (JsonObject) r;
                        data.add(new String(Base64.getDecoder().decode(record.getString("Data")),
                                StandardCharsets.UTF_8));
                        keys.add(record.getString("PartitionKey"));
                    }
                    data.forEach(d -> events.add(new JsonObject(d)));
                } else {
                    events.add(o);
                }
            }
            return new Received(version, tls, arrivalNanos, body, List.copyOf(events), stream, List.copyOf(data),
                    List.copyOf(keys));
        }

        /** The event keys in the body, in order. */
        List<Long> keys() {
            return events.stream().map(e -> e.getLong("key")).toList();
        }
    }

    /** A test event: its key, its device id as partition key and its JSON. */
    record Ev(long key, String partitionKey, byte[] bytes) {
        static Ev car(int device, long seq) {
            return of(true, device, seq);
        }

        static Ev bike(int device, long seq) {
            return of(false, device, seq);
        }

        private static Ev of(boolean car, int device, long seq) {
            String id = EventIds.deviceId(car, device);
            long key = EventIds.key(car, device, seq);
            String json = "{\"eventId\":\"" + id + "-" + seq + "\",\"deviceId\":\"" + id + "\",\"seq\":" + seq
                    + ",\"key\":" + key + ",\"speedKmh\":42.5}";
            return new Ev(key, id, json.getBytes(StandardCharsets.UTF_8));
        }

        /** The event's JSON as sent. */
        String json() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The body of a batch of events: a JSON array of their exact bytes. */
        static String array(Ev... events) {
            return Arrays.stream(events).map(Ev::json).collect(Collectors.joining(",", "[", "]"));
        }

        /** Events of one device, sequence numbers from 1. */
        static Ev[] cars(int device, int n) {
            Ev[] e = new Ev[n];
            for (int i = 0; i < n; i++) {
                e[i] = car(device, i + 1);
            }
            return e;
        }
    }

    /** Each key's outcomes in the order recorded; and any recorded off the sender's context thread. */
    private final class Outcomes implements OutcomeRecorder {
        final Map<Long, List<Outcome>> byKey = new ConcurrentHashMap<>();
        final List<String> offContext = new CopyOnWriteArrayList<>();

        @Override
        public void record(long key, Outcome outcome) {
            if (Thread.currentThread() != contextThread) {
                offContext.add(outcome + " of " + key + " on " + Thread.currentThread().getName());
            }
            byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(outcome);
        }
    }
}
