package io.fleetbench.ingest;

import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.ProxyFaults;
import io.fleetbench.localstack.ShardLimitProxy;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.localstack.StreamAdmin;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.simulator.ProducerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.fleetbench.ingest.Waits.WAIT;
import static io.fleetbench.ingest.Waits.await;
import static io.fleetbench.ingest.Waits.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint in front of the local Kinesis emulator (kinesalite, as the stack starts it): every format lands in the
 * stream byte for byte under its partition key, a refused request writes nothing, backpressure loses nothing and
 * duplicates nothing, and a stop answers what is in flight while refusing what comes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class IngestServerIT {

    private static LocalStack stack;
    private static Vertx vertx;
    private static KinesisAsyncClient kinesis;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startStack(@TempDir Path logs) throws IOException {
        stack = LocalStack.start(StackConfig.defaults().withPorts(freePort(), freePort()), ProjectHome.locate(), logs,
                System.out);
        vertx = Vertx.vertx();
        kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 64);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (kinesis != null) {
            kinesis.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyFormatLandsInTheStreamByteForByteUnderItsPartitionKey() throws Exception {
        String stream = stream("formats", 2);
        IngestServer server = start(kinesis, IngestConfig.defaults(stream));
        try {
            String one = Events.ignition("car-1", 1);
            List<String> batch = List.of(Events.ignition("car-2", 1), Events.ignition("bike-3", 1),
                    Events.ignition("car-2", 2));
            List<String> records = List.of(Events.ignition("car-4", 1), Events.ignition("car-5", 1));

            assertEquals(202, post(http, server, IngestBody.JSON, one).statusCode());
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> overH2 = post(h2, server, IngestBody.JSON, Events.array(batch));
            assertEquals(HttpClient.Version.HTTP_2, overH2.version());
            assertEquals(202, overH2.statusCode(), overH2.body());
            assertEquals(202, post(http, server, IngestBody.AMZ_JSON, Events.putRecords(stream, records)).statusCode());

            Map<String, String> expected = new HashMap<>();
            expected.put(one, "car-1");
            batch.forEach(e -> expected.put(e, e.contains("bike-3") ? "bike-3" : "car-2"));
            expected.put(records.get(0), "key-0");
            expected.put(records.get(1), "key-1");
            Map<String, String> landed = new HashMap<>();
            for (Record r : read(stream)) {
                assertEquals(null, landed.put(r.data().asUtf8String(), r.partitionKey()), "a record twice: "
                        + r.data().asUtf8String());
            }
            assertEquals(expected, landed, "the stream holds each event as sent, under its partition key");
        } finally {
            await(server.stop());
        }
    }

    @Test
    void anInvalidEventIsRefusedNamingItsFieldAndNothingOfItsRequestLands() throws Exception {
        String stream = stream("invalid", 1);
        IngestServer server = start(kinesis, IngestConfig.defaults(stream));
        try {
            HttpResponse<String> refused = post(http, server, IngestBody.JSON, Events.array(List.of(
                    Events.ignition("car-1", 1), Events.ignition("car-1", 2), Events.withoutBatteryVoltage("car-1", 3))));
            assertEquals(400, refused.statusCode());
            JsonObject body = new JsonObject(refused.body());
            assertEquals(2, body.getInteger("index"));
            assertEquals("battery_voltage", body.getString("field"));

            String good = Events.ignition("car-9", 1);
            assertEquals(202, post(http, server, IngestBody.JSON, good).statusCode());
            assertEquals(List.of(good), read(stream).stream().map(r -> r.data().asUtf8String()).toList());
        } finally {
            await(server.stop());
        }
    }

    @Test
    void underBackpressureEveryAcceptedEventLandsOnceAndNoRefusedOneLands() throws Exception {
        String stream = stream("backpressure", 1);
        // Each put takes 300 ms and one is on the wire at a time, so a burst of requests finds the endpoint full.
        try (ShardLimitProxy slow = ShardLimitProxy.start(vertx, stack.kinesisEndpoint(), "127.0.0.1", 0,
                Optional.empty(), ProxyFaults.none().withLatency(Duration.ofMillis(300), Duration.ZERO),
                new SimpleMeterRegistry());
             KinesisAsyncClient throughProxy = KinesisClients.create(Optional.of(slow.endpoint()), 8)) {
            IngestConfig config = IngestConfig.defaults(stream).withRequestLimits(1 << 20, 5).withMaxBufferedEvents(20)
                    .withProducer(ProducerConfig.defaults(stream).withMaxInFlightRequests(1));
            IngestServer server = start(throughProxy, config);
            int requests = 30;
            List<List<String>> sent = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                List<String> events = new ArrayList<>();
                for (int j = 1; j <= 5; j++) {
                    events.add(Events.ignition("car-" + i, j));
                }
                sent.add(events);
                answers.add(http.sendAsync(request(server, IngestBody.JSON, Events.array(events)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Map<String, Integer> expected = new HashMap<>();
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < requests; i++) {
                HttpResponse<String> r = answers.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (r.statusCode() == 202) {
                    accepted++;
                    sent.get(i).forEach(e -> expected.put(e, 1));
                } else {
                    assertEquals(503, r.statusCode(), "request " + i + ": " + r.body());
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                    refused++;
                }
            }
            IngestStats stats = await(server.stop());
            System.out.printf("IngestServerIT: a burst of %d requests: %d accepted, %d refused; %s%n", requests,
                    accepted, refused, stats);
            assertTrue(accepted > 0 && refused > 0, "a burst of " + requests + " requests of 5 events into room for 20:"
                    + " accepted " + accepted + ", refused " + refused);
            assertEquals(5L * refused, stats.rejected(RejectReason.BACKPRESSURE));

            Map<String, Integer> landed = new HashMap<>();
            for (Record r : read(stream)) {
                landed.merge(r.data().asUtf8String(), 1, Integer::sum);
            }
            assertEquals(expected, landed, "exactly the events of the accepted requests, once each");
        }
    }

    @Test
    void aStopAnswersTheRequestsInFlightAndRefusesNewOnes() throws Exception {
        String stream = stream("stop", 1);
        try (ShardLimitProxy proxy = ShardLimitProxy.start(vertx, stack.kinesisEndpoint(), "127.0.0.1", 0,
                Optional.empty(), ProxyFaults.none(), new SimpleMeterRegistry());
             KinesisAsyncClient throughProxy = KinesisClients.create(Optional.of(proxy.endpoint()), 8)) {
            IngestServer server = start(throughProxy, IngestConfig.defaults(stream));
            proxy.hold(WAIT);
            String inFlight = Events.ignition("car-1", 1);
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                    request(server, IngestBody.JSON, inFlight).build(), HttpResponse.BodyHandlers.ofString());
            poll(() -> server.stats().eventsAccepted() == 1, "the request is accepted");

            Future<IngestStats> stopped = server.stop();
            HttpResponse<String> late = post(http, server, IngestBody.JSON, Events.ignition("car-2", 1));
            assertEquals(503, late.statusCode());
            assertTrue(late.headers().firstValue("Retry-After").isPresent());
            assertEquals(503, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertFalse(answer.isDone(), "the in-flight request waits for its event to be decided");

            proxy.release();
            assertEquals(202, answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
            IngestStats stats = await(stopped);
            assertEquals(1, stats.eventsAcknowledged());
            assertEquals(0, stats.eventsPending());
            assertEquals(List.of(inFlight), read(stream).stream().map(r -> r.data().asUtf8String()).toList());
        }
    }

    private static IngestServer start(KinesisAsyncClient client, IngestConfig config) throws Exception {
        return await(IngestServer.start(vertx, client, config, new SimpleMeterRegistry()));
    }

    private static String stream(String what, int shards) throws InterruptedException {
        String name = "ingest-it-" + what + "-" + System.nanoTime();
        StreamAdmin.createAndAwaitActive(kinesis, name, shards, WAIT);
        return name;
    }

    /** Every record in the stream, shard by shard, read straight from the emulator. */
    private static List<Record> read(String stream) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).join().shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
            while (iterator != null) {
                String at = iterator;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(at)).join();
                if (r.records().isEmpty()) {
                    break;
                }
                records.addAll(r.records());
                iterator = r.nextShardIterator();
            }
        }
        return records;
    }

    private static HttpRequest.Builder request(IngestServer server, String contentType, String body) {
        return HttpRequest.newBuilder(URI.create(server.url())).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> post(HttpClient client, IngestServer server, String contentType, String body)
            throws Exception {
        return client.sendAsync(request(server, contentType, body).build(), HttpResponse.BodyHandlers.ofString())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
