package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.manifest.AckLedger;
import io.fleetbench.telemetry.manifest.Outcome;
import io.fleetbench.telemetry.manifest.OutcomeRecorder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
 * <p>With {@link ProducerConfig#aggregation()}, user records are packed into KPL-compatible
 * aggregates ({@link AggregatedRecordBuilder}), one open aggregate per shard of the
 * {@link ShardMap}, so that every user record in an aggregate hashes to the shard the aggregate
 * goes to. An aggregate closes when the next record would take it over
 * {@value #MAX_RECORD_BYTES} bytes, when it has waited the linger time, or on {@link #drain()}; it
 * is then one record of a PutRecords batch and is retried, acknowledged or failed as a whole
 * (its time-to-live runs from its earliest user record). An aggregate of one record goes out as
 * that plain record, as the KPL does.
 *
 * <p>The producer follows resharding. Each PutRecords answer names the shard every record went to; a
 * shard the map does not know means the stream was resharded (a split or a merge closes shards and
 * routes their keys to new ones; a put is never refused for that), so the producer reads the shards
 * again with ListShards, in the background, and goes on with the new map: open aggregates and batched
 * records whose user records the new map routes to different shards are split by shard before they go
 * out, so that no aggregate spans two shards of the current map. An aggregate that was already put
 * under the old map and landed in a shard whose hash-key range does not hold all of its user records is
 * lost to a KPL-aware consumer: the KCL de-aggregates a record with its shard's range and drops the
 * whole aggregate at its first user record outside it. Its user records are therefore not acknowledged
 * by that answer but sent again, aggregated by the new map ({@code events_reaggregated}), and
 * acknowledged, failed or ambiguous by what becomes of the new puts; given up on, they count as
 * ambiguous, since a consumer that does not check ranges reads the first copy. The ledger marks them
 * {@link Outcome#REAGGREGATED}. A record that lands
 * where the map did not predict but within its shard's range (a plain record always; an aggregate
 * after a merge) is acknowledged as it is. No periodic refresh is needed: keys that stay on an
 * unchanged shard keep the old map right, and any key of a closed shard shows the change at its next put.
 *
 * <p>Every Kinesis record's first attempt is counted against its predicted shard ({@link #shardLoad()}),
 * by shard id, so the shards a reshard closed keep what they took.
 *
 * <p>An attempt fails definitely or ambiguously ({@link #ambiguous(Throwable)}). A per-record error code
 * in a PutRecords answer, or a whole request refused with a 4xx status, says the records were not
 * written. A whole request that timed out, lost its connection or failed with a 5xx status may have
 * been written: its records are <em>ambiguous</em> until a later attempt decides. A record acknowledged
 * after an ambiguous attempt counts as acknowledged and as acknowledged after an ambiguous attempt
 * (it may be in the stream twice); one given up on after an ambiguous attempt counts as ambiguous (in
 * the stream once or not at all), not as failed; one given up on after definite failures only counts
 * as failed, by the reason of its last attempt. Each send may carry its event's
 * {@linkplain EventIds#key key}, under which an {@link AckLedger}, if given, records every user
 * record's outcome: {@link Outcome#ACKNOWLEDGED} (and {@link Outcome#ACKNOWLEDGED_AFTER_AMBIGUOUS}),
 * {@link Outcome#AMBIGUOUS} or {@link Outcome#FAILED}, on the producer's thread.
 *
 * <p>Put latency is measured from each record's intended send time to its acknowledgement, so a
 * caller that falls behind shows up in the latency instead of hiding it (no coordinated omission).
 *
 * <p>Threading: {@link #canAccept()}, {@link #send}, {@link #flushIfLingered()} and {@link #drain()}
 * must be called on the thread of the {@link ProducerExecutor}, which also runs every callback and
 * writes to the ledger; {@link #counters()} and {@link #intervalLatency()} may be called from any thread.
 */
public final class KinesisProducer implements EventSender {
    /** Most records in one PutRecords request. */
    public static final int MAX_RECORDS_PER_REQUEST = 500;
    /** Most bytes (data and partition keys) in one PutRecords request. */
    public static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;
    /** Most bytes of one record, data and partition key together. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    /** Longest partition key, in characters. */
    public static final int MAX_PARTITION_KEY_LENGTH = 256;
    /** The event key of a record whose outcome no ledger records. */
    public static final long NO_EVENT_KEY = -1;

    private static final Logger LOG = LoggerFactory.getLogger(KinesisProducer.class);

    /** Listings of the stream after which an aggregate's shard is still unknown before it is sent again anyway. */
    static final int MAX_LISTINGS_OF_UNKNOWN_SHARD = 3;

    private final KinesisAsyncClient client;
    private final ProducerConfig config;
    private final ShardLoadMeter shardLoad;
    private ShardMap shardMap;
    private Pending[] open;
    private final ProducerExecutor executor;
    private final LongSupplier nanoTime;
    private final SendOutcomes outcomes;
    private final String meterPrefix;
    private final long ttlNanos;
    private final long lingerNanos;
    private final SplittableRandom jitter = new SplittableRandom();
    /** Per reason, definite and ambiguous: whether that kind of failure was logged. */
    private final boolean[] warned = new boolean[2 * FailureReason.values().length];

    private final AtomicInteger inFlightRequests = new AtomicInteger();
    private final AtomicLong reaggregated = new AtomicLong();
    /** Per shard, the sequence number of the last record acknowledged so far. */
    private final ConcurrentHashMap<String, String> lastAcknowledged = new ConcurrentHashMap<>();

    private final Counter reaggregatedCounter;

    private Batch buffered = new Batch();
    private long bufferedSinceNanos;
    /** Kinesis records ready to go that did not fit while every request slot was busy, oldest first. */
    private final ArrayDeque<Put> backlog = new ArrayDeque<>();
    /** Aggregates that landed in a shard the map does not know, waiting for a listing that names it. */
    private List<Landed> unjudged = new ArrayList<>();
    /** Whether a ListShards of the stream is under way, or waits for its turn. */
    private boolean listing;
    private boolean listingScheduled;
    /** ListShards attempts that failed in a row, and the earliest time of the next one after a failure. */
    private int listingFailures;
    private long nextListingNanos;
    private boolean warnedReaggregated;
    private CompletableFuture<Void> drained;

    /**
     * A producer that records no outcomes per event.
     *
     * @param client   the Kinesis client; not closed by the producer
     * @param config   batching, bounds, retries and aggregation
     * @param shardMap the stream's shards ({@link ShardMap#fetch}), for aggregation and per-shard accounting; the
     *                 producer replaces it when the stream is resharded
     * @param executor the thread that runs the producer
     * @param nanoTime the clock, as {@link System#nanoTime()}; intended send times are on its scale
     * @param registry where the producer's meters go
     */
    public KinesisProducer(KinesisAsyncClient client, ProducerConfig config, ShardMap shardMap,
                           ProducerExecutor executor, LongSupplier nanoTime, MeterRegistry registry) {
        this(client, config, shardMap, executor, nanoTime, registry, null);
    }

    /**
     * A producer that records the outcome of every event sent with a key in {@code ledger}.
     *
     * @param ledger where each user record's outcome goes, on the executor's thread; null for none
     * @see #KinesisProducer(KinesisAsyncClient, ProducerConfig, ShardMap, ProducerExecutor, LongSupplier, MeterRegistry)
     */
    public KinesisProducer(KinesisAsyncClient client, ProducerConfig config, ShardMap shardMap,
                           ProducerExecutor executor, LongSupplier nanoTime, MeterRegistry registry,
                           OutcomeRecorder ledger) {
        this(client, config, shardMap, executor, nanoTime, registry, ledger, SimulatorMeters.PREFIX);
    }

    /**
     * A producer whose meters are named under another prefix than the simulator's, for a role that puts records
     * beside a simulator in one registry (the ingestion endpoint's {@code fleetbench.ingest}): each meter of
     * {@link SimulatorMeters} whose name starts with {@link SimulatorMeters#PREFIX} takes {@code meterPrefix} instead.
     *
     * @param ledger      where each user record's outcome goes, on the executor's thread; null for none
     * @param meterPrefix dot-separated, such as {@code fleetbench.ingest}
     */
    public KinesisProducer(KinesisAsyncClient client, ProducerConfig config, ShardMap shardMap,
                           ProducerExecutor executor, LongSupplier nanoTime, MeterRegistry registry,
                           OutcomeRecorder ledger, String meterPrefix) {
        this.meterPrefix = Objects.requireNonNull(meterPrefix, "meterPrefix");
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
        this.shardLoad = new ShardLoadMeter(shardMap, config.aggregation(), nanoTime.getAsLong(), registry, meterPrefix);
        this.open = new Pending[config.aggregation() ? shardMap.size() : 0];
        for (int i = 0; i < open.length; i++) {
            open[i] = new Pending(shardMap.shard(i));
        }
        this.executor = Objects.requireNonNull(executor, "executor");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.ttlNanos = config.recordTtl().toNanos();
        this.lingerNanos = config.linger().toNanos();
        outcomes = new SendOutcomes(registry, meterPrefix, ledger);
        reaggregatedCounter = Counter.builder(meter(SimulatorMeters.EVENTS_REAGGREGATED))
                .description("Events sent again, aggregated by the stream's new shards, because their aggregate"
                        + " landed in a shard whose hash-key range does not hold them all").register(registry);
        Gauge.builder(meter(SimulatorMeters.REQUESTS_IN_FLIGHT), inFlightRequests, AtomicInteger::get).strongReference(true)
                .description("PutRecords batches on the wire or waiting to be retried").register(registry);
    }

    /** A meter's name under this producer's prefix. */
    private String meter(String simulatorName) {
        return SimulatorMeters.named(meterPrefix, simulatorName);
    }

    /**
     * Whether {@link #send} will take a record of up to {@value #MAX_RECORD_BYTES} bytes now: nothing
     * waits for room (records being sent again after a reshard go first), and a request slot is free or
     * the buffered batch has room for it.
     */
    @Override
    public boolean canAccept() {
        return backlog.isEmpty()
                && (inFlightRequests.get() < config.maxInFlightRequests() || buffered.fits(MAX_RECORD_BYTES));
    }

    /**
     * Buffers one record whose outcome no ledger records, and sends the batch when it is full.
     *
     * @see #send(String, byte[], long, long)
     */
    public void send(String partitionKey, byte[] data, long intendedNanos) {
        send(partitionKey, data, intendedNanos, NO_EVENT_KEY);
    }

    /**
     * Buffers one record and sends the batch when it is full.
     *
     * @param partitionKey  1 to {@value #MAX_PARTITION_KEY_LENGTH} characters
     * @param data          the record; with the key's UTF-8 bytes at most {@value #MAX_RECORD_BYTES} bytes
     * @param intendedNanos when the record was meant to be sent, on the producer's clock
     * @param eventKey      the event's {@linkplain EventIds#key key}, under which the ledger records its
     *                      outcome; {@link #NO_EVENT_KEY} for none
     * @throws IllegalArgumentException if the key or the record is too long
     * @throws IllegalStateException    if {@link #canAccept()} is false
     */
    @Override
    public void send(String partitionKey, byte[] data, long intendedNanos, long eventKey) {
        if (partitionKey.isEmpty() || partitionKey.length() > MAX_PARTITION_KEY_LENGTH) {
            throw new IllegalArgumentException("partition key must have 1 to " + MAX_PARTITION_KEY_LENGTH
                    + " characters, found " + partitionKey.length());
        }
        int size = data.length + utf8Length(partitionKey);
        if (size > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("record with its partition key must be at most " + MAX_RECORD_BYTES
                    + " bytes, found " + size);
        }
        if (!canAccept()) {
            throw new IllegalStateException("no room: " + inFlightRequests.get() + " requests in flight, "
                    + backlog.size() + " records waiting and the buffered batch full; call canAccept() first");
        }
        if (open.length == 0) {
            ShardMap.Shard shard = shardMap.shard(shardMap.shardOf(partitionKey));
            enqueue(Put.plain(partitionKey, data, size, shard, intendedNanos, eventKey, nanoTime.getAsLong()));
        } else {
            aggregate(partitionKey, data, size, intendedNanos, eventKey);
        }
        outcomes.sent(1);
        if (!buffered.fits(1) && inFlightRequests.get() < config.maxInFlightRequests()) {
            dispatchBuffered();
        }
    }

    private void aggregate(String partitionKey, byte[] data, int size, long intendedNanos, long eventKey) {
        int shard = shardMap.shardOf(partitionKey);
        long now = nanoTime.getAsLong();
        if (AggregatedRecordBuilder.singleRecordBytes(size - data.length, data.length) > MAX_RECORD_BYTES) {
            // Too big to wrap even alone: it goes out as a plain record, which the KCL passes through.
            enqueue(Put.plain(partitionKey, data, size, shardMap.shard(shard), intendedNanos, eventKey, now));
            return;
        }
        Pending a = open[shard];
        if (!a.builder.tryAdd(partitionKey, data, MAX_RECORD_BYTES)) {
            enqueue(a.take());
            if (!a.builder.tryAdd(partitionKey, data, MAX_RECORD_BYTES)) {
                throw new IllegalStateException("an empty aggregate refused a record of " + size
                        + " bytes that fits alone");
            }
        }
        a.added(partitionKey, data, size, intendedNanos, eventKey, now);
    }

    /**
     * Adds a Kinesis record to the buffered batch, first sending the batch if it has no room for it; if
     * records already wait for room, or there is none and every slot is busy, it waits behind them.
     */
    private void enqueue(Put put) {
        if (!backlog.isEmpty()
                || !buffered.fits(put.size) && inFlightRequests.get() >= config.maxInFlightRequests()) {
            backlog.addLast(put);
            return;
        }
        if (!buffered.fits(put.size)) {
            dispatchBuffered();
        }
        addBuffered(put);
    }

    private void addBuffered(Put put) {
        if (buffered.entries.isEmpty() || put.sinceNanos < bufferedSinceNanos) {
            bufferedSinceNanos = put.sinceNanos;
        }
        buffered.add(put);
    }

    /** Moves waiting records into the buffered batch, oldest first, sending full batches while a slot is free. */
    private void pump() {
        while (!backlog.isEmpty()) {
            Put head = backlog.peekFirst();
            if (!buffered.fits(head.size)) {
                if (inFlightRequests.get() >= config.maxInFlightRequests()) {
                    return;
                }
                dispatchBuffered();
            }
            addBuffered(backlog.pollFirst());
        }
    }

    /**
     * Moves open aggregates into the buffered batch, sending full batches while a slot is free,
     * until one does not fit.
     *
     * @param lingeredOnly only those whose first record has waited the linger time
     */
    private void closeAggregates(boolean lingeredOnly) {
        if (!backlog.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        for (Pending a : open) {
            if (a.builder.count() == 0 || lingeredOnly && now - a.sinceNanos < lingerNanos) {
                continue;
            }
            if (!buffered.fits(a.builder.recordBytes())) {
                if (inFlightRequests.get() >= config.maxInFlightRequests()) {
                    return;
                }
                dispatchBuffered();
            }
            enqueue(a.take());
        }
    }

    /** Sends the buffered batch if its first record has waited the linger time and a slot is free. */
    @Override
    public void flushIfLingered() {
        pump();
        closeAggregates(true);
        if (!buffered.entries.isEmpty() && nanoTime.getAsLong() - bufferedSinceNanos >= lingerNanos
                && inFlightRequests.get() < config.maxInFlightRequests()) {
            dispatchBuffered();
        }
    }

    /**
     * Sends whatever is buffered as soon as a slot is free and completes once every event sent so
     * far has been acknowledged or has failed. Records may still be sent afterwards.
     */
    @Override
    public CompletableFuture<Void> drain() {
        if (drained == null || drained.isDone()) {
            drained = new CompletableFuture<>();
        }
        CompletableFuture<Void> result = drained;
        pump();
        closeAggregates(false);
        if (!buffered.entries.isEmpty() && inFlightRequests.get() < config.maxInFlightRequests()) {
            dispatchBuffered();
        }
        completeDrainIfIdle();
        return result;
    }

    /** The event counters now. */
    @Override
    public ProducerCounters counters() {
        return outcomes.counters(inFlightRequests.get(), reaggregated.get());
    }

    /**
     * Per shard, the sequence number of the last record Kinesis acknowledged so far: a reader that has read a shard up
     * to it has read every acknowledged record of the shard, whatever else the shard holds (copies written by attempts
     * whose answer was lost are not counted as acknowledged, so the records can outnumber the acknowledgements). Shards
     * without an acknowledged record are absent. Any thread.
     */
    @Override
    public Map<String, String> lastAcknowledged() {
        return Map.copyOf(lastAcknowledged);
    }

    /** The per-shard write load so far; any thread. */
    @Override
    public ShardLoadReport shardLoad() {
        return shardLoad.report(nanoTime.getAsLong());
    }

    /**
     * Put latencies in microseconds recorded since the previous call; one reader at a time.
     */
    @Override
    public Histogram intervalLatency() {
        return outcomes.intervalLatency();
    }

    private void dispatchBuffered() {
        Batch batch = buffered;
        buffered = new Batch();
        inFlightRequests.incrementAndGet();
        put(batch);
    }

    private void put(Batch batch) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(batch.entries.size());
        long now = nanoTime.getAsLong();
        for (Put e : batch.entries) {
            if (batch.attempt == 0) {
                shardLoad.record(e.shard.shardId(), e.intended.length, e.userBytes, e.size, now);
            }
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey(e.partitionKey)
                    .data(SdkBytes.fromByteArrayUnsafe(e.data))
                    .build());
        }
        PutRecordsRequest request = PutRecordsRequest.builder()
                .streamName(config.streamName())
                .records(entries)
                .overrideConfiguration(o -> o.apiCallTimeout(config.apiCallTimeout())
                        .apiCallAttemptTimeout(config.apiCallTimeout()))
                .build();
        CompletableFuture<PutRecordsResponse> response;
        try {
            response = client.putRecords(request);
        } catch (RuntimeException e) {
            // Refused before anything went out: a definite failure.
            executor.execute(() -> onResponse(batch, null, e, false));
            return;
        }
        response.whenComplete((r, error) -> executor.execute(() -> onResponse(batch, r, error, true)));
    }

    /**
     * @param mayHaveSent whether the request may have reached the stream (false: the client refused it)
     */
    private void onResponse(Batch batch, PutRecordsResponse response, Throwable error, boolean mayHaveSent) {
        long now = nanoTime.getAsLong();
        Batch retry = new Batch();
        if (error == null && response.records().size() != batch.entries.size()) {
            // The stream answered, but not which records it wrote.
            error = new IllegalStateException("PutRecords answered " + response.records().size()
                    + " results for " + batch.entries.size() + " records");
        }
        if (error != null) {
            FailureReason reason = classify(error);
            boolean unknown = mayHaveSent && ambiguous(error);
            warnOnce(reason, unknown, error);
            for (Put e : batch.entries) {
                e.ambiguous |= unknown;
                failOrRetry(e, reason, retry);
            }
        } else {
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < results.size(); i++) {
                Put e = batch.entries.get(i);
                String code = results.get(i).errorCode();
                if (code == null) {
                    landed(e, results.get(i), now);
                } else {
                    failOrRetry(e, FailureReason.ofErrorCode(code), retry);
                }
            }
        }
        if (retry.entries.isEmpty()) {
            releaseSlot();
        } else {
            scheduleRetry(retry, batch.attempt + 1, now);
            pump();
        }
    }

    /**
     * A record the stream wrote to {@code shardId}. Where the map predicted, or for a plain record, it is
     * acknowledged. An aggregate that landed elsewhere is judged by the range of the shard it landed in, once
     * the map knows that shard: the stream was resharded, and if the map does not know the shard yet, it is
     * read again.
     */
    private void landed(Put e, PutRecordsResultEntry result, long now) {
        String shardId = result.shardId();
        if (shardId == null || shardId.equals(e.shard.shardId())) {
            acknowledge(e, now);
            noteAcknowledged(result);
            return;
        }
        ShardMap.Shard at = shardMap.byId(shardId);
        if (e.count() == 1) {
            // A plain record is read by the consumer of whichever shard it landed in.
            acknowledge(e, now);
            noteAcknowledged(result);
        } else if (at == null) {
            unjudged.add(new Landed(e, result));
        } else if (judge(e, at, now)) {
            noteAcknowledged(result);
        }
        if (at == null) {
            listShards();
        }
    }

    /**
     * Acknowledges an aggregate if the range of the shard it landed in holds every user record in it; otherwise a
     * KPL-aware consumer drops it whole, and its user records are sent again, aggregated by the current map.
     *
     * @return whether it was acknowledged
     */
    private boolean judge(Put e, ShardMap.Shard at, long now) {
        for (int i = 0; i < e.count(); i++) {
            if (!at.covers(ShardMap.hashKey(e.userKey(i)))) {
                reaggregate(e, at.shardId());
                return false;
            }
        }
        acknowledge(e, now);
        return true;
    }

    private void reaggregate(Put e, String shardId) {
        int n = e.count();
        reaggregated.addAndGet(n);
        reaggregatedCounter.increment(n);
        if (!warnedReaggregated) {
            warnedReaggregated = true;
            LOG.warn("An aggregate of {} events put to stream {} landed in {}, whose hash-key range does not hold"
                    + " them all: the stream was resharded and a KPL-aware consumer drops such an aggregate, so its"
                    + " events are sent again, aggregated by the new shards; further ones are only counted", n,
                    config.streamName(), shardId);
        }
        e.copyInStream = true;
        for (long key : e.keys) {
            outcomes.record(key, Outcome.REAGGREGATED);
        }
        for (Put part : refit(e)) {
            enqueue(part);
        }
    }

    /**
     * Reads the stream's shards in the background, unless a listing is under way or waits. After a failed listing the
     * next waits out a backoff: if aggregates wait to be judged it is scheduled then, otherwise the next answer that
     * names an unknown shard asks again.
     */
    private void listShards() {
        if (listing || listingScheduled) {
            return;
        }
        long wait = nextListingNanos - nanoTime.getAsLong();
        if (wait > 0) {
            if (!unjudged.isEmpty()) {
                listingScheduled = true;
                executor.schedule(wait, () -> {
                    listingScheduled = false;
                    listShards();
                });
            }
            return;
        }
        listing = true;
        CompletableFuture<ShardMap> next;
        try {
            next = ShardMap.fetchAsync(client, config.streamName(), config.apiCallTimeout());
        } catch (RuntimeException e) {
            next = CompletableFuture.failedFuture(e);
        }
        next.whenComplete((map, error) -> executor.execute(() -> onShardMap(map, error)));
    }

    private void onShardMap(ShardMap next, Throwable error) {
        listing = false;
        long now = nanoTime.getAsLong();
        if (error != null) {
            listingFailures++;
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (listingFailures == 1) {
                LOG.warn("Listing the shards of stream {} after a reshard failed: {}; retrying while aggregates wait to"
                        + " be judged", config.streamName(), cause.toString());
            }
            // An aggregate whose time-to-live ran out waiting is given up on: it is in the stream, but may be dropped.
            List<Landed> waiting = unjudged;
            unjudged = new ArrayList<>();
            for (Landed l : waiting) {
                if (now - l.put.earliestNanos > ttlNanos) {
                    l.put.copyInStream = true;
                    fail(l.put);
                } else {
                    unjudged.add(l);
                }
            }
            nextListingNanos = now + backoffNanos(listingFailures);
            listShards();
            completeDrainIfIdle();
            return;
        }
        listingFailures = 0;
        nextListingNanos = now;
        install(next, now);
    }

    /**
     * Goes on with a newer map of the stream's shards: open aggregates of shards it no longer has are closed,
     * records not yet sent are split where their user records now go to different shards, and aggregates that
     * waited for the shard they landed in are judged.
     */
    private void install(ShardMap next, long now) {
        ShardMap previous = shardMap;
        shardMap = next;
        shardLoad.addShards(next);
        LOG.info("Stream {} was resharded: the producer now routes to {} open shards {} (before: {})",
                config.streamName(), next.size(), next.shards().stream().map(ShardMap.Shard::shardId).toList(),
                previous.shards().stream().map(ShardMap.Shard::shardId).toList());
        List<Put> unsent = new ArrayList<>();
        if (open.length > 0) {
            Pending[] before = open;
            open = new Pending[next.size()];
            for (Pending a : before) {
                int i = next.indexOf(a.shard.shardId());
                if (i >= 0) {
                    open[i] = a;
                } else if (a.builder.count() > 0) {
                    unsent.add(a.take());
                }
            }
            for (int i = 0; i < open.length; i++) {
                if (open[i] == null) {
                    open[i] = new Pending(next.shard(i));
                }
            }
        }
        unsent.addAll(buffered.entries);
        unsent.addAll(backlog);
        buffered = new Batch();
        backlog.clear();
        for (Put put : unsent) {
            for (Put part : refit(put)) {
                enqueue(part);
            }
        }
        List<Landed> waiting = unjudged;
        unjudged = new ArrayList<>();
        for (Landed l : waiting) {
            ShardMap.Shard at = next.byId(l.shardId);
            if (at != null) {
                if (judge(l.put, at, now)) {
                    noteAcknowledged(l.result);
                }
            } else if (++l.listings < MAX_LISTINGS_OF_UNKNOWN_SHARD) {
                unjudged.add(l);
            } else {
                // Never listed: on the safe side, sent again (at worst it is in the stream twice).
                reaggregate(l.put, l.shardId);
            }
        }
        if (!unjudged.isEmpty()) {
            listShards();
        }
        sendWhatIsDue();
    }

    /**
     * A Kinesis record as the current map would have it: itself, its predicted shard updated, if the map routes
     * all its user records to one shard; else its user records packed by shard into new records, which keep its
     * history (ambiguous attempts, a copy in the stream).
     */
    private List<Put> refit(Put put) {
        int n = put.count();
        int first = shardMap.shardOf(put.userKey(0));
        int[] shardOf = new int[n];
        boolean one = true;
        for (int i = 0; i < n; i++) {
            shardOf[i] = i == 0 ? first : shardMap.shardOf(put.userKey(i));
            one &= shardOf[i] == first;
        }
        if (one) {
            put.shard = shardMap.shard(first);
            return List.of(put);
        }
        Map<Integer, List<Integer>> byShard = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byShard.computeIfAbsent(shardOf[i], k -> new ArrayList<>()).add(i);
        }
        List<Put> parts = new ArrayList<>();
        AggregatedRecordBuilder builder = new AggregatedRecordBuilder();
        for (Map.Entry<Integer, List<Integer>> group : byShard.entrySet()) {
            ShardMap.Shard shard = shardMap.shard(group.getKey());
            List<Integer> members = new ArrayList<>();
            for (int i : group.getValue()) {
                if (!builder.tryAdd(put.userKey(i), put.userData(i), MAX_RECORD_BYTES)) {
                    parts.add(put.part(shard, builder, members));
                    members.clear();
                    builder.reset();
                    if (!builder.tryAdd(put.userKey(i), put.userData(i), MAX_RECORD_BYTES)) {
                        throw new IllegalStateException("an empty aggregate refused a user record that was aggregated"
                                + " before");
                    }
                }
                members.add(i);
            }
            parts.add(put.part(shard, builder, members));
            members.clear();
            builder.reset();
        }
        return parts;
    }

    private void failOrRetry(Put e, FailureReason reason, Batch retry) {
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
        for (Put e : retry.entries) {
            // Give up now on records whose time-to-live ends before the retry would go out.
            if (now + delay - e.earliestNanos > ttlNanos) {
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
            for (Put e : next.entries) {
                outcomes.retried(e.lastFailure, e.intended.length);
            }
            put(next);
        });
    }

    private long backoffNanos(int attempt) {
        return SendOutcomes.backoffNanos(config.backoffBase().toNanos(), config.backoffMax().toNanos(), attempt, jitter);
    }

    private void acknowledge(Put e, long now) {
        outcomes.acknowledged(e.intended, e.keys, 0, e.intended.length, e.ambiguous, now);
    }

    /** Keeps an acknowledged record's sequence number if it is the latest of its shard so far. */
    private void noteAcknowledged(PutRecordsResultEntry result) {
        if (result.shardId() != null && result.sequenceNumber() != null) {
            lastAcknowledged.merge(result.shardId(), result.sequenceNumber(), KinesisProducer::later);
        }
    }

    /** The later of two Kinesis sequence numbers: decimal numbers without leading zeros, so the longer is the larger. */
    static String later(String a, String b) {
        int byLength = Integer.compare(a.length(), b.length());
        return (byLength != 0 ? byLength : a.compareTo(b)) >= 0 ? a : b;
    }

    /**
     * Gives up on a record: ambiguous if any attempt was, or if a copy of it is in the stream already; else failed by
     * the reason of its last attempt.
     */
    private void fail(Put e) {
        outcomes.gaveUp(e.keys, e.ambiguous || e.copyInStream, e.lastFailure);
    }

    private void releaseSlot() {
        inFlightRequests.decrementAndGet();
        sendWhatIsDue();
    }

    /**
     * After a slot is freed or records were queued: moves waiting records into the buffered batch, and sends the
     * batch if it is full or the producer is draining (closing the open aggregates first), while a slot is free.
     */
    private void sendWhatIsDue() {
        pump();
        boolean draining = drained != null && !drained.isDone();
        if (draining) {
            closeAggregates(false);
        }
        // Closing aggregates may already have taken the freed slot.
        if (!buffered.entries.isEmpty() && (draining || !buffered.fits(1))
                && inFlightRequests.get() < config.maxInFlightRequests()) {
            dispatchBuffered();
        }
        completeDrainIfIdle();
    }

    private void completeDrainIfIdle() {
        if (drained != null && outcomes.inFlight() == 0) {
            drained.complete(null);
        }
    }

    private void warnOnce(FailureReason reason, boolean unknown, Throwable error) {
        int i = 2 * reason.ordinal() + (unknown ? 1 : 0);
        if (!warned[i]) {
            warned[i] = true;
            LOG.warn("PutRecords to stream {} failed ({}{}), retryable={}: {}; further failures of this kind are"
                    + " only counted", config.streamName(), reason.label(),
                    unknown ? ", ambiguous: the stream may have written its records" : "", reason.retryable(),
                    error.toString());
        }
    }

    /**
     * Whether a failure of a whole PutRecords request leaves its records ambiguous: the stream may have
     * written them. Definite (false): an error response with a 4xx status (the stream refused the request
     * as a whole), or a connection that could not be opened (nothing was sent). Ambiguous (true): a
     * timeout of the call or its attempt ({@code ApiCallTimeoutException},
     * {@code ApiCallAttemptTimeoutException}), an I/O error such as a reset or closed connection, an error
     * response with a 5xx status, and on the safe side any other failure, such as an answer that cannot
     * be read: an ambiguous record is only expected to be in the stream at most once, a failed one never.
     * Per-record error codes in an answer are definite and never come here.
     */
    static boolean ambiguous(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AwsServiceException ase) {
            int status = ase.statusCode();
            return !(status >= 400 && status < 500);
        }
        if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return false;
            }
        }
        return true;
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

    /** One Kinesis record (a plain user record or an aggregate) and what the producer knows about it. */
    private static final class Put {
        final String partitionKey;
        final byte[] data;
        final int size;
        /** The shard the map routes it to; updated if a newer map still routes it whole to one shard. */
        ShardMap.Shard shard;
        /** Of an aggregate, each user record's partition key and data; null for a plain record. */
        final String[] userKeys;
        final byte[][] userData;
        final long[] intended;
        final long[] keys;
        final long earliestNanos;
        final long userBytes;
        final long sinceNanos;
        FailureReason lastFailure;
        /** Whether an attempt failed in a way that may have written it. */
        boolean ambiguous;
        /**
         * Whether a copy of its user records is in the stream already, in an aggregate that a KPL-aware consumer
         * drops (and any other reads): given up on, it is ambiguous.
         */
        boolean copyInStream;

        /**
         * @param size       data and partition key bytes
         * @param userKeys   of an aggregate, the partition key of each user record in it; null for a plain record
         * @param userData   of an aggregate, each user record's data, in the same order; null for a plain record
         * @param intended   the intended send time of each user record in it
         * @param keys       the event key of each user record in it, in the same order
         * @param userBytes  the user records' data and partition keys
         * @param sinceNanos when its first user record reached the producer
         */
        Put(String partitionKey, byte[] data, int size, ShardMap.Shard shard, String[] userKeys, byte[][] userData,
            long[] intended, long[] keys, long userBytes, long sinceNanos) {
            this.partitionKey = partitionKey;
            this.data = data;
            this.size = size;
            this.shard = shard;
            this.userKeys = userKeys;
            this.userData = userData;
            this.intended = intended;
            this.keys = keys;
            long earliest = Long.MAX_VALUE;
            for (long t : intended) {
                earliest = Math.min(earliest, t);
            }
            this.earliestNanos = earliest;
            this.userBytes = userBytes;
            this.sinceNanos = sinceNanos;
        }

        /** A plain record: one user record as itself. */
        static Put plain(String partitionKey, byte[] data, int size, ShardMap.Shard shard, long intendedNanos,
                         long eventKey, long sinceNanos) {
            return new Put(partitionKey, data, size, shard, null, null, new long[] {intendedNanos},
                    new long[] {eventKey}, size, sinceNanos);
        }

        /** User records in it. */
        int count() {
            return intended.length;
        }

        String userKey(int i) {
            return userKeys == null ? partitionKey : userKeys[i];
        }

        byte[] userData(int i) {
            return userData == null ? data : userData[i];
        }

        /**
         * A Kinesis record of some of its user records, which a builder holds, for one shard: an aggregate, or the
         * user record as itself if alone. It keeps this record's history.
         */
        Put part(ShardMap.Shard to, AggregatedRecordBuilder builder, List<Integer> members) {
            int n = members.size();
            String[] pks = new String[n];
            byte[][] datas = new byte[n][];
            long[] times = new long[n];
            long[] eventKeys = new long[n];
            long bytes = 0;
            for (int j = 0; j < n; j++) {
                int i = members.get(j);
                pks[j] = userKey(i);
                datas[j] = userData(i);
                times[j] = intended[i];
                eventKeys[j] = keys[i];
                bytes += datas[j].length + utf8Length(pks[j]);
            }
            Put p = n == 1
                    ? new Put(pks[0], datas[0], (int) bytes, to, null, null, times, eventKeys, bytes, sinceNanos)
                    : new Put(builder.partitionKey(), builder.build(), builder.recordBytes(), to, pks, datas, times,
                    eventKeys, bytes, sinceNanos);
            p.lastFailure = lastFailure;
            p.ambiguous = ambiguous;
            p.copyInStream = copyInStream;
            return p;
        }
    }

    /** An aggregate the stream wrote to a shard the map did not know when the answer came. */
    private static final class Landed {
        final Put put;
        final PutRecordsResultEntry result;
        final String shardId;
        /** Listings of the stream since, that did not name the shard either. */
        int listings;

        Landed(Put put, PutRecordsResultEntry result) {
            this.put = put;
            this.result = result;
            this.shardId = result.shardId();
        }
    }

    /** The open aggregate of one shard. */
    private static final class Pending {
        final ShardMap.Shard shard;
        final AggregatedRecordBuilder builder = new AggregatedRecordBuilder();
        String[] userKeys = new String[64];
        byte[][] userData = new byte[64][];
        long[] intended = new long[64];
        long[] keys = new long[64];
        int firstSize;
        long userBytes;
        long sinceNanos;

        Pending(ShardMap.Shard shard) {
            this.shard = shard;
        }

        /** Notes a user record that {@link AggregatedRecordBuilder#tryAdd} took. */
        void added(String partitionKey, byte[] data, int size, long intendedNanos, long key, long now) {
            int n = builder.count();
            if (n == 1) {
                firstSize = size;
                sinceNanos = now;
            }
            if (n > intended.length) {
                userKeys = Arrays.copyOf(userKeys, userKeys.length * 2);
                userData = Arrays.copyOf(userData, userData.length * 2);
                intended = Arrays.copyOf(intended, intended.length * 2);
                keys = Arrays.copyOf(keys, keys.length * 2);
            }
            userKeys[n - 1] = partitionKey;
            userData[n - 1] = data;
            intended[n - 1] = intendedNanos;
            keys[n - 1] = key;
            userBytes += size;
        }

        /** The aggregate as a Kinesis record (a lone user record as itself), and empties it. */
        Put take() {
            int n = builder.count();
            String key = builder.partitionKey();
            Put put;
            if (n == 1) {
                put = new Put(key, userData[0], firstSize, shard, null, null, new long[] {intended[0]},
                        new long[] {keys[0]}, userBytes, sinceNanos);
            } else {
                byte[] data = builder.build();
                put = new Put(key, data, builder.recordBytes(), shard, Arrays.copyOf(userKeys, n),
                        Arrays.copyOf(userData, n), Arrays.copyOf(intended, n), Arrays.copyOf(keys, n), userBytes,
                        sinceNanos);
            }
            builder.reset();
            Arrays.fill(userKeys, 0, n, null);
            Arrays.fill(userData, 0, n, null);
            userBytes = 0;
            return put;
        }
    }

    /** The records of one PutRecords request. */
    private static final class Batch {
        final List<Put> entries = new ArrayList<>();
        long bytes;
        int attempt;

        boolean fits(int size) {
            return entries.size() < MAX_RECORDS_PER_REQUEST && bytes + size <= MAX_REQUEST_BYTES;
        }

        void add(Put e) {
            entries.add(e);
            bytes += e.size;
        }
    }
}
