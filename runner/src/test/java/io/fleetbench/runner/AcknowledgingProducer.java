package io.fleetbench.runner;

import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts batches of car and bike events ({@link TestEvents}, keyed by device id) with PutRecords until
 * stopped, pausing between batches, and remembers the id of every acknowledged event and how many
 * records each shard acknowledged. Entries that fail are resent; a call that throws leaves its
 * events unknown, so it fails the test ({@link #check()}).
 */
public final class AcknowledgingProducer implements Runnable {
    private static final JsonCodec CODEC = new JsonCodec();

    private final KinesisAsyncClient kinesis;
    private final String stream;
    private final int eventsPerBatchAndFamily;
    private final long pauseMillis;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Map<EventFamily, Set<String>> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> acknowledgedByShard = new ConcurrentHashMap<>();
    private int next;

    /**
     * @param eventsPerBatchAndFamily car events, and as many bike events, per PutRecords call
     * @param pauseMillis             pause after each batch; 50 events per family and 100 ms make about 1,000 events/s
     */
    public AcknowledgingProducer(KinesisAsyncClient kinesis, String stream, int eventsPerBatchAndFamily,
                                 long pauseMillis) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.eventsPerBatchAndFamily = eventsPerBatchAndFamily;
        this.pauseMillis = pauseMillis;
    }

    /** Starts the producer on a thread of its own. */
    public Thread start(String threadName) {
        Thread t = new Thread(this, threadName);
        t.start();
        return t;
    }

    @Override
    public void run() {
        try {
            while (!stopped.get()) {
                List<TelemetryEvent> events = new ArrayList<>();
                for (int i = 0; i < eventsPerBatchAndFamily; i++, next++) {
                    events.add(TestEvents.car(next));
                    events.add(TestEvents.bike(next));
                }
                putUntilAcknowledged(events);
                // Paces the producer; nothing waits on this sleep.
                Thread.sleep(pauseMillis);
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private void putUntilAcknowledged(List<TelemetryEvent> events) {
        List<TelemetryEvent> pending = events;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt >= 10) {
                throw new IllegalStateException(pending.size() + " records still failing after 10 attempts");
            }
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (TelemetryEvent e : pending) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey(e.deviceId())
                        .data(SdkBytes.fromByteArray(CODEC.encode(e))).build());
            }
            List<PutRecordsResultEntry> results = kinesis.putRecords(b -> b.streamName(stream).records(entries))
                    .join().records();
            List<TelemetryEvent> failed = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                TelemetryEvent e = pending.get(i);
                PutRecordsResultEntry result = results.get(i);
                if (result.errorCode() != null) {
                    failed.add(e);
                } else {
                    acknowledged.computeIfAbsent(e.family(), f -> ConcurrentHashMap.newKeySet()).add(e.eventId());
                    acknowledgedByShard.computeIfAbsent(result.shardId(), s -> new AtomicLong()).incrementAndGet();
                }
            }
            pending = failed;
        }
    }

    /** Asks the producer to stop after the batch in flight. */
    public void stop() {
        stopped.set(true);
    }

    /** Fails the test if the producer failed. */
    public void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the producer failed: " + t, t);
        }
    }

    /** The ids of the acknowledged events, by family; live while the producer runs. */
    public Map<EventFamily, Set<String>> acknowledged() {
        return acknowledged;
    }

    /** How many events were acknowledged so far. */
    public long acknowledgedCount() {
        return acknowledged.values().stream().mapToLong(Set::size).sum();
    }

    /** How many records each shard acknowledged so far. */
    public Map<String, Long> acknowledgedByShard() {
        Map<String, Long> copy = new TreeMap<>();
        acknowledgedByShard.forEach((shard, n) -> copy.put(shard, n.get()));
        return copy;
    }
}
