package io.fleetbench.simulator;

import io.fleetbench.telemetry.ShardLoadReport;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the simulator hands its events: straight into a Kinesis stream ({@link KinesisProducer}), or as HTTP
 * requests to an ingestion API in front of one ({@link io.fleetbench.simulator.http.HttpSender}), as devices do.
 * Either way every event ends acknowledged, failed or ambiguous ({@link ProducerCounters}), with its latency
 * measured from its intended send time.
 *
 * <p>Threading: {@link #canAccept()}, {@link #send}, {@link #flushIfLingered()} and {@link #drain()} are called on
 * the sender's one thread (the simulator's Vert.x context), which also runs its callbacks; {@link #counters()},
 * {@link #intervalLatency()}, {@link #shardLoad()} and {@link #lastAcknowledged()} may be called from any thread.
 */
public interface EventSender {

    /** Whether {@link #send} takes one more event now; false pushes back on the fleet (shortfall). */
    boolean canAccept();

    /**
     * Takes one event.
     *
     * @param partitionKey  the event's partition key (its device id)
     * @param data          the event as encoded
     * @param intendedNanos when it was meant to be sent, on the sender's clock
     * @param eventKey      its {@linkplain io.fleetbench.telemetry.EventIds#key key}, under which its outcome is
     *                      recorded; {@link KinesisProducer#NO_EVENT_KEY} for none
     * @throws IllegalStateException if {@link #canAccept()} is false
     */
    void send(String partitionKey, byte[] data, long intendedNanos, long eventKey);

    /** Sends what has waited its linger time; called after each tick of the fleet. */
    void flushIfLingered();

    /** Sends everything held back and completes once every event sent so far is decided. */
    CompletableFuture<Void> drain();

    /** The event counters now. */
    ProducerCounters counters();

    /** Latencies in microseconds recorded since the previous call; one reader at a time. */
    Histogram intervalLatency();

    /** The write load per shard of the stream, where the sender puts into shards itself; else no shards. */
    ShardLoadReport shardLoad();

    /**
     * Per shard, the sequence number of the last record acknowledged so far, where the sender puts into shards
     * itself; else empty.
     */
    Map<String, String> lastAcknowledged();
}
