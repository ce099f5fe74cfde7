package io.fleetbench.runner.crash;

import io.fleetbench.runner.AcknowledgingProducer;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.telemetry.EventFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills the consumer process with SIGKILL at random points while a producer keeps putting, restarts
 * it each time, and audits the lake with delta-kernel: every acknowledged event exactly once.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ConsumerCrashIT {
    private static final int KILLS = 10;
    /** The seed of the kill points; another one with {@code -Dfleetbench.crash.seed=N}. */
    private static final long SEED = Long.getLong("fleetbench.crash.seed", 0x5EED_C0DEL);
    /**
     * Kills land up to this long after the instance's first commit, about two flush cycles of
     * {@link CrashableConsumer#FLUSH_LATENCY}: between, during and just after commits.
     */
    private static final int MAX_KILL_DELAY_MILLIS = 1_000;
    private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);
    private static final int EVENTS_PER_BATCH_AND_FAMILY = 50;

    @TempDir
    Path runDir;

    @Test
    void sigkilledAndRestartedConsumerLandsEveryAcknowledgedEventExactlyOnce() throws Exception {
        long t0 = System.nanoTime();
        StackConfig stackConfig = StackConfig.defaults().withPorts(freePort(), freePort());
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("it", "it"));
        Path lake = runDir.resolve("lake");
        Random random = new Random(SEED);
        Process current = null;
        try (LocalStack stack = LocalStack.start(stackConfig, ProjectHome.locate(), runDir.resolve("stack"), System.out);
             KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(stack.kinesisEndpoint())
                     .region(Region.US_EAST_1).credentialsProvider(creds)
                     .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build()) {
            String stream = "crash-it";
            String app = "crash-it-app";
            kinesis.createStream(b -> b.streamName(stream).shardCount(2)).join();
            awaitCondition("stream " + stream + " to become active", Duration.ofSeconds(30), () -> kinesis
                    .describeStreamSummary(b -> b.streamName(stream)).join()
                    .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // C1 and the serial collector start a JVM faster on 2 cores; 1,000 events/s need no more.
                    "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Daws.cborEnabled=false",
                    "-cp", System.getProperty("java.class.path"),
                    CrashableConsumer.class.getName(), stream, app, stack.kinesisEndpoint().toString(),
                    stack.dynamoEndpoint().toString(), lake.toString());

            // About 1,000 events/s.
            AcknowledgingProducer producer = new AcknowledgingProducer(kinesis, stream, EVENTS_PER_BATCH_AND_FAMILY, 100);
            Thread producerThread = producer.start("crash-it-producer");
            List<String> kills = new ArrayList<>();
            try {
                for (int k = 0; k < KILLS; k++) {
                    Path log = runDir.resolve("consumer-" + k + ".log");
                    long started = System.nanoTime();
                    current = launch(command, log);
                    awaitLease(current, log);
                    long leased = System.nanoTime();
                    long commitsBefore = commits(lake);
                    // Killing an instance that never committed would only test the start-up path.
                    awaitCondition(() -> "a commit by consumer " + log.getFileName() + "; log: " + tail(log),
                            LEASE_TIMEOUT, () -> commits(lake) > commitsBefore);
                    long committed = System.nanoTime();
                    int delay = random.nextInt(MAX_KILL_DELAY_MILLIS);
                    // The random wait is the kill point under test, not a wait for something to happen.
                    Thread.sleep(delay);
                    assertTrue(current.isAlive(), "consumer " + k + " died on its own before its kill; log: " + tail(log));
                    current.destroyForcibly();
                    assertTrue(current.waitFor(30, TimeUnit.SECONDS), "consumer " + k + " still runs after SIGKILL");
                    kills.add(String.format("#%d: lease after %d ms, first commit %d ms later, killed %d ms after that;"
                                    + " commits by this instance: %d", k, (leased - started) / 1_000_000,
                            (committed - leased) / 1_000_000, delay, commits(lake) - commitsBefore));
                    producer.check();
                }
            } finally {
                producer.stop();
                producerThread.join(30_000);
            }
            producer.check();
            Map<EventFamily, Set<String>> acknowledged = producer.acknowledged();
            long expected = acknowledged.values().stream().mapToLong(Set::size).sum();

            Path finalLog = runDir.resolve("consumer-final.log");
            current = launch(command, finalLog);
            awaitLease(current, finalLog);
            Process last = current;
            awaitCondition(() -> "the lake to hold all " + expected + " acknowledged events, found " + audit(lake)
                    + "; log: " + tail(finalLog), DRAIN_TIMEOUT, () -> {
                assertTrue(last.isAlive(), "the final consumer died; log: " + tail(finalLog));
                return audit(lake).values().stream().mapToLong(TableCounts::distinctEventIds).sum() >= expected;
            });
            current.destroy();
            if (!current.waitFor(60, TimeUnit.SECONDS)) {
                current.destroyForcibly();
                fail("the final consumer did not stop within 60 s of SIGTERM; log: " + tail(finalLog));
            }

            Map<EventFamily, TableCounts> tables = audit(lake);
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("ConsumerCrashIT: seed %d, %d SIGKILLs, %d restarts, %d acknowledged events, %s, %d ms%n",
                    SEED, kills.size(), kills.size(), expected, tables.values().stream()
                            .map(t -> Path.of(t.tablePath()).getFileName() + ": rows=" + t.rows() + " distinct="
                                    + t.distinctEventIds() + " files=" + t.files() + " version=" + t.version())
                            .toList(), elapsedMs);
            kills.forEach(k -> System.out.println("ConsumerCrashIT: kill " + k));
            assertTrue(kills.size() >= 10, "at least 10 kills, found " + kills.size());
            for (EventFamily f : EventFamily.values()) {
                TableCounts t = tables.get(f);
                long acked = acknowledged.getOrDefault(f, Set.of()).size();
                assertEquals(0, t.duplicateEventIds(), f.wireName() + ": rows with an event_id seen before");
                assertEquals(acked, t.distinctEventIds(), f.wireName() + ": distinct event_ids = acknowledged events");
            }
        } finally {
            if (current != null && current.isAlive()) {
                current.destroyForcibly();
            }
        }
    }

    private static Map<EventFamily, TableCounts> audit(Path lake) {
        LakeCounts audit = new LakeCounts();
        Map<EventFamily, TableCounts> tables = new EnumMap<>(EventFamily.class);
        for (EventFamily f : EventFamily.values()) {
            tables.put(f, audit.audit(lake.resolve(f.wireName()).toString()));
        }
        return tables;
    }

    /** Commits to every table so far, counted from the Delta logs' commit files. */
    private static long commits(Path lake) {
        long n = 0;
        for (EventFamily f : EventFamily.values()) {
            Path log = lake.resolve(f.wireName()).resolve("_delta_log");
            if (Files.isDirectory(log)) {
                try (Stream<Path> files = Files.list(log)) {
                    n += files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).count();
                } catch (IOException e) {
                    throw new UncheckedIOException("listing " + log, e);
                }
            }
        }
        return n;
    }

    private static Process launch(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitLease(Process p, Path log) throws InterruptedException {
        awaitCondition(() -> "a lease (" + log.getFileName() + "); log: " + tail(log), LEASE_TIMEOUT, () -> {
            String text = read(log);
            assertTrue(p.isAlive() || text.contains(CrashableConsumer.LEASED),
                    "the consumer exited before taking a lease; log: " + tail(log));
            return text.contains(CrashableConsumer.LEASED);
        });
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(Path log) {
        String text = read(log);
        return text.substring(Math.max(0, text.length() - 4_000));
    }

    /** Polls an observable condition until it holds or the timeout passes. */
    private static void awaitCondition(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        awaitCondition(() -> what, timeout, condition);
    }

    /** Polls an observable condition until it holds or the timeout passes; {@code what} is built only on failure. */
    private static void awaitCondition(Supplier<String> what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what.get());
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
