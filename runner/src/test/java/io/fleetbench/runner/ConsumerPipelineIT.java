package io.fleetbench.runner;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.fleetbench.consumer.ConsumerConfig;
import io.fleetbench.consumer.KinesisConsumer;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.simulator.AggregatedRecordBuilder;
import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The consumer half of the pipeline against the real local stack: kinesalite and dynalite started
 * by {@link LocalStack}, a 2-shard stream filled with the plain SDK, the KCL consumer writing into
 * the real {@link DeltaLakeSink}, and the tables read back with delta-kernel.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsumerPipelineIT {
    private static final int EVENTS_PER_FAMILY = 1_500;
    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONTINUOUS_PUTS = Duration.ofSeconds(15);
    private static final JsonCodec CODEC = new JsonCodec();
    /** The consumer's event size limit in the dead-letter test, well below the stream's record limit. */
    private static final int MAX_EVENT_BYTES = 64 << 10;

    @TempDir
    static Path runDir;

    private static LocalStack stack;
    private static KinesisAsyncClient kinesis;
    private static DynamoDbAsyncClient dynamo;

    @BeforeAll
    static void startStack() throws IOException {
        System.setProperty("aws.cborEnabled", "false");
        StackConfig config = StackConfig.defaults().withPorts(freePort(), freePort());
        stack = LocalStack.start(config, ProjectHome.locate(), runDir.resolve("stack"), System.out);
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("it", "it"));
        kinesis = KinesisAsyncClient.builder().endpointOverride(stack.kinesisEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
        dynamo = DynamoDbAsyncClient.builder().endpointOverride(stack.dynamoEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds).build();
    }

    @AfterAll
    static void stopStack() {
        if (kinesis != null) {
            kinesis.close();
            dynamo.close();
        }
        if (stack != null) {
            List<Long> pids = stack.pids();
            stack.close();
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "emulator pid " + pid + " still runs after close()");
            }
        }
    }

    @Test
    void everyValidEventLandsExactlyOnceAndInvalidOnesAreCounted() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String stream = "consumer-it-" + suffix;
        String app = "consumer-it-app-" + suffix;
        createStream(stream, 2);
        Map<EventFamily, Set<String>> expectedIds = new EnumMap<>(EventFamily.class);
        List<byte[]> invalid = invalidPayloads();
        Map<InvalidEventException.Reason, Integer> expectedInvalid = reasons(invalid);
        List<byte[]> payloads = validPayloads(0, EVENTS_PER_FAMILY, expectedIds);
        payloads.addAll(invalid);
        putAll(stream, payloads);
        Path tables = runDir.resolve("tables-" + suffix);
        LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(tables.toString()).withApplicationId(app)
                .withBufferLimits(Duration.ofSeconds(1), LakeSinkConfig.DEFAULT_MAX_BUFFERED_BYTES);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Duration firstLease = consumeUntilSeen(stream, app, sinkConfig, registry, payloads.size());

        System.out.printf("ConsumerPipelineIT: first lease %d ms after the scheduler started%n", firstLease.toMillis());
        assertTables(sinkConfig, expectedIds);
        for (InvalidEventException.Reason r : InvalidEventException.Reason.values()) {
            assertEquals(expectedInvalid.getOrDefault(r, 0).doubleValue(),
                    registry.get("fleetbench.consumer.events.invalid").tag("reason", r.label()).counter().count(),
                    "invalid records counted as " + r.label());
        }
        assertEquals(2, checkpoints(app).size(), "one checkpointed lease per shard");
        String scrape = registry.scrape();
        assertTrue(scrape.contains("fleetbench_consumer_records_received_total{"), "Prometheus names of the consumer");
        assertTrue(scrape.contains("fleetbench_consumer_lag_seconds{"), "the lag gauge's Prometheus name");

        // A second KCL application has no checkpoints and re-reads the whole stream, as after lost
        // checkpoints: the sink must drop what it already committed and add only the new events.
        List<byte[]> more = validPayloads(EVENTS_PER_FAMILY, EVENTS_PER_FAMILY + 200, expectedIds);
        putAll(stream, more);
        consumeUntilSeen(stream, app + "-reread", sinkConfig, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                payloads.size() + more.size());

        assertTables(sinkConfig, expectedIds);
    }

    @Test
    void commitsThatThrowAfterTheyLandedAreNotRepeated() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String stream = "consumer-fault-it-" + suffix;
        String app = "consumer-fault-it-app-" + suffix;
        createStream(stream, 2);
        Map<EventFamily, Set<String>> expectedIds = new EnumMap<>(EventFamily.class);
        List<byte[]> payloads = validPayloads(0, EVENTS_PER_FAMILY, expectedIds);
        putAll(stream, payloads);
        // Every second commit of the sink (claims included) throws after it landed, like a failing checkpoint.
        LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(runDir.resolve("tables-" + suffix).toString())
                .withApplicationId(app)
                .withBufferLimits(Duration.ofSeconds(1), LakeSinkConfig.DEFAULT_MAX_BUFFERED_BYTES)
                .withFailCommitsEvery(2);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        consumeUntilSeen(stream, app, sinkConfig, registry, payloads.size());

        double landed = registry.find("fleetbench.sink.commits.resolved").tag("outcome", "landed").counters().stream()
                .mapToDouble(Counter::count).sum();
        System.out.printf("ConsumerPipelineIT: %.0f data commits threw after landing and were not repeated%n", landed);
        assertTrue(landed >= 2, "injected failures after data commits: " + landed);
        assertEquals(0.0, registry.find("fleetbench.sink.commits.resolved").tag("outcome", "not_landed").counters()
                .stream().mapToDouble(Counter::count).sum(), "every injected failure followed a commit that landed");
        assertTables(sinkConfig, expectedIds);
    }

    @Test
    void gracefulCloseAfterContinuousPutsCheckpointsEveryShardAtItsLastRecordAndALaterWorkerResumesThere()
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String stream = "consumer-close-it-" + suffix;
        String app = "consumer-close-it-app-" + suffix;
        createStream(stream, 2);
        Map<EventFamily, Set<String>> expectedIds = new EnumMap<>(EventFamily.class);
        // Nothing is flushed on the sink's own schedule during the test, so only the graceful close can commit
        // the records and move the checkpoints past TRIM_HORIZON.
        LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(runDir.resolve("tables-" + suffix).toString())
                .withApplicationId(app)
                .withBufferLimits(Duration.ofMinutes(10), LakeSinkConfig.DEFAULT_MAX_BUFFERED_BYTES);
        ConsumerConfig config = ConsumerConfig.local(stream, app, stack.kinesisEndpoint(), stack.dynamoEndpoint())
                .withWorkerId("it-worker-" + app);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, BigInteger> lastSequence = new HashMap<>();
        int events = 0;
        long closeNanos;
        try (DeltaLakeSink sink = new DeltaLakeSink(sinkConfig, registry, Clock.systemUTC())) {
            KinesisConsumer consumer = new KinesisConsumer(config, sink, registry);
            try {
                consumer.start();
                assertTrue(consumer.awaitFirstLease(Duration.ofSeconds(60)), "no shard was leased within 60 s");
                // Like a load run: the producer keeps putting while the consumer reads, for 15 s.
                long putUntil = System.nanoTime() + CONTINUOUS_PUTS.toNanos();
                while (System.nanoTime() < putUntil) {
                    putAll(stream, validPayloads(events, events + 50, expectedIds))
                            .forEach((shard, seq) -> lastSequence.merge(shard, seq, BigInteger::max));
                    events += 50;
                    // Paces the producer at about 1,000 events/s; nothing waits on this sleep.
                    Thread.sleep(100);
                }
                int put = 2 * events;
                awaitCondition(put + " events decoded", () -> counterSum(registry, "fleetbench.consumer.events.decoded")
                        >= put || consumer.failure().isPresent());
                assertEquals(Optional.empty(), consumer.failure());
                assertEquals(0.0, counterSum(registry, "fleetbench.consumer.flushes"),
                        "no flush before close: the records are still buffered");
            } finally {
                long t0 = System.nanoTime();
                consumer.close();
                closeNanos = System.nanoTime() - t0;
            }
            assertEquals(Optional.empty(), consumer.failure());
        }
        System.out.printf("ConsumerPipelineIT: %d events in 15 s of puts; close() took %d ms%n", 2 * events,
                closeNanos / 1_000_000);
        assertEquals(2, lastSequence.size(), "records were put to both shards");
        assertEquals(lastSequence, checkpoints(app), "each shard's checkpoint after close() is its last record");
        assertTables(sinkConfig, expectedIds);

        // A later worker of the same application starts at those checkpoints: it receives only the new records.
        List<byte[]> more = validPayloads(events, events + 200, expectedIds);
        putAll(stream, more).forEach((shard, seq) -> lastSequence.merge(shard, seq, BigInteger::max));
        PrometheusMeterRegistry second = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        consumeUntilSeen(stream, app, sinkConfig, second, more.size());
        assertEquals(more.size(), counterSum(second, "fleetbench.consumer.records.received"),
                "records the later worker received: only those after the checkpoints");
        assertEquals(lastSequence, checkpoints(app), "each shard's checkpoint after the later worker's close()");
        assertTables(sinkConfig, expectedIds);
    }

    @Test
    void corruptAggregatesAndOversizedRecordsAreDeadLetteredByReasonWhileEveryGoodEventLands() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String stream = "dead-letter-it-" + suffix;
        String app = "dead-letter-it-app-" + suffix;
        createStream(stream, 2);
        Map<EventFamily, Set<String>> expectedIds = new EnumMap<>(EventFamily.class);
        List<PutRecordsRequestEntry> entries = new ArrayList<>(entries(validPayloads(0, 300, expectedIds)));
        // An intact aggregate: the KCL splits it, and its events land like any other.
        List<TelemetryEvent> aggregated = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TelemetryEvent e = TestEvents.car(5_000 + i);
            aggregated.add(e);
            expectedIds.computeIfAbsent(e.family(), f -> new HashSet<>()).add(e.eventId());
        }
        entries.add(aggregate(aggregated));
        // One whose MD5 trailer is off by one bit: the KCL passes it on whole, and none of its events may land.
        List<TelemetryEvent> corrupted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            corrupted.add(TestEvents.bike(6_000 + i));
        }
        PutRecordsRequestEntry corrupt = aggregate(corrupted);
        byte[] corruptBytes = corrupt.data().asByteArray();
        corruptBytes[corruptBytes.length - 1] ^= 0x01;
        entries.add(corrupt.toBuilder().data(SdkBytes.fromByteArray(corruptBytes)).build());
        // A valid event padded with whitespace past the consumer's limit: over the limit, it must not be parsed.
        String car = new String(CODEC.encode(TestEvents.car(7_000)), StandardCharsets.UTF_8);
        byte[] oversized = (car.substring(0, car.length() - 1) + " ".repeat(MAX_EVENT_BYTES) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(TestEvents.car(7_000), CODEC.decode(oversized), "without a limit the padded record is an event");
        entries.add(PutRecordsRequestEntry.builder().partitionKey("car-oversized")
                .data(SdkBytes.fromByteArray(oversized)).build());
        entries.addAll(entries(validPayloads(300, 600, expectedIds)));
        Collections.shuffle(entries, new Random(42));
        put(stream, entries);
        LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(runDir.resolve("tables-" + suffix).toString())
                .withApplicationId(app)
                .withBufferLimits(Duration.ofSeconds(1), LakeSinkConfig.DEFAULT_MAX_BUFFERED_BYTES);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        consumeUntilSeen(stream, app, sinkConfig, registry, 2 * 600 + aggregated.size() + 2,
                c -> c.withMaxEventBytes(MAX_EVENT_BYTES));

        assertTables(sinkConfig, expectedIds);
        try (DeltaLakeSink paths = new DeltaLakeSink(sinkConfig, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Clock.systemUTC())) {
            assertEquals(Map.of("aggregate_bad_checksum", 1L, "oversized", 1L),
                    new LakeCounts().deadLettersByReason(paths.deadLetterTablePath()),
                    "dead letters by reason, read back with delta-kernel");
        }
        for (String reason : List.of("aggregate_bad_checksum", "oversized")) {
            assertEquals(1.0, registry.get("fleetbench.consumer.events.invalid").tag("reason", reason).counter().count(),
                    "invalid records counted as " + reason);
        }
        assertEquals(0.0, registry.get("fleetbench.consumer.events.invalid").tag("reason", "malformed_json").counter()
                .count(), "neither record is mistaken for malformed JSON");
    }

    /** An aggregated record of events that share one partition key, so that the KCL finds all of them in its shard. */
    private static PutRecordsRequestEntry aggregate(List<TelemetryEvent> events) {
        AggregatedRecordBuilder builder = new AggregatedRecordBuilder();
        String key = events.get(0).deviceId() + "-aggregate";
        for (TelemetryEvent e : events) {
            assertTrue(builder.tryAdd(key, CODEC.encode(e), KinesisProducer.MAX_RECORD_BYTES), "the aggregate is full");
        }
        return PutRecordsRequestEntry.builder().partitionKey(builder.partitionKey())
                .data(SdkBytes.fromByteArray(builder.build())).build();
    }

    /** The checkpoint of each shard's lease, which must be a sequence number. */
    private static Map<String, BigInteger> checkpoints(String leaseTable) {
        Map<String, BigInteger> checkpoints = new HashMap<>();
        for (Map<String, AttributeValue> lease : dynamo.scan(b -> b.tableName(leaseTable)).join().items()) {
            String key = lease.get("leaseKey").s();
            if (key.startsWith("shardId-")) {
                String checkpoint = lease.get("checkpoint").s();
                assertTrue(checkpoint.chars().allMatch(Character::isDigit),
                        key + " should be checkpointed at a sequence number, found " + checkpoint);
                checkpoints.put(key, new BigInteger(checkpoint));
            }
        }
        return checkpoints;
    }

    /** Runs a consumer until it has decoded or rejected {@code records} records, then shuts it down gracefully. */
    private static Duration consumeUntilSeen(String stream, String app, LakeSinkConfig sinkConfig, MeterRegistry registry,
                                             int records) throws Exception {
        return consumeUntilSeen(stream, app, sinkConfig, registry, records, UnaryOperator.identity());
    }

    /** As {@link #consumeUntilSeen(String, String, LakeSinkConfig, MeterRegistry, int)}, with a changed consumer configuration. */
    private static Duration consumeUntilSeen(String stream, String app, LakeSinkConfig sinkConfig, MeterRegistry registry,
                                             int records, UnaryOperator<ConsumerConfig> configure) throws Exception {
        ConsumerConfig config = configure.apply(ConsumerConfig.local(stream, app, stack.kinesisEndpoint(),
                stack.dynamoEndpoint()).withWorkerId("it-worker-" + app));
        try (DeltaLakeSink sink = new DeltaLakeSink(sinkConfig, registry, Clock.systemUTC());
             KinesisConsumer consumer = new KinesisConsumer(config, sink, registry)) {
            consumer.start();
            assertTrue(consumer.awaitFirstLease(Duration.ofSeconds(60)), "no shard was leased within 60 s");
            awaitCondition(records + " records decoded or rejected",
                    () -> counterSum(registry, "fleetbench.consumer.events.decoded")
                            + counterSum(registry, "fleetbench.consumer.events.invalid") >= records
                            || consumer.failure().isPresent());
            assertEquals(Optional.empty(), consumer.failure());
            return consumer.timeToFirstLease().orElseThrow();
        }
    }

    private static void assertTables(LakeSinkConfig sinkConfig, Map<EventFamily, Set<String>> expectedIds) throws IOException {
        try (DeltaLakeSink paths = new DeltaLakeSink(sinkConfig, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Clock.systemUTC())) {
            for (EventFamily f : EventFamily.values()) {
                List<String> ids = eventIds(paths.tablePath(f));
                Set<String> expected = expectedIds.getOrDefault(f, Set.of());
                assertEquals(expected.size(), ids.size(), f.wireName() + " rows");
                assertEquals(expected, new HashSet<>(ids), f.wireName() + " event ids (no duplicate, none missing)");
            }
        }
    }

    private static List<byte[]> validPayloads(int from, int to, Map<EventFamily, Set<String>> expectedIds) {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (TelemetryEvent e : List.of(TestEvents.car(i), TestEvents.bike(i))) {
                expectedIds.computeIfAbsent(e.family(), f -> new HashSet<>()).add(e.eventId());
                payloads.add(CODEC.encode(e));
            }
        }
        return payloads;
    }

    private static void createStream(String stream, int shards) throws InterruptedException {
        kinesis.createStream(b -> b.streamName(stream).shardCount(shards)).join();
        awaitCondition("stream " + stream + " to become active", () -> kinesis
                .describeStreamSummary(b -> b.streamName(stream)).join()
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }

    /**
     * Puts every payload with PutRecords, resending the entries that failed, keyed so that both shards get records.
     *
     * @return the highest sequence number written to each shard
     */
    private static Map<String, BigInteger> putAll(String stream, List<byte[]> payloads) {
        return put(stream, entries(payloads));
    }

    /** Entries for the payloads, keyed so that both shards get records. */
    private static List<PutRecordsRequestEntry> entries(List<byte[]> payloads) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("device-" + (i % 97))
                    .data(SdkBytes.fromByteArray(payloads.get(i))).build());
        }
        return entries;
    }

    /**
     * Puts the entries with PutRecords, resending those that failed.
     *
     * @return the highest sequence number written to each shard
     */
    private static Map<String, BigInteger> put(String stream, List<PutRecordsRequestEntry> entries) {
        Map<String, BigInteger> lastSequence = new HashMap<>();
        List<PutRecordsRequestEntry> pending = entries;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            assertTrue(attempt < 10, pending.size() + " records still failing after 10 attempts");
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += 500) {
                List<PutRecordsRequestEntry> batch = pending.subList(from, Math.min(from + 500, pending.size()));
                PutRecordsResponse r = kinesis.putRecords(b -> b.streamName(stream).records(batch)).join();
                List<PutRecordsResultEntry> results = r.records();
                for (int i = 0; i < results.size(); i++) {
                    PutRecordsResultEntry result = results.get(i);
                    if (result.errorCode() != null) {
                        failed.add(batch.get(i));
                    } else {
                        lastSequence.merge(result.shardId(), new BigInteger(result.sequenceNumber()), BigInteger::max);
                    }
                }
            }
            pending = failed;
        }
        return lastSequence;
    }

    private static List<byte[]> invalidPayloads() {
        String car = new String(CODEC.encode(TestEvents.car(999_999)), StandardCharsets.UTF_8);
        return List.of(
                "{not json".getBytes(StandardCharsets.UTF_8),
                "[1,2,3]".getBytes(StandardCharsets.UTF_8),
                "{\"type\":\"scooter\",\"event_id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "{\"type\":\"car_telemetry\"}".getBytes(StandardCharsets.UTF_8),
                (car.substring(0, car.length() - 1) + ",\"firmware_version\":\"1.0\"}").getBytes(StandardCharsets.UTF_8),
                car.replace("\"schema_version\":1", "\"schema_version\":99").getBytes(StandardCharsets.UTF_8));
    }

    private static Map<InvalidEventException.Reason, Integer> reasons(List<byte[]> invalid) {
        Map<InvalidEventException.Reason, Integer> counts = new EnumMap<>(InvalidEventException.Reason.class);
        for (byte[] p : invalid) {
            try {
                CODEC.decode(p);
                fail("an invalid test payload decoded: " + new String(p, StandardCharsets.UTF_8));
            } catch (InvalidEventException e) {
                counts.merge(e.reason(), 1, Integer::sum);
            }
        }
        return counts;
    }


    private static double counterSum(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Polls an observable condition until it holds or the pipeline timeout passes. */
    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PIPELINE_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + PIPELINE_TIMEOUT + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The event_id column of a table's latest snapshot, read with delta-kernel. */
    private static List<String> eventIds(String tablePath) throws IOException {
        Engine engine = DefaultEngine.create(new Configuration());
        Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
        List<String> ids = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row fileRow = fileRows.next();
                        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                                .readParquetFiles(Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(fileRow)),
                                        physical, Optional.empty())
                                .map(FileReadResult::getData);
                        try (CloseableIterator<FilteredColumnarBatch> logical =
                                     Scan.transformPhysicalData(engine, scanState, fileRow, data)) {
                            while (logical.hasNext()) {
                                FilteredColumnarBatch batch = logical.next();
                                ColumnarBatch b = batch.getData();
                                ColumnVector idColumn = b.getColumnVector(b.getSchema().indexOf("event_id"));
                                Optional<ColumnVector> selected = batch.getSelectionVector();
                                for (int r = 0; r < b.getSize(); r++) {
                                    if (selected.isEmpty() || selected.get().getBoolean(r)) {
                                        ids.add(idColumn.getString(r));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
