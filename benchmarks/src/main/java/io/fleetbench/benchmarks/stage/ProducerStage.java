package io.fleetbench.benchmarks.stage;

import io.fleetbench.localstack.StreamAdmin;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.simulator.ProducerConfig;
import io.fleetbench.simulator.ProducerCounters;
import io.fleetbench.simulator.ProducerExecutor;
import io.fleetbench.simulator.ShardMap;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The simulator's Kinesis producer alone against the local emulator: the stack is started on its own
 * ports, the stream created, and each round puts the same pre-encoded events (the fleet's, generated
 * before the clock starts) as fast as the producer takes them: every millisecond, on the producer's
 * Vert.x context as in the simulator, it is handed events until it pushes back, then drained. Put
 * latency runs from the moment an event is handed over to its acknowledgement.
 */
final class ProducerStage implements AutoCloseable {
    private static final String STREAM = "fleetbench-bench";
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(30);

    private final LocalStack stack;
    private final Vertx vertx;
    private final KinesisAsyncClient kinesis;
    private final ProducerConfig config;
    private final ShardMap shards;
    private final String[] keys;
    private final byte[][] data;

    private ProducerStage(LocalStack stack, Vertx vertx, KinesisAsyncClient kinesis, ProducerConfig config,
                          ShardMap shards, String[] keys, byte[][] data) {
        this.stack = stack;
        this.vertx = vertx;
        this.kinesis = kinesis;
        this.config = config;
        this.shards = shards;
        this.keys = keys;
        this.data = data;
    }

    /**
     * Starts the emulators, creates the stream and encodes the events.
     *
     * @param home   the project directory, which holds the pinned emulators
     * @param logDir where the emulators' logs go
     * @param out    where the stack's progress lines go
     */
    static ProducerStage start(BenchSettings settings, Path home, Path logDir, PrintStream out)
            throws InterruptedException {
        String[] keys = new String[settings.producerEvents()];
        byte[][] data = new byte[keys.length][];
        Fleet fleet = new Fleet(GeneratorStage.fleet(settings.seed()));
        JsonCodec codec = new JsonCodec();
        long clock = fleet.startEpochMillis();
        for (int i = 0; i < keys.length; i++) {
            TelemetryEvent e = fleet.next(clock++);
            keys[i] = e.deviceId();
            data[i] = codec.encode(e);
        }
        int kinesisPort = settings.kinesisPort() != 0 ? settings.kinesisPort() : freePort();
        int dynamoPort = settings.dynamoPort() != 0 ? settings.dynamoPort() : freePort();
        StackConfig stackConfig = StackConfig.defaults().withPorts(kinesisPort, dynamoPort);
        LocalStack stack = LocalStack.start(stackConfig, home, logDir, out);
        Vertx vertx = null;
        KinesisAsyncClient kinesis = null;
        try {
            ProducerConfig config = ProducerConfig.defaults(STREAM).withAggregation(settings.aggregation());
            kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 2 * config.maxInFlightRequests());
            StreamAdmin.createAndAwaitActive(kinesis, STREAM, settings.shards(), STREAM_TIMEOUT);
            ShardMap shards = ShardMap.fetch(kinesis, STREAM, STREAM_TIMEOUT);
            vertx = Vertx.vertx();
            return new ProducerStage(stack, vertx, kinesis, config, shards, keys, data);
        } catch (RuntimeException | InterruptedException e) {
            if (kinesis != null) {
                kinesis.close();
            }
            if (vertx != null) {
                vertx.close();
            }
            stack.close();
            throw e;
        }
    }

    /** Puts the first {@code events} of the encoded events (all of them for a measured round). */
    Map<String, Double> round(int events, BenchProgress progress) throws Exception {
        CountingKinesisClient counting = new CountingKinesisClient(kinesis);
        Context context = vertx.getOrCreateContext();
        KinesisProducer producer = new KinesisProducer(counting, config, shards, ProducerExecutor.onContext(context),
                System::nanoTime, new SimpleMeterRegistry());
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] next = new int[1];
        Meter meter = new Meter();
        context.runOnContext(v -> vertx.setPeriodic(1, id -> {
            try {
                while (next[0] < events && producer.canAccept()) {
                    producer.send(keys[next[0]], data[next[0]], System.nanoTime());
                    next[0]++;
                }
                producer.flushIfLingered();
                if (next[0] == events) {
                    vertx.cancelTimer(id);
                    producer.drain().whenComplete((r, e) -> done.complete(null));
                }
            } catch (RuntimeException e) {
                vertx.cancelTimer(id);
                done.completeExceptionally(e);
            }
        }));
        long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
        while (!done.isDone()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the producer did not drain " + events + " events within " + ROUND_TIMEOUT);
            }
            ProducerCounters c = producer.counters();
            progress.update(c.acknowledged() + c.failed(), events, "events");
            try {
                done.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Not drained yet: show the progress again.
            }
        }
        done.join();
        meter.stop();
        ProducerCounters c = producer.counters();
        Histogram latency = producer.intervalLatency();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("events", (double) c.sent());
        f.put("seconds", meter.wallSeconds());
        f.put("events_per_s", c.acknowledged() / meter.wallSeconds());
        f.put("put_calls", (double) counting.putRecordsCalls());
        f.put("put_calls_per_s", counting.putRecordsCalls() / meter.wallSeconds());
        f.put("put_latency_p50_ms", latency.getValueAtPercentile(50) / 1e3);
        f.put("put_latency_p99_ms", latency.getValueAtPercentile(99) / 1e3);
        f.put("failures", (double) c.failed());
        f.put("cpu_s_per_million_events", meter.cpuSeconds() / (Math.max(1, c.sent()) / 1e6));
        return f;
    }

    /** Stops Vert.x and the emulators. */
    @Override
    public void close() {
        try {
            kinesis.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Vert.x did not stop cleanly; the emulators are stopped all the same.
        } finally {
            stack.close();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the emulators", e);
        }
    }
}
