package io.fleetbench.simulator;

import io.fleetbench.telemetry.manifest.OutcomeRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Where a simulator sends: opens its {@link EventSender} on the simulator's context when the run starts. */
@FunctionalInterface
public interface EventTarget {
    /** How long listing a stream's shards at the start may take. */
    Duration SHARD_LIST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Opens the sender.
     *
     * @param context  the simulator's Vert.x context: the sender's one thread
     * @param nanoTime the simulator's clock; intended send times are on its scale
     * @param registry where the sender's meters go
     * @param outcomes where each event's outcome goes, on the context; null for none
     * @throws ShardMapException if the target is a stream whose shards cannot be listed
     */
    EventSender open(Context context, LongSupplier nanoTime, MeterRegistry registry, OutcomeRecorder outcomes);

    /** Straight into a Kinesis stream with PutRecords, its shards listed at the start. */
    static EventTarget kinesis(KinesisAsyncClient client, ProducerConfig config) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(config, "config");
        return (context, nanoTime, registry, outcomes) -> new KinesisProducer(client, config,
                ShardMap.fetch(client, config.streamName(), SHARD_LIST_TIMEOUT), ProducerExecutor.onContext(context),
                nanoTime, registry, outcomes);
    }
}
