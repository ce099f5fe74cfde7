package io.fleetbench.benchmarks.stage;

import io.fleetbench.simulator.AggregatedRecordBuilder;
import io.fleetbench.simulator.FaultInjector;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.simulator.OutgoingRecord;
import io.fleetbench.simulator.ScheduledEvent;
import io.fleetbench.simulator.ShardMap;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The simulator's path from the fleet to the Kinesis records it puts, without the network: the fleet
 * generates an event, the {@link FaultInjector} (with no faults, as in a plain profile) encodes it to
 * JSON, and it joins the KPL aggregate of the shard its device hashes to, closed when the next event
 * would take it over the Kinesis record limit, as {@link KinesisProducer} does. An aggregate of one
 * event goes out as that plain record.
 */
final class GeneratorStage {
    /** The fleet's device time starts here in every round (2026-01-01T08:00Z), so every round sees the same events. */
    static final long START_EPOCH_MILLIS = 1_767_254_400_000L;
    static final int CARS = 8_000;
    static final int BIKES = 2_000;

    /** One Kinesis record as the producer would put it. */
    record KinesisRecord(int shard, String partitionKey, byte[] data, int userRecords) {
    }

    /** What a pass generated. */
    record Output(long events, long userBytes, long kinesisRecords, long kinesisBytes) {
    }

    private GeneratorStage() {
    }

    /** The fleet every pass of the bench generates from. */
    static FleetConfig fleet(long seed) {
        return FleetConfig.defaults().withSeed(seed).withDevices(CARS, BIKES).withStartEpochMillis(START_EPOCH_MILLIS);
    }

    /** One measured round: a fresh fleet (built before the clock starts), then {@code events} events generated and packed. */
    static Map<String, Double> round(long seed, int events, int shards, BenchProgress progress) {
        Fleet fleet = new Fleet(fleet(seed));
        long[] sink = new long[1];
        Meter meter = new Meter();
        Output o = generate(fleet, events, ShardMap.even(shards), r -> sink[0] += r.data().length, progress);
        meter.stop();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("events", (double) o.events());
        f.put("seconds", meter.wallSeconds());
        f.put("events_per_s", o.events() / meter.wallSeconds());
        f.put("mb_per_s", o.userBytes() / 1e6 / meter.wallSeconds());
        f.put("kinesis_records", (double) o.kinesisRecords());
        f.put("kinesis_mb", o.kinesisBytes() / 1e6);
        f.put("cpu_s_per_million_events", meter.cpuSeconds() / (o.events() / 1e6));
        return f;
    }

    /**
     * Generates events and hands over each Kinesis record as it closes, and the open ones at the end.
     *
     * @param fleet  the fleet, moved along by {@code events} events
     * @param shards the stream's shards, for aggregation
     * @param out    takes each Kinesis record
     */
    static Output generate(Fleet fleet, int events, ShardMap shards, Consumer<KinesisRecord> out, BenchProgress progress) {
        FaultInjector encoder = new FaultInjector(fleet.config().faults(), fleet.config().seed(), 0,
                new SimpleMeterRegistry());
        AggregatedRecordBuilder[] open = new AggregatedRecordBuilder[shards.size()];
        byte[][] first = new byte[shards.size()][];
        for (int i = 0; i < open.length; i++) {
            open[i] = new AggregatedRecordBuilder();
        }
        long clock = fleet.startEpochMillis();
        long userBytes = 0;
        long[] kinesis = new long[2];
        Consumer<KinesisRecord> counted = r -> {
            kinesis[0]++;
            kinesis[1] += r.data().length + r.partitionKey().length();
            out.accept(r);
        };
        for (int i = 0; i < events; i++) {
            TelemetryEvent event = fleet.next(clock++);
            encoder.accept(new ScheduledEvent(i, fleet.lastDevice(), event), i);
            OutgoingRecord record = encoder.poll(i);
            userBytes += record.data().length;
            int shard = shards.shardOf(record.partitionKey());
            AggregatedRecordBuilder a = open[shard];
            if (!a.tryAdd(record.partitionKey(), record.data(), KinesisProducer.MAX_RECORD_BYTES)) {
                close(shard, a, first[shard], counted);
                a.tryAdd(record.partitionKey(), record.data(), KinesisProducer.MAX_RECORD_BYTES);
            }
            if (a.count() == 1) {
                first[shard] = record.data();
            }
            if ((i & 0xFFFF) == 0) {
                progress.update(i, events, "events");
            }
        }
        for (int s = 0; s < open.length; s++) {
            if (open[s].count() > 0) {
                close(s, open[s], first[s], counted);
            }
        }
        return new Output(events, userBytes, kinesis[0], kinesis[1]);
    }

    private static void close(int shard, AggregatedRecordBuilder a, byte[] first, Consumer<KinesisRecord> out) {
        String key = a.partitionKey();
        int n = a.count();
        out.accept(new KinesisRecord(shard, key, n == 1 ? first : a.build(), n));
        a.reset();
    }
}
