package io.fleetbench.report.cost;

import io.fleetbench.report.RunReport;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.ShardSizing;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cost model against examples worked out by hand (docs/cost-model.md has the formulas). */
class CostModelTest {
    private static final double PER_DAY = 1e9;
    static final Prices PRICES = new Prices("test-prices.yaml", "us-east-1", "2024-11-01", 0.015, 0.014, 0.125, 0.625,
            0.023, Map.of());

    /**
     * A run of 1,000,000 events of 600 bytes without aggregation over 4 shards for 100 s, with 400
     * checkpoints and a lake of 150 bytes per event; the consumer's failover time 10 s, its lease
     * assignment interval 1 s. The shards' busiest seconds took 3,400, 3,000, 3,000 and 2,800 events.
     */
    static CostReport.Inputs plainRun() {
        return new CostReport.Inputs(PER_DAY / 86_400, 1_000_000, 600_000_000, false, 1_000_000, 600_000_000,
                1_000_000, 4, 100.0, 400L, 400L, 150_000_000L, 1_000_000L, 10_000, 1_000,
                List.of(plain(3_400), plain(3_000), plain(3_000), plain(2_800)));
    }

    /** A shard's busiest second of events of 600 B without aggregation. */
    private static ShardSizing.Peak plain(long eventsPerSecond) {
        return new ShardSizing.Peak(eventsPerSecond, 600 * eventsPerSecond, eventsPerSecond, 600 * eventsPerSecond);
    }

    @Test
    void aBillionEventsADayOf600BytesWithoutAggregation() {
        CostReport c = CostModel.estimate(plainRun(), PRICES, null);
        assertEquals(PER_DAY, c.eventsPerDay(), 1e-3, "the run's sustained rate over a day");
        CostReport.Option o = c.withoutAggregation();
        assertTrue(o.measured());
        assertEquals(CostReport.ShardBasis.BUSIEST_SECOND, c.assumptions().shardBasis());
        // Each shard's busiest second over 800 records a shard (600 B each, records decide): 4.25 + 3.75 + 3.75
        // + 3.5 = 15.25. The average, 11,574.07 records/s, would have been 14.47: 15.
        assertEquals(16, o.shards());
        assertEquals(11_574.074, o.recordsPerSecond(), 1e-3);
        assertEquals(6_944_444.4, o.bytesPerSecond(), 0.1);
        CostReport.Amounts day = o.perDay();
        assertEquals(16 * 24, day.shardHours(), 1e-9);
        assertEquals(1e9, day.putPayloadUnits(), 1e-3, "one 25 KB unit per 600-byte event");
        // Renewed every 10,000/3 - 25 = 3,308 ms: 86,400,000 / 3,308 = 26,118.50 a lease, 16 leases.
        assertEquals(3_308, c.assumptions().renewalIntervalMillis());
        assertEquals(417_896.0, day.leaseRenewals(), 0.1);
        // A scan every 1 s of 16 items of 1 KB: 4 reads of 4 KB, eventually consistent: 2 units.
        assertEquals(86_400, day.leaseScans(), 1e-9);
        // A discovery query every 1,000/2 - 25 = 475 ms: 181,894.74 a day at half a unit.
        assertEquals(181_894.74, day.leaseDiscoveries(), 0.01);
        assertEquals(86_400 * 2 + 181_894.74 / 2, day.readRequestUnits(), 0.01);
        // 400 checkpoints over 4 shards and 100 s: one a lease-second, so 16 * 86,400 a day.
        assertEquals(1_382_400, day.checkpoints(), 1e-6);
        assertEquals(417_896.0 + 1_382_400, day.writeRequestUnits(), 0.1);

        CostReport.Dollars d = day.dollars();
        assertEquals(384 * 0.015, d.kinesisShardHours(), 1e-9);
        assertEquals(1_000 * 0.014, d.kinesisPutPayloadUnits(), 1e-9);
        assertEquals(0.263_747 * 0.125, d.dynamoDbReads(), 1e-6);
        assertEquals(1.800_296 * 0.625, d.dynamoDbWrites(), 1e-6);
        // 150 B an event: 1.5e11 B = 139.698 GB a day; 30 days held = 4,190.95 GB at 0.023: 96.39 a month.
        assertEquals(96.392 / 30, d.s3Storage(), 1e-3);
        assertEquals(5.76 + 14 + 0.032_968 + 1.125_185 + 3.213_1, d.total(), 1e-3);
        // At a billion events a day, a billion events are a day, apart from storage (a month of them).
        assertEquals(d.kinesisShardHours(), o.perBillionEvents().dollars().kinesisShardHours(), 1e-9);
        assertEquals(139.698 * 0.023, o.perBillionEvents().dollars().s3Storage(), 1e-3);

        CostReport.Lake lake = c.lake();
        assertEquals(150, lake.bytesPerEvent(), 1e-9);
        assertEquals(139.698, lake.gbPerDay(), 1e-3);
        assertEquals(139.698, lake.gbPerBillionEvents(), 1e-3);
        assertEquals(4_190.95, lake.gbMonthAfter30Days(), 0.01);
        assertEquals(96.392, lake.dollarsPerMonthAfter30Days(), 1e-3);
    }

    @Test
    void aggregationIsEstimatedFromTheEventBytesWhenTheRunDidNotAggregate() {
        CostReport c = CostModel.estimate(plainRun(), PRICES, null);
        CostReport.Option o = c.withAggregation();
        assertFalse(o.measured());
        // 600 B into aggregates of one 25,600-byte unit: 0.0234375 records and units per event.
        assertEquals(0.023_437_5, o.recordsPerEvent(), 1e-12);
        assertEquals(23_437_500, o.perDay().putPayloadUnits(), 1e-3);
        // Bytes decide: the busiest seconds' 7,320,000 B over 838,860.8 a shard are 8.73.
        assertEquals(9, o.shards());
        assertEquals(9 * 24, o.perDay().shardHours(), 1e-9);
        assertTrue(c.notes().stream().anyMatch(n -> n.startsWith("with aggregation: estimated")), c.notes().toString());
    }

    @Test
    void aMeasuredAggregationUsesTheAggregatesAsPut() {
        // 100 events of 600 B per aggregate of 61,000 B: 3 units each; the busiest seconds as in plainRun.
        List<ShardSizing.Peak> peaks = List.of(aggregated(3_400), aggregated(3_000), aggregated(3_000),
                aggregated(2_800));
        CostReport.Inputs in = new CostReport.Inputs(PER_DAY / 86_400, 1_000_000, 600_000_000, true, 10_000,
                610_000_000, 30_000, 4, 100.0, 400L, 400L, 150_000_000L, 1_000_000L, 10_000, 1_000, peaks);
        CostReport c = CostModel.estimate(in, PRICES, null);
        CostReport.Option agg = c.withAggregation();
        assertTrue(agg.measured());
        assertEquals(0.01, agg.recordsPerEvent(), 1e-12);
        assertEquals(3e7, agg.perDay().putPayloadUnits(), 1e-3);
        // 34 + 30 + 30 + 28 aggregates of 61,000 B: 7,442,000 B over 838,860.8 a shard are 8.87.
        assertEquals(9, agg.shards());
        CostReport.Option plain = c.withoutAggregation();
        assertFalse(plain.measured());
        // The user records of the busiest seconds, 12,200 over 800 a shard: 15.25.
        assertEquals(16, plain.shards());
        assertEquals(1e9, plain.perDay().putPayloadUnits(), 1e-3);
        assertTrue(plain.shards() >= agg.shards());
    }

    /** A shard's busiest second of 100 events of 600 B per aggregate of 61,000 B. */
    private static ShardSizing.Peak aggregated(long eventsPerSecond) {
        return new ShardSizing.Peak(eventsPerSecond / 100, 610 * eventsPerSecond, eventsPerSecond,
                600 * eventsPerSecond);
    }

    @Test
    void anotherRateScalesThePeaksAndTheDayButNotThePerEventFigures() {
        CostReport c = CostModel.estimate(plainRun(), PRICES, 86_400.0 * 500);
        CostReport.Option o = c.withoutAggregation();
        assertEquals(500, c.eventsPerSecond(), 1e-9);
        // The busiest seconds' 15.25 shards' worth times 500 / 11,574.07: 0.66 of a shard.
        assertEquals(1, o.shards(), "500 events/s fit one shard");
        // A billion events at 500/s take 23.15 days of one shard.
        assertEquals(1e9 / 500 / 3_600, o.perBillionEvents().shardHours(), 1e-6);
        assertEquals(1e9, o.perBillionEvents().putPayloadUnits(), 1e-3);
        assertEquals(139.698, c.lake().gbPerBillionEvents(), 1e-3);
    }

    @Test
    void twiceTheRunsRateNeedsTheShardsOfTwiceItsPeaks() {
        CostReport c = CostModel.estimate(plainRun(), PRICES, 2 * PER_DAY);
        // 2 * 15.25 = 30.5 without aggregation; 2 * 8.73 = 17.45 with.
        assertEquals(31, c.withoutAggregation().shards());
        assertEquals(18, c.withAggregation().shards());
    }

    @Test
    void aReportWithoutPeaksIsSizedForTheAverageAndSaysSo() {
        CostReport.Inputs old = new CostReport.Inputs(PER_DAY / 86_400, 1_000_000, 600_000_000, false, 1_000_000,
                600_000_000, 1_000_000, 4, 100.0, 400L, 400L, 150_000_000L, 1_000_000L, 10_000, 1_000, null);
        CostReport c = CostModel.estimate(old, PRICES, null);
        assertEquals(CostReport.ShardBasis.AVERAGE_RATE, c.assumptions().shardBasis());
        // 11,574.07 records/s over 800 a shard is 14.47; 6,944,444 B/s over 838,860.8 is 8.28.
        assertEquals(15, c.withoutAggregation().shards());
        assertEquals(9, c.withAggregation().shards());
        assertTrue(c.notes().stream().anyMatch(n -> n.startsWith("shards sized for the average rate: the report has"
                + " no per-shard peaks")), c.notes().toString());
        assertTrue(CostText.heading(c).contains("shards sized for the average rate with 20% headroom"),
                CostText.heading(c));
    }

    @Test
    void atTheRunsRateTheCostHasTheShardsOfTheShardLoad() {
        // Any per-shard peaks: the cost at the run's own rate and the run's shard load agree, both settings.
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            boolean aggregation = random.nextBoolean();
            List<ShardLoadReport.ShardLoad> shards = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                long userRecords = 1 + random.nextInt(20_000);
                long userBytes = userRecords * (50 + random.nextInt(2_000));
                long records = aggregation ? 1 + userRecords / (1 + random.nextInt(200)) : userRecords;
                long bytes = aggregation ? userBytes + 50 * records : userBytes;
                shards.add(new ShardLoadReport.ShardLoad("shardId-" + i, 10 * records, 10 * bytes, 10 * userRecords,
                        10 * userBytes, 10 * records, records, bytes, userRecords, userBytes, 0));
            }
            ShardLoadReport load = ShardLoadReport.of(aggregation, shards);
            RunReport.Producer producer = new RunReport.Producer(1_000, 100 + random.nextInt(100_000), 1, 1, 1, 0,
                    Map.of(), 0, 0, 0, 1, 2, 3);
            RunReport report = new RunReport("r", "p", "p.yaml", "2026-11-26T10:00:00Z", 10, producer, null, load,
                    null, List.of(), null, null);
            CostReport c = CostModel.estimate(report.costInputs(null, null, 10_000, 1_000), null, null);
            assertEquals(load.shardsNeededWithoutAggregation(), c.withoutAggregation().shards(), load.toString());
            assertEquals(load.shardsNeededWithAggregation(), c.withAggregation().shards(), load.toString());
        }
    }

    @Test
    void refusesToScaleThePeaksOfARunWithoutASustainedRate() {
        CostReport.Inputs in = plainRun();
        CostReport.Inputs stalled = new CostReport.Inputs(0, in.events(), in.eventBytes(), false, in.kinesisRecords(),
                in.kinesisBytes(), in.putPayloadUnits(), 4, 100.0, 400L, 400L, null, null, 10_000, 1_000,
                in.shardPeaks());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CostModel.estimate(stalled, null, PER_DAY));
        assertEquals("the cost model scales the run's peaks by its sustained rate, which must be > 0, found 0.0",
                e.getMessage());
    }

    @Test
    void withoutPricesThereAreNoDollarsAndWithoutAPipelineNoLakeOrCheckpoints() {
        CostReport.Inputs simulated = new CostReport.Inputs(1_000, 60_000, 36_000_000, false, 60_000, 36_000_000,
                60_000, 2, null, null, null, null, null, 10_000, 1_000, List.of(plain(600), plain(600)));
        CostReport c = CostModel.estimate(simulated, null, null);
        assertNull(c.prices());
        assertNull(c.lake());
        assertNull(c.withoutAggregation().perDay().dollars());
        assertNull(c.withoutAggregation().perDay().checkpoints());
        assertEquals(c.withoutAggregation().perDay().leaseRenewals(), c.withoutAggregation().perDay().writeRequestUnits(),
                1e-9, "renewals are the only writes");
        assertTrue(c.notes().stream().anyMatch(n -> n.startsWith("no checkpoints")), c.notes().toString());
    }

    @Test
    void refusesARateThatIsNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CostModel.estimate(plainRun(), null, 0.0));
        assertEquals("events per day must be a number > 0, found 0.0", e.getMessage());
    }
}
