package io.fleetbench.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.fleetbench.ingest.Waits.WAIT;
import static io.fleetbench.ingest.Waits.await;
import static io.fleetbench.ingest.Waits.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint over real HTTP in this process, in front of a Kinesis double: what each request is answered, what
 * reaches the stream, backpressure and a graceful stop. {@code IngestServerIT} does it against the local emulator.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngestServerTest {
    private static final String STREAM = "ingest-unit";

    private Vertx vertx;
    private HttpClient http;
    private SimpleMeterRegistry registry;
    private IngestServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            await(server.stop());
        }
        await(vertx.close());
    }

    @Test
    void eachFormatIsAnsweredAcceptedOnceTheStreamAcknowledgedItsEventsAsSent() throws Exception {
        StubKinesis kinesis = new StubKinesis();
        start(kinesis, IngestConfig.defaults(STREAM));
        String one = Events.ignition("car-1", 1);
        List<String> batch = List.of(Events.ignition("car-2", 1), Events.ignition("car-3", 1));
        List<String> records = List.of(Events.ignition("car-4", 1));

        assertAccepted(post(IngestBody.JSON, one), 1);
        assertAccepted(post(IngestBody.JSON, Events.array(batch)), 2);
        assertAccepted(post(IngestBody.AMZ_JSON, Events.putRecords(STREAM, records)), 1);

        List<String> written = kinesis.written.stream().map(e -> e.data().asUtf8String()).toList();
        assertEquals(List.of(one, batch.get(0), batch.get(1), records.get(0)), written);
        assertEquals(List.of("car-1", "car-2", "car-3", "key-0"),
                kinesis.written.stream().map(PutRecordsRequestEntry::partitionKey).toList());
        IngestStats stats = server.stats();
        assertEquals(3, stats.requests(202));
        assertEquals(4, stats.eventsAccepted());
        assertEquals(4, stats.eventsAcknowledged());
        assertEquals(3.0, registry.get(IngestMeters.REQUESTS).tag("status", "202").counter().count());
        assertEquals(4.0, registry.get(IngestMeters.EVENTS_ACKNOWLEDGED).counter().count());
        assertEquals(3, registry.get(IngestMeters.REQUEST_LATENCY).timer().count());
    }

    @Test
    void h2cIsServedBesideHttp1() throws Exception {
        start(new StubKinesis(), IngestConfig.defaults(STREAM));
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The first request upgrades the connection; the post then goes over HTTP/2.
        h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r = h2.send(request(IngestBody.JSON, Events.ignition("car-1", 1)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertAccepted(r, 1);
    }

    @Test
    void credentialsMissingOrWrongAreRefusedAndNothingIsWritten() throws Exception {
        StubKinesis kinesis = new StubKinesis();
        start(kinesis, IngestConfig.defaults(STREAM)
                .withCredentials(IngestCredentials.apiKeys(IngestCredentials.DEFAULT_API_KEY_HEADER, Set.of("k1"))));
        HttpResponse<String> missing = post(request(IngestBody.JSON, Events.ignition("car-1", 1)));
        assertEquals(401, missing.statusCode());
        assertEquals("ApiKey realm=\"fleetbench\", header=\"x-api-key\"",
                missing.headers().firstValue("WWW-Authenticate").orElse(null));
        HttpResponse<String> wrong = post(request(IngestBody.JSON, Events.ignition("car-1", 1)).header("x-api-key", "k2"));
        assertEquals(403, wrong.statusCode());
        assertFalse(wrong.body().contains("k2"), wrong.body());
        assertEquals(List.of(), kinesis.written);
        assertAccepted(post(request(IngestBody.JSON, Events.ignition("car-1", 1)).header("X-Api-Key", "k1")), 1);
        assertEquals(2, server.stats().rejected(RejectReason.UNAUTHORIZED));
        assertEquals(2.0, registry.get(IngestMeters.EVENTS_REJECTED).tag("reason", "unauthorized").counter().count());
    }

    @Test
    void aBodyTooLargeOrOfAnotherTypeIsRefusedNamingTheLimit() throws Exception {
        StubKinesis kinesis = new StubKinesis();
        start(kinesis, IngestConfig.defaults(STREAM).withRequestLimits(1_000, 500));
        HttpResponse<String> type = post("text/plain", Events.ignition("car-1", 1));
        assertEquals(415, type.statusCode());
        assertTrue(type.body().contains("application/json"), type.body());
        String body = Events.array(List.of(Events.ignition("car-1", 1), Events.ignition("car-1", 2),
                Events.ignition("car-1", 3), Events.ignition("car-1", 4)));
        assertTrue(body.length() > 1_000, "the body is over the limit: " + body.length());
        HttpResponse<String> large = post(IngestBody.JSON, body);
        assertEquals(413, large.statusCode());
        assertEquals(1_000, new JsonObject(large.body()).getInteger("limit"));
        assertEquals(List.of(), kinesis.written);
        assertEquals(1, server.stats().rejected(RejectReason.TOO_LARGE));
        assertEquals(1, server.stats().rejected(RejectReason.INVALID));
    }

    @Test
    void anInvalidEventRefusesTheWholeRequestNamingIndexAndField() throws Exception {
        StubKinesis kinesis = new StubKinesis();
        start(kinesis, IngestConfig.defaults(STREAM));
        HttpResponse<String> r = post(IngestBody.JSON, Events.array(List.of(Events.ignition("car-1", 1),
                Events.withoutBatteryVoltage("car-1", 2))));
        assertEquals(400, r.statusCode());
        JsonObject body = new JsonObject(r.body());
        assertEquals(1, body.getInteger("index"));
        assertEquals("battery_voltage", body.getString("field"));
        assertEquals(List.of(), kinesis.written, "nothing of a refused request is put");
        assertEquals(2, server.stats().rejected(RejectReason.INVALID));
        assertEquals(0, server.stats().eventsAccepted());
    }

    @Test
    void wrongPathsAndMethodsAreAnsweredSo() throws Exception {
        start(new StubKinesis(), IngestConfig.defaults(STREAM));
        assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void eventsTheStreamRefusedForSureAreAnsweredRetryLater() throws Exception {
        start(new StubKinesis().failingWith(400), IngestConfig.defaults(STREAM).withRetryAfterSeconds(7));
        HttpResponse<String> r = post(IngestBody.JSON, Events.array(List.of(Events.ignition("car-1", 1),
                Events.ignition("car-2", 1))));
        assertEquals(503, r.statusCode());
        assertEquals("7", r.headers().firstValue("Retry-After").orElse(null));
        assertEquals(2, new JsonObject(r.body()).getInteger("failed"));
        assertEquals(2, server.stats().eventsFailed());
    }

    @Test
    void eventsWhoseOutcomeIsUnknownAreAnsweredGatewayTimeout() throws Exception {
        IngestConfig config = IngestConfig.defaults(STREAM).withProducer(IngestConfig.defaults(STREAM).producer()
                .withRecordTtl(Duration.ofMillis(300)).withBackoff(Duration.ofMillis(10), Duration.ofMillis(20)));
        // A 5xx answer may have written the records: they end ambiguous once their time-to-live runs out.
        start(new StubKinesis().failingWith(500), config);
        HttpResponse<String> ambiguous = post(IngestBody.JSON, Events.ignition("car-1", 1));
        assertEquals(504, ambiguous.statusCode());
        assertEquals(1, new JsonObject(ambiguous.body()).getInteger("ambiguous"));
        await(server.stop());
        registry = new SimpleMeterRegistry();

        // Part written, part refused for sure: the client cannot tell which, so the answer is unknown as well.
        StubKinesis partly = new StubKinesis();
        partly.answering(request -> partly.acknowledgeUnless(request, e -> e.partitionKey().equals("car-2")));
        start(partly, config);
        HttpResponse<String> mixed = post(IngestBody.JSON, Events.array(List.of(Events.ignition("car-1", 1),
                Events.ignition("car-2", 1))));
        assertEquals(504, mixed.statusCode());
        JsonObject body = new JsonObject(mixed.body());
        assertEquals(1, body.getInteger("acknowledged"));
        assertEquals(1, body.getInteger("failed"));
    }

    @Test
    void aRequestBeyondTheBufferedEventsIsAnsweredRetryLaterAndNothingOfItIsPut() throws Exception {
        StubKinesis kinesis = new StubKinesis().holding();
        start(kinesis, IngestConfig.defaults(STREAM).withRequestLimits(1 << 20, 4).withMaxBufferedEvents(4));
        CompletableFuture<HttpResponse<String>> first = postAsync(request(IngestBody.JSON,
                Events.array(List.of(Events.ignition("car-1", 1), Events.ignition("car-1", 2), Events.ignition("car-1", 3)))));
        poll(() -> !kinesis.held.isEmpty(), "the first request's events reach the stream");
        assertEquals(3.0, registry.get(IngestMeters.EVENTS_PENDING).gauge().value());

        HttpResponse<String> second = post(IngestBody.JSON,
                Events.array(List.of(Events.ignition("car-2", 1), Events.ignition("car-2", 2))));
        assertEquals(503, second.statusCode());
        assertEquals("1", second.headers().firstValue("Retry-After").orElse(null));
        // Room is counted in events: one more still fits.
        CompletableFuture<HttpResponse<String>> third = postAsync(request(IngestBody.JSON, Events.ignition("car-3", 1)));
        poll(() -> server.stats().eventsAccepted() == 4, "the third request is accepted");

        kinesis.release();
        assertAccepted(first.get(WAIT.toSeconds(), TimeUnit.SECONDS), 3);
        assertAccepted(third.get(WAIT.toSeconds(), TimeUnit.SECONDS), 1);
        assertEquals(List.of("car-1", "car-1", "car-1", "car-3"),
                kinesis.written.stream().map(PutRecordsRequestEntry::partitionKey).sorted().toList());
        assertEquals(2, server.stats().rejected(RejectReason.BACKPRESSURE));
        assertEquals(0.0, registry.get(IngestMeters.EVENTS_PENDING).gauge().value());
    }

    @Test
    void stoppingAnswersInFlightRequestsAndRefusesNewOnes() throws Exception {
        StubKinesis kinesis = new StubKinesis().holding();
        start(kinesis, IngestConfig.defaults(STREAM));
        CompletableFuture<HttpResponse<String>> inFlight = postAsync(request(IngestBody.JSON, Events.ignition("car-1", 1)));
        poll(() -> !kinesis.held.isEmpty(), "the in-flight request's event reaches the stream");

        Future<IngestStats> stopped = server.stop();
        assertFalse(server.accepting());
        HttpResponse<String> late = post(IngestBody.JSON, Events.ignition("car-2", 1));
        assertEquals(503, late.statusCode());
        assertTrue(late.headers().firstValue("Retry-After").isPresent());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, health.statusCode());
        assertFalse(stopped.isComplete(), "the stop waits for the in-flight request");

        kinesis.release();
        assertAccepted(inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS), 1);
        IngestStats stats = await(stopped);
        assertEquals(1, stats.eventsAcknowledged());
        assertEquals(1, stats.requests(202));
        assertEquals(1, stats.requests(503));
        assertEquals(0, stats.eventsPending());
        server = null;
    }

    @Test
    void aRequestWhoseClientWentAwayStillHasItsEventsDecidedAndCounted() throws Exception {
        StubKinesis kinesis = new StubKinesis().holding();
        start(kinesis, IngestConfig.defaults(STREAM));
        byte[] body = Events.ignition("car-1", 1).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + IngestConfig.DEFAULT_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + IngestBody.JSON + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            poll(() -> !kinesis.held.isEmpty(), "the event reaches the stream");
        }
        kinesis.release();
        poll(() -> server.stats().requests(202) == 1, "the request is answered, if to no one");
        assertEquals(1, server.stats().eventsAcknowledged());
        assertEquals(1, kinesis.written.size());
        assertEquals(0.0, registry.get(IngestMeters.EVENTS_PENDING).gauge().value());
    }

    @Test
    void aStreamThatDoesNotExistIsNamed() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(IngestServer.start(vertx, new StubKinesis(false), IngestConfig.defaults("missing"), registry)));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("stream missing does not exist"), e.getCause().getMessage());
    }

    @Test
    void healthIsOkWhileAccepting() throws Exception {
        start(new StubKinesis(), IngestConfig.defaults(STREAM));
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
    }

    private void start(StubKinesis kinesis, IngestConfig config) throws Exception {
        server = await(IngestServer.start(vertx, kinesis, config, registry));
    }

    private HttpRequest.Builder request(String contentType, String body) {
        return HttpRequest.newBuilder(URI.create(server.url())).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        return post(request(contentType, body));
    }

    private HttpResponse<String> post(HttpRequest.Builder request) throws Exception {
        return postAsync(request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<String>> postAsync(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAccepted(HttpResponse<String> r, int events) {
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(events, new JsonObject(r.body()).getInteger("accepted"), r.body());
    }

}
