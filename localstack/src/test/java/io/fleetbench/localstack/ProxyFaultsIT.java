package io.fleetbench.localstack;

import io.fleetbench.simulator.KinesisClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each infrastructure fault of the proxy as a Kinesis client sees it, against kinesalite: a refused call gets its
 * HTTP error and never lands, a call reset before forwarding fails and never lands, one reset after forwarding fails
 * though it landed, a stalled call completes only after the stall, a delayed one only after the latency; and each is
 * counted once, by kind and operation.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProxyFaultsIT {
    private static final int RECORDS = 5;

    private static LocalStack stack;
    private static Vertx vertx;
    private static KinesisAsyncClient direct;

    @BeforeAll
    static void startKinesalite(@TempDir Path logs) throws Exception {
        StackConfig config = StackConfig.defaults().withPorts(freePort(), freePort());
        stack = LocalStack.start(config, ProjectHome.locate(), logs,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        vertx = Vertx.vertx();
        direct = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        if (direct != null) {
            direct.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anInternalFailureIsAnHttp500ThatNeverReachesTheStreamAndLeavesOtherCallsAlone() throws Exception {
        String stream = newStream("errors-500");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ShardLimitProxy proxy = proxy(ProxyFaults.none().withErrors(1, 0), registry);
             KinesisAsyncClient kinesis = client(proxy)) {
            AwsServiceException e = serviceFailure(() -> putRecords(kinesis, stream));

            assertEquals(500, e.statusCode());
            assertEquals("InternalFailure", e.awsErrorDetails().errorCode());
            assertEquals(0, records(kinesis, stream), "the consumer's calls pass: GetShardIterator and GetRecords are no target");
            assertEquals(counts(ProxyFault.INTERNAL_FAILURE, 1), proxy.faultCounts());
            assertEquals(1.0, registry.get(ProxyMeters.FAULTS).tag("fault", "internal_failure")
                    .tag("operation", "put_records").counter().count());
        }
    }

    @Test
    void aServiceUnavailableIsAnHttp503OnTheTargetsOnly() throws Exception {
        String stream = newStream("errors-503");
        try (ShardLimitProxy proxy = proxy(ProxyFaults.none().withErrors(0, 1).withTargets(List.of("PutRecord")),
                new SimpleMeterRegistry());
             KinesisAsyncClient kinesis = client(proxy)) {
            AwsServiceException e = serviceFailure(() -> kinesis.putRecord(b -> b.streamName(stream).partitionKey("k")
                    .data(SdkBytes.fromUtf8String("one"))).join());

            assertEquals(503, e.statusCode());
            assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
            assertEquals(0, putRecords(kinesis, stream), "PutRecords is no target here");
            assertEquals(RECORDS, records(direct, stream));
            assertEquals(counts(ProxyFault.SERVICE_UNAVAILABLE, 1), proxy.faultCounts());
        }
    }

    @Test
    void aResetBeforeForwardingFailsTheCallAndNothingLands() throws Exception {
        String stream = newStream("reset-before");
        try (ShardLimitProxy proxy = proxy(ProxyFaults.none().withResets(1, 0), new SimpleMeterRegistry());
             KinesisAsyncClient kinesis = client(proxy)) {
            transportFailure(() -> putRecords(kinesis, stream));

            assertEquals(0, records(direct, stream));
            assertEquals(counts(ProxyFault.RESET_BEFORE, 1), proxy.faultCounts());
        }
    }

    @Test
    void aResetIsATcpResetNotAnOrderlyClose() throws Exception {
        try (ShardLimitProxy proxy = proxy(ProxyFaults.none().withResets(1, 0), new SimpleMeterRegistry());
             Socket socket = new Socket(proxy.endpoint().getHost(), proxy.port())) {
            String body = "{\"StreamName\":\"any\",\"PartitionKey\":\"k\",\"Data\":\"AA==\"}";
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    + "X-Amz-Target: Kinesis_20131202.PutRecord\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();

            SocketException e = assertThrows(SocketException.class, () -> {
                while (in.read() != -1) {
                    // An orderly close would end here, with no answer but no error.
                }
            });
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
    }

    @Test
    void aResetAfterForwardingFailsTheCallThoughTheRecordsLanded() throws Exception {
        String stream = newStream("reset-after");
        try (ShardLimitProxy proxy = proxy(ProxyFaults.none().withResets(0, 1), new SimpleMeterRegistry());
             KinesisAsyncClient kinesis = client(proxy)) {
            transportFailure(() -> putRecords(kinesis, stream));

            assertEquals(RECORDS, records(direct, stream), "the client saw a failure, but every record is in the stream");
            assertEquals(counts(ProxyFault.RESET_AFTER, 1), proxy.faultCounts());
        }
    }

    @Test
    void aStalledCallCompletesOnlyAfterTheStall() throws Exception {
        String stream = newStream("stall");
        Duration stall = Duration.ofSeconds(2);
        try (ShardLimitProxy proxy = proxy(ProxyFaults.none().withStall(Duration.ZERO, stall), new SimpleMeterRegistry());
             KinesisAsyncClient kinesis = client(proxy)) {
            long t0 = System.nanoTime();
            assertEquals(0, putRecords(kinesis, stream));
            long took = System.nanoTime() - t0;

            assertTrue(took >= stall.toNanos(), "the first put starts a stall of " + stall + " at once, but it took "
                    + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
            assertEquals(RECORDS, records(direct, stream), "then it was let through");
            assertEquals(0, putRecords(kinesis, stream));
            assertEquals(counts(ProxyFault.STALL, 1), proxy.faultCounts(), "the put after the stall is not held");
        }
    }

    @Test
    void aHoldKeepsEveryCallFromTheEmulatorUntilTheRelease() throws Exception {
        String stream = newStream("hold");
        try (ShardLimitProxy proxy = proxy(ProxyFaults.none(), new SimpleMeterRegistry());
             KinesisAsyncClient kinesis = client(proxy)) {
            assertEquals(0, putRecords(kinesis, stream));
            proxy.hold(Duration.ofSeconds(5));

            CompletableFuture<Integer> put = CompletableFuture.supplyAsync(() -> putRecords(kinesis, stream));
            CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> records(kinesis, stream));
            assertThrows(TimeoutException.class, () -> put.get(1, TimeUnit.SECONDS), "the put is held");
            assertTrue(!read.isDone(), "so is the read, though no fault targets it");
            assertEquals(RECORDS, records(direct, stream), "the held put has not reached the emulator");

            assertEquals(2, proxy.release(), "a put and a GetShardIterator were held");
            assertEquals(0, put.get(10, TimeUnit.SECONDS));
            assertTrue(read.get(10, TimeUnit.SECONDS) >= RECORDS);
            assertEquals(2 * RECORDS, records(direct, stream));
            assertEquals(counts(ProxyFault.STALL, 0), proxy.faultCounts(), "a hold is no fault of the proxy's own");
        }
    }

    @Test
    void aDelayedCallTakesAtLeastTheLatency() throws Exception {
        String stream = newStream("latency");
        Duration latency = Duration.ofMillis(400);
        try (ShardLimitProxy proxy = proxy(ProxyFaults.none().withLatency(latency, Duration.ZERO), new SimpleMeterRegistry());
             KinesisAsyncClient kinesis = client(proxy)) {
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertEquals(0, putRecords(kinesis, stream));
                long took = System.nanoTime() - t0;
                assertTrue(took >= latency.toNanos(), "put " + i + " took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
            }
            assertEquals(3 * RECORDS, records(direct, stream));
            assertEquals(counts(ProxyFault.LATENCY, 3), proxy.faultCounts());
        }
    }

    private static ShardLimitProxy proxy(ProxyFaults faults, SimpleMeterRegistry registry) {
        return ShardLimitProxy.start(vertx, stack.kinesisEndpoint(), stack.bindAddress(), 0, Optional.empty(), faults,
                registry);
    }

    private static KinesisAsyncClient client(ShardLimitProxy proxy) {
        return KinesisClients.create(Optional.of(proxy.endpoint()), 4);
    }

    /** Puts {@value #RECORDS} records in one PutRecords call; returns its FailedRecordCount. */
    private static int putRecords(KinesisAsyncClient kinesis, String stream) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("car-" + i)
                    .data(SdkBytes.fromUtf8String("{\"n\":" + i + "}")).build());
        }
        return kinesis.putRecords(b -> b.streamName(stream).records(entries)).join().failedRecordCount();
    }

    private static AwsServiceException serviceFailure(Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        return assertInstanceOf(AwsServiceException.class, e.getCause());
    }

    private static void transportFailure(Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        SdkClientException client = assertInstanceOf(SdkClientException.class, e.getCause(),
                "a reset is an I/O failure, not an answer");
        assertTrue(client.getCause() instanceof IOException || client.getMessage().contains("connection")
                || client.getMessage().contains("closed"), client.toString());
    }

    /** The records in the stream's only shard. */
    private static long records(KinesisAsyncClient kinesis, String stream) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
        long n = 0;
        while (true) {
            String it = iterator;
            GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000)).join();
            if (r.records().isEmpty()) {
                return n;
            }
            n += r.records().size();
            iterator = r.nextShardIterator();
        }
    }

    private static Map<ProxyFault, Long> counts(ProxyFault fault, long n) {
        Map<ProxyFault, Long> counts = new EnumMap<>(ProxyFault.class);
        for (ProxyFault f : ProxyFault.values()) {
            counts.put(f, f == fault ? n : 0L);
        }
        return counts;
    }

    private static String newStream(String name) throws InterruptedException {
        String stream = "faults-" + name + "-" + System.nanoTime();
        StreamAdmin.createAndAwaitActive(direct, stream, 1, Duration.ofSeconds(30));
        return stream;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
