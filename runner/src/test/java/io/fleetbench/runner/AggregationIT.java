package io.fleetbench.runner;

import io.fleetbench.consumer.ConsumerConfig;
import io.fleetbench.consumer.KinesisConsumer;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.simulator.AggregatedRecordBuilder;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.simulator.ShardMap;
import io.fleetbench.simulator.Simulator;
import io.fleetbench.simulator.SimulatorConfig;
import io.fleetbench.simulator.SimulatorResult;
import io.fleetbench.simulator.SimulatorStats;
import io.fleetbench.telemetry.EventFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A simulator run with KPL aggregation on, through kinesalite, the real KCL consumer and the Delta
 * sink: the KCL must split every aggregate back into its user records, and every acknowledged
 * event must land in the lake exactly once. The raw stream is also read with the KCL's own
 * de-aggregator, checking that each aggregate holds only records of its shard.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AggregationIT {
    private static final int SHARDS = 2;

    @Test
    void aggregatedEventsLandInTheLakeExactlyOnce(@TempDir Path runDir) throws Exception {
        StackConfig stackConfig = StackConfig.defaults().withPorts(ThrottledProducerIT.freePort(),
                ThrottledProducerIT.freePort());
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LocalStack stack = LocalStack.start(stackConfig, ProjectHome.locate(), runDir, System.out);
             KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 32)) {
            String stream = "aggregation-it-" + System.nanoTime();
            ThrottledProducerIT.createStream(kinesis, stream, SHARDS);
            SimulatorConfig simConfig = SimulatorConfig.defaults(stream)
                    .withFleet(FleetConfig.defaults().withSeed(11).withDevices(400, 200))
                    .withTargetEventsPerSecond(4_000)
                    .withDuration(Duration.ofSeconds(6))
                    .withAggregation(true);
            LakeSinkConfig sinkConfig = LakeSinkConfig.defaults(runDir.resolve("lake").toString())
                    .withApplicationId(stream)
                    .withBufferLimits(Duration.ofSeconds(1), LakeSinkConfig.DEFAULT_MAX_BUFFERED_BYTES);
            SimulatorResult result;
            try (DeltaLakeSink sink = new DeltaLakeSink(sinkConfig, registry, Clock.systemUTC())) {
                sink.createTables();
                KinesisConsumer consumer = new KinesisConsumer(
                        ConsumerConfig.local(stream, stream, stack.kinesisEndpoint(), stack.dynamoEndpoint()), sink,
                        registry);
                try {
                    consumer.start();
                    result = new Simulator(vertx, kinesis, simConfig, registry).start().toCompletionStage()
                            .toCompletableFuture().get(60, TimeUnit.SECONDS);
                    long acknowledged = result.stats().acknowledged();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (rowsCommitted(registry) < acknowledged && System.nanoTime() < deadline
                            && consumer.failure().isEmpty()) {
                        // Polls the pipeline's progress; the deadline, not this pause, bounds the test.
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                    assertEquals(Optional.empty(), consumer.failure());
                } finally {
                    consumer.close();
                }
                SimulatorStats s = result.stats();
                System.out.printf("AggregationIT: %s%nAggregationIT: %s%n", s, result.shardLoad());
                assertTrue(s.acknowledged() > 10_000, "acknowledged " + s.acknowledged());
                assertEquals(s.sent(), s.acknowledged() + s.failed());
                assertEquals(0, s.failed());

                long rows = 0;
                long distinct = 0;
                long duplicates = 0;
                LakeCounts audit = new LakeCounts();
                for (EventFamily family : EventFamily.values()) {
                    TableCounts t = audit.audit(sink.tablePath(family));
                    rows += t.rows();
                    distinct += t.distinctEventIds();
                    duplicates += t.duplicateEventIds();
                }
                assertEquals(0, duplicates, "no event twice in the lake");
                assertEquals(s.acknowledged(), distinct, "every acknowledged event in the lake");
                assertEquals(s.acknowledged(), rows);
            }
            ShardLoadReport load = result.shardLoad();
            assertTrue(load.aggregation());
            long kinesisRecords = load.shards().stream().mapToLong(ShardLoadReport.ShardLoad::records).sum();
            long userRecords = load.shards().stream().mapToLong(ShardLoadReport.ShardLoad::userRecords).sum();
            assertEquals(result.stats().acknowledged(), userRecords);
            assertTrue(kinesisRecords * 10 < userRecords, kinesisRecords + " Kinesis records for " + userRecords + " events");
            assertEquals(kinesisRecords, assertStreamDeaggregates(kinesis, stream, userRecords));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Reads every raw record and splits it with the KCL's de-aggregator, restricted to the shard's
     * hash-key range (records outside it would be dropped): all user records must come back.
     *
     * @return the raw records read
     */
    private static long assertStreamDeaggregates(KinesisAsyncClient kinesis, String stream, long userRecords) {
        ShardMap shards = ShardMap.fetch(kinesis, stream, Duration.ofSeconds(10));
        AggregatorUtil kcl = new AggregatorUtil();
        long raw = 0;
        long users = 0;
        Set<String> positions = new HashSet<>();
        for (ShardMap.Shard shard : shards.shards()) {
            List<KinesisClientRecord> records = new ArrayList<>();
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
            while (true) {
                String it = iterator;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000)).join();
                if (r.records().isEmpty()) {
                    break;
                }
                for (Record record : r.records()) {
                    byte[] data = record.data().asByteArrayUnsafe();
                    assertTrue(data.length < 4 || Arrays.equals(Arrays.copyOf(data, 4), AggregatedRecordBuilder.MAGIC)
                            || data[0] == '{', "neither an aggregate nor a plain JSON event");
                    records.add(KinesisClientRecord.fromRecord(record));
                }
                iterator = r.nextShardIterator();
            }
            raw += records.size();
            for (KinesisClientRecord u : kcl.deaggregate(records, shard.startHashKey(), shard.endHashKey())) {
                users++;
                assertTrue(positions.add(u.sequenceNumber() + "/" + u.subSequenceNumber()), "position repeated");
                ByteBuffer data = u.data();
                assertEquals('{', data.get(data.position()), "a de-aggregated record is a JSON event");
            }
        }
        assertEquals(userRecords, users, "the KCL found every user record in its shard's aggregates");
        return raw;
    }

    private static long rowsCommitted(PrometheusMeterRegistry registry) {
        return (long) registry.find("fleetbench.sink.written.rows").counters().stream().mapToDouble(Counter::count).sum();
    }
}
