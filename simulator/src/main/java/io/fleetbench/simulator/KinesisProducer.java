package io.fleetbench.simulator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Puts records into a Kinesis stream with PutRecords: batches of at most
 * {@value #MAX_RECORDS_PER_REQUEST} records and {@value #MAX_REQUEST_BYTES} bytes, a bound on
 * batches in flight that pushes back on the caller, and retries of failed records (per-record
 * errors and whole-request failures) with jittered exponential backoff until each record's
 * time-to-live, counted from its intended send time, runs out.
 *
 * <p>Put latency is measured from each record's intended send time to its acknowledgement, so a
 * caller that falls behind shows up in the latency instead of hiding it (no coordinated omission).
 *
 * <p>Threading: {@link #canAccept()}, {@link #send}, {@link #flushIfLingered()} and {@link #drain()}
 * must be called on the thread of the {@link ProducerExecutor}, which also runs every callback;
 * {@link #counters()} and {@link #intervalLatency()} may be called from any thread.
 */
public final class KinesisProducer {
    /** Most records in one PutRecords request. */
    public static final int MAX_RECORDS_PER_REQUEST = 500;
    /** Most bytes (data and partition keys) in one PutRecords request. */
    public static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;
    /** Most bytes of one record, data and partition key together. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    /** Longest partition key, in characters. */
    public static final int MAX_PARTITION_KEY_LENGTH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(KinesisProducer.class);

    private final KinesisAsyncClient client;
    private final ProducerConfig config;
    private final ProducerExecutor executor;
    private final LongSupplier nanoTime;
    private final long ttlNanos;
    private final long lingerNanos;
    private final SplittableRandom jitter = new SplittableRandom();
    private final Recorder latencyMicros = new Recorder(3);
    private final boolean[] warned = new boolean[FailureReason.values().length];

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicInteger inFlightRequests = new AtomicInteger();
    private final EnumMap<FailureReason, AtomicLong> failedByReason = new EnumMap<>(FailureReason.class);

    private final Counter sentCounter;
    private final Counter acknowledgedCounter;
    private final EnumMap<FailureReason, Counter> failedCounters = new EnumMap<>(FailureReason.class);
    private final EnumMap<FailureReason, Counter> retriedCounters = new EnumMap<>(FailureReason.class);
    private final Timer putLatency;

    private Batch buffered = new Batch();
    private long bufferedSinceNanos;
    private CompletableFuture<Void> drained;

    /**
     * @param client   the Kinesis client; not closed by the producer
     * @param config   batching, bounds and retries
     * @param executor the thread that runs the producer
     * @param nanoTime the clock, as {@link System#nanoTime()}; intended send times are on its scale
     * @param registry where the producer's meters go
     */
    public KinesisProducer(KinesisAsyncClient client, ProducerConfig config, ProducerExecutor executor,
                           LongSupplier nanoTime, MeterRegistry registry) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.ttlNanos = config.recordTtl().toNanos();
        this.lingerNanos = config.linger().toNanos();
        sentCounter = Counter.builder("fleetbench.simulator.events.sent")
                .description("Events handed to the Kinesis producer").register(registry);
        acknowledgedCounter = Counter.builder("fleetbench.simulator.events.acknowledged")
                .description("Events Kinesis accepted").register(registry);
        for (FailureReason r : FailureReason.values()) {
            failedByReason.put(r, new AtomicLong());
            failedCounters.put(r, Counter.builder("fleetbench.simulator.events.failed").tag("reason", r.label())
                    .description("Events the producer gave up on").register(registry));
            retriedCounters.put(r, Counter.builder("fleetbench.simulator.events.retried").tag("reason", r.label())
                    .description("Record re-sends after a failed attempt").register(registry));
        }
        putLatency = Timer.builder("fleetbench.simulator.put.latency")
                .description("From an event's intended send time to its acknowledgement by Kinesis")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("fleetbench.simulator.events.in.flight", inFlight, AtomicLong::get)
                .description("Events buffered, on the wire or waiting to be retried").register(registry);
        Gauge.builder("fleetbench.simulator.requests.in.flight", inFlightRequests, AtomicInteger::get)
                .description("PutRecords batches on the wire or waiting to be retried").register(registry);
    }

    /**
     * Whether {@link #send} will take a record of up to {@value #MAX_RECORD_BYTES} bytes now: a
     * request slot is free, or the buffered batch has room for it.
     */
    public boolean canAccept() {
        return inFlightRequests.get() < config.maxInFlightRequests() || buffered.fits(MAX_RECORD_BYTES);
    }

    /**
     * Buffers one record and sends the batch when it is full.
     *
     * @param partitionKey  1 to {@value #MAX_PARTITION_KEY_LENGTH} characters
     * @param data          the record; with the key's UTF-8 bytes at most {@value #MAX_RECORD_BYTES} bytes
     * @param intendedNanos when the record was meant to be sent, on the producer's clock
     * @throws IllegalArgumentException if the key or the record is too long
     * @throws IllegalStateException    if {@link #canAccept()} is false
     */
    public void send(String partitionKey, byte[] data, long intendedNanos) {
        if (partitionKey.isEmpty() || partitionKey.length() > MAX_PARTITION_KEY_LENGTH) {
            throw new IllegalArgumentException("partition key must have 1 to " + MAX_PARTITION_KEY_LENGTH
                    + " characters, found " + partitionKey.length());
        }
        int size = data.length + utf8Length(partitionKey);
        if (size > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("record with its partition key must be at most " + MAX_RECORD_BYTES
                    + " bytes, found " + size);
        }
        if (!buffered.fits(size)) {
            if (inFlightRequests.get() >= config.maxInFlightRequests()) {
                throw new IllegalStateException("no room: " + inFlightRequests.get()
                        + " requests in flight and the buffered batch is full; call canAccept() first");
            }
            dispatchBuffered();
        }
        if (buffered.entries.isEmpty()) {
            bufferedSinceNanos = nanoTime.getAsLong();
        }
        buffered.add(new Entry(partitionKey, data, intendedNanos, size));
        sent.incrementAndGet();
        sentCounter.increment();
        inFlight.incrementAndGet();
        if (!buffered.fits(1) && inFlightRequests.get() < config.maxInFlightRequests()) {
            dispatchBuffered();
        }
    }

    /** Sends the buffered batch if its first record has waited the linger time and a slot is free. */
    public void flushIfLingered() {
        if (!buffered.entries.isEmpty() && nanoTime.getAsLong() - bufferedSinceNanos >= lingerNanos
                && inFlightRequests.get() < config.maxInFlightRequests()) {
            dispatchBuffered();
        }
    }

    /**
     * Sends whatever is buffered as soon as a slot is free and completes once every event sent so
     * far has been acknowledged or has failed. Records may still be sent afterwards.
     */
    public CompletableFuture<Void> drain() {
        if (drained == null || drained.isDone()) {
            drained = new CompletableFuture<>();
        }
        CompletableFuture<Void> result = drained;
        if (!buffered.entries.isEmpty() && inFlightRequests.get() < config.maxInFlightRequests()) {
            dispatchBuffered();
        }
        completeDrainIfIdle();
        return result;
    }

    /** The event counters now. */
    public ProducerCounters counters() {
        Map<FailureReason, Long> byReason = new EnumMap<>(FailureReason.class);
        failedByReason.forEach((r, n) -> byReason.put(r, n.get()));
        return new ProducerCounters(sent.get(), acknowledged.get(), failed.get(), Map.copyOf(byReason),
                retried.get(), inFlight.get(), inFlightRequests.get());
    }

    /**
     * Put latencies in microseconds recorded since the previous call; one reader at a time.
     */
    public Histogram intervalLatency() {
        return latencyMicros.getIntervalHistogram();
    }

    private void dispatchBuffered() {
        Batch batch = buffered;
        buffered = new Batch();
        inFlightRequests.incrementAndGet();
        put(batch);
    }

    private void put(Batch batch) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(batch.entries.size());
        for (Entry e : batch.entries) {
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey(e.partitionKey)
                    .data(SdkBytes.fromByteArrayUnsafe(e.data))
                    .build());
        }
        PutRecordsRequest request = PutRecordsRequest.builder()
                .streamName(config.streamName())
                .records(entries)
                .build();
        CompletableFuture<PutRecordsResponse> response;
        try {
            response = client.putRecords(request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((r, error) -> executor.execute(() -> onResponse(batch, r, error)));
    }

    private void onResponse(Batch batch, PutRecordsResponse response, Throwable error) {
        long now = nanoTime.getAsLong();
        Batch retry = new Batch();
        if (error == null && response.records().size() != batch.entries.size()) {
            error = new IllegalStateException("PutRecords answered " + response.records().size()
                    + " results for " + batch.entries.size() + " records");
        }
        if (error != null) {
            FailureReason reason = classify(error);
            warnOnce(reason, error);
            for (Entry e : batch.entries) {
                failOrRetry(e, reason, retry);
            }
        } else {
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < results.size(); i++) {
                Entry e = batch.entries.get(i);
                String code = results.get(i).errorCode();
                if (code == null) {
                    acknowledge(e, now);
                } else {
                    failOrRetry(e, FailureReason.ofErrorCode(code), retry);
                }
            }
        }
        if (retry.entries.isEmpty()) {
            releaseSlot();
        } else {
            scheduleRetry(retry, batch.attempt + 1, now);
        }
    }

    private void failOrRetry(Entry e, FailureReason reason, Batch retry) {
        e.lastFailure = reason;
        if (reason.retryable()) {
            retry.add(e);
        } else {
            fail(e);
        }
    }

    private void scheduleRetry(Batch retry, int attempt, long now) {
        long delay = backoffNanos(attempt);
        Batch next = new Batch();
        next.attempt = attempt;
        for (Entry e : retry.entries) {
            // Give up now on records whose time-to-live ends before the retry would go out.
            if (now + delay - e.intendedNanos > ttlNanos) {
                fail(e);
            } else {
                next.add(e);
            }
        }
        if (next.entries.isEmpty()) {
            releaseSlot();
            return;
        }
        executor.schedule(delay, () -> {
            for (Entry e : next.entries) {
                retried.incrementAndGet();
                retriedCounters.get(e.lastFailure).increment();
            }
            put(next);
        });
    }

    private long backoffNanos(int attempt) {
        long base = config.backoffBase().toNanos();
        long cap = config.backoffMax().toNanos();
        long ceiling = attempt >= 31 ? cap : Math.min(cap, base << (attempt - 1));
        return ceiling / 2 + jitter.nextLong(ceiling / 2 + 1);
    }

    private void acknowledge(Entry e, long now) {
        long latency = Math.max(0, now - e.intendedNanos);
        latencyMicros.recordValue(TimeUnit.NANOSECONDS.toMicros(latency));
        putLatency.record(latency, TimeUnit.NANOSECONDS);
        acknowledged.incrementAndGet();
        acknowledgedCounter.increment();
        inFlight.decrementAndGet();
    }

    private void fail(Entry e) {
        failed.incrementAndGet();
        failedByReason.get(e.lastFailure).incrementAndGet();
        failedCounters.get(e.lastFailure).increment();
        inFlight.decrementAndGet();
    }

    private void releaseSlot() {
        inFlightRequests.decrementAndGet();
        if (!buffered.entries.isEmpty() && (drained != null && !drained.isDone() || !buffered.fits(1))) {
            dispatchBuffered();
        }
        completeDrainIfIdle();
    }

    private void completeDrainIfIdle() {
        if (drained != null && inFlight.get() == 0) {
            drained.complete(null);
        }
    }

    private void warnOnce(FailureReason reason, Throwable error) {
        if (!warned[reason.ordinal()]) {
            warned[reason.ordinal()] = true;
            LOG.warn("PutRecords to stream {} failed ({}), retryable={}: {}; further failures of this kind are"
                    + " only counted", config.streamName(), reason.label(), reason.retryable(), error.toString());
        }
    }

    static FailureReason classify(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            if (ase.isThrottlingException() || "ProvisionedThroughputExceededException".equals(code)
                    || "LimitExceededException".equals(code)) {
                return FailureReason.THROUGHPUT_EXCEEDED;
            }
            return ase.statusCode() >= 500 ? FailureReason.REQUEST_FAILED : FailureReason.REQUEST_REJECTED;
        }
        return FailureReason.REQUEST_FAILED;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** One record and what the producer knows about it. */
    private static final class Entry {
        final String partitionKey;
        final byte[] data;
        final long intendedNanos;
        final int size;
        FailureReason lastFailure;

        Entry(String partitionKey, byte[] data, long intendedNanos, int size) {
            this.partitionKey = partitionKey;
            this.data = data;
            this.intendedNanos = intendedNanos;
            this.size = size;
        }
    }

    /** The records of one PutRecords request. */
    private static final class Batch {
        final List<Entry> entries = new ArrayList<>();
        long bytes;
        int attempt;

        boolean fits(int size) {
            return entries.size() < MAX_RECORDS_PER_REQUEST && bytes + size <= MAX_REQUEST_BYTES;
        }

        void add(Entry e) {
            entries.add(e);
            bytes += e.size;
        }
    }
}
