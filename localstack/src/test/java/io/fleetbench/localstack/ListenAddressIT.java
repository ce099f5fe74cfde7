package io.fleetbench.localstack;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nothing the stack starts listens beyond this machine: kinesalite, dynalite, kinesis-local (both its ports) and the
 * Kinesis proxy in front of them listen on 127.0.0.1 only, as the system's own socket table says, unless another
 * address is asked for.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ListenAddressIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path logs;

    private final Vertx vertx = Vertx.vertx();
    private final PrintStream progress = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeAll
    static void onLinux() {
        assumeTrue(ListeningSockets.available(), "reads the listening sockets from /proc/net/tcp (Linux)");
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void kinesaliteDynaliteAndTheProxyListenOnTheLoopbackAddressOnly() throws Exception {
        StackConfig config = StackConfig.defaults().withPorts(freePort(), freePort());
        assertEquals("127.0.0.1", config.bindAddress(), "the default");
        try (LocalStack stack = LocalStack.start(config, ProjectHome.locate(), logs, progress);
             ShardLimitProxy proxy = ShardLimitProxy.start(vertx, stack.kinesisEndpoint(), stack.bindAddress(), 0,
                     Optional.empty(), ProxyFaults.none().withResets(0.1, 0), new SimpleMeterRegistry())) {
            Map<String, Integer> servers = new LinkedHashMap<>();
            servers.put("kinesalite", config.kinesisPort());
            servers.put("dynalite", config.dynamoPort());
            servers.put("proxy", proxy.port());

            assertOnlyOnLoopback(servers);
            assertEquals("http://127.0.0.1:" + config.kinesisPort(), stack.kinesisEndpoint().toString());
            assertEquals("http://127.0.0.1:" + proxy.port(), proxy.endpoint().toString());
        }
    }

    @Test
    void kinesisLocalListensOnTheLoopbackAddressOnlyOnBothItsPorts() throws Exception {
        StackConfig config = new StackConfig(StreamEmulator.KINESIS_LOCAL, freePort(), freePort(), freePort(),
                StackConfig.defaults().shardLimit(), StackConfig.defaults().startTimeout(),
                StackConfig.defaults().stopGrace(), StackConfig.DEFAULT_BIND_ADDRESS);
        try (LocalStack stack = LocalStack.start(config, ProjectHome.locate(), logs, progress)) {
            Map<String, Integer> servers = new LinkedHashMap<>();
            servers.put("kinesis-local", config.kinesisPort());
            // kinesis-local opens its TLS port too, which the stack does not wait for.
            servers.put("kinesis-local TLS", config.kinesisLocalTlsPort());
            servers.put("dynalite", config.dynamoPort());
            awaitListening(config.kinesisLocalTlsPort());

            assertOnlyOnLoopback(servers);
        }
    }

    @Test
    void anotherAddressIsListenedOnWhenAskedFor() throws Exception {
        StackConfig config = StackConfig.defaults().withPorts(freePort(), freePort()).withBindAddress("0.0.0.0");
        try (LocalStack stack = LocalStack.start(config, ProjectHome.locate(), logs, progress);
             ShardLimitProxy proxy = ShardLimitProxy.start(vertx, stack.kinesisEndpoint(), stack.bindAddress(), 0,
                     ShardLimits.aws(), new SimpleMeterRegistry())) {
            for (int port : List.of(config.kinesisPort(), config.dynamoPort(), proxy.port())) {
                List<InetAddress> listening = ListeningSockets.on(port);
                assertFalse(listening.isEmpty(), "nothing listens on " + port);
                assertTrue(listening.stream().allMatch(InetAddress::isAnyLocalAddress),
                        "port " + port + " should listen on every interface, listens on " + listening);
            }
            assertEquals("http://127.0.0.1:" + config.kinesisPort(), stack.kinesisEndpoint().toString(),
                    "a client on this machine still reaches it on the loopback address");
        }
    }

    private static void assertOnlyOnLoopback(Map<String, Integer> servers) throws IOException {
        for (Map.Entry<String, Integer> server : servers.entrySet()) {
            List<InetAddress> listening = ListeningSockets.on(server.getValue());
            assertFalse(listening.isEmpty(), server.getKey() + " listens on no socket at port " + server.getValue());
            assertEquals(List.of(), listening.stream().filter(a -> !a.equals(LOOPBACK)).toList(),
                    server.getKey() + " on port " + server.getValue() + " listens beyond 127.0.0.1");
        }
    }

    private static void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ListeningSockets.on(port).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "nothing listens on port " + port + " after 30 s");
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
