package io.fleetbench.runner.crash;

import io.fleetbench.consumer.ConsumerConfig;
import io.fleetbench.consumer.KinesisConsumer;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A consumer process for {@link ConsumerCrashIT}: the real KCL consumer writing into the real Delta
 * sink, running until it is killed. It prints {@link #LEASED} once it holds a shard, so the test
 * can kill it while it is really working.
 */
public final class CrashableConsumer {
    /** The line printed once a record processor has taken over a shard. */
    public static final String LEASED = "crashable-consumer: leased";
    /** The worker id of every instance, so a restarted one takes its predecessor's leases back at once. */
    public static final String WORKER_ID = "crash-it-worker";
    /** How long a flushed buffer may wait: short, so that kills land between, during and after commits. */
    static final Duration FLUSH_LATENCY = Duration.ofMillis(500);

    private CrashableConsumer() {
    }

    /** Arguments: stream, application, Kinesis endpoint, DynamoDB endpoint, lake directory. */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("expected 5 arguments (stream app kinesisUri dynamoUri lakeDir), found "
                    + args.length);
        }
        String stream = args[0];
        String app = args[1];
        LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(args[4]).withApplicationId(app)
                .withBufferLimits(FLUSH_LATENCY, 64L << 20);
        ConsumerConfig config = ConsumerConfig.local(stream, app, URI.create(args[2]), URI.create(args[3]))
                .withWorkerId(WORKER_ID);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DeltaLakeSink sink = new DeltaLakeSink(sinkConfig, registry, Clock.systemUTC());
        KinesisConsumer consumer = new KinesisConsumer(config, sink, registry);
        // SIGTERM (the test's final, orderly stop) closes gracefully; SIGKILL skips this, which is the point.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.close();
            sink.close();
        }, "crashable-consumer-shutdown"));
        consumer.start();
        if (!consumer.awaitFirstLease(Duration.ofSeconds(60))) {
            System.out.println("crashable-consumer: no lease within 60 s");
            System.exit(2);
        }
        System.out.println(LEASED + " " + consumer.leasedShards());
        System.out.flush();
        Optional<Throwable> failure;
        while ((failure = consumer.failure()).isEmpty()) {
            Thread.sleep(200);
        }
        System.out.println("crashable-consumer: failed: " + failure.get());
        failure.get().printStackTrace(System.out);
        System.exit(1);
    }
}
