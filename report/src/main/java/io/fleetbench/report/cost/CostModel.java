package io.fleetbench.report.cost;

import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.ShardSizing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a load costs on AWS, worked out with plain formulas from what a run measured; every formula
 * and assumption is listed in {@code docs/cost-model.md}. The figures are for a day at a rate (the
 * run's sustained rate unless another is asked for) and for a billion events at that rate. Shards
 * are sized by {@link ShardSizing} for each shard's busiest second, scaled to the rate.
 */
public final class CostModel {
    /** Assumed size of a KCL lease item: at most 1 KB, so one write request unit per update. */
    static final long LEASE_ITEM_BYTES = 1024;
    /** One consumer worker, as in a run. */
    static final int WORKERS = 1;
    /** The KCL's default epsilon, taken off its renewal and discovery intervals. */
    static final long KCL_EPSILON_MILLIS = 25;
    /** The lake's storage figure holds this many days of data. */
    static final int RETENTION_DAYS = 30;
    static final long WRITE_UNIT_BYTES = 1024;
    static final long READ_UNIT_BYTES = 4096;
    /** An eventually consistent read costs half a read request unit per 4 KB. */
    static final double EVENTUALLY_CONSISTENT_READ = 0.5;
    static final double GB = 1L << 30;
    static final double BILLION = 1e9;
    static final double SECONDS_PER_DAY = 86_400;
    static final double MILLIS_PER_DAY = SECONDS_PER_DAY * 1000;

    private CostModel() {
    }

    /**
     * Works out the cost.
     *
     * @param in           what a run measured
     * @param prices       the prices, or null for no dollars
     * @param eventsPerDay the rate to work it out for, or null for the run's sustained rate
     */
    public static CostReport estimate(CostReport.Inputs in, Prices prices, Double eventsPerDay) {
        if (in.events() <= 0) {
            throw new IllegalArgumentException("the cost model needs events put to Kinesis, found " + in.events());
        }
        double perDay = eventsPerDay != null ? eventsPerDay : in.sustainedEventsPerSecond() * SECONDS_PER_DAY;
        if (!(perDay > 0) || Double.isInfinite(perDay)) {
            throw new IllegalArgumentException("events per day must be a number > 0, found " + perDay);
        }
        double perSecond = perDay / SECONDS_PER_DAY;
        List<String> notes = new ArrayList<>();
        CostReport.Assumptions a = assumptions(in);
        // Exactly 1 at the run's own rate, so that its shards are the ones its shard load reports.
        double peakScale = 1;
        if (a.shardBasis() == CostReport.ShardBasis.AVERAGE_RATE) {
            notes.add("shards sized for the average rate: the report has no per-shard peaks (written by an older"
                    + " build), so busier seconds and busier shards are allowed for only by the headroom");
        } else if (eventsPerDay != null) {
            if (!(in.sustainedEventsPerSecond() > 0)) {
                throw new IllegalArgumentException("the cost model scales the run's peaks by its sustained rate, which"
                        + " must be > 0, found " + in.sustainedEventsPerSecond());
            }
            peakScale = perDay / (in.sustainedEventsPerSecond() * SECONDS_PER_DAY);
        }
        Lake lake = lake(in, perDay, prices);
        if (lake == null) {
            notes.add("no lake: the run had no pipeline behind the stream, so no storage figure");
        }
        double eventBytes = (double) in.eventBytes() / in.events();

        // Without aggregation every event is a record; units are measured when the run did not aggregate.
        double plainUnits = in.aggregation()
                ? Math.ceil(eventBytes / ShardLoadReport.PUT_PAYLOAD_UNIT_BYTES)
                : (double) in.putPayloadUnits() / in.events();
        CostReport.Option plain = option(in, a, false, peakScale, !in.aggregation(), 1, eventBytes, plainUnits,
                perSecond, perDay, lake, prices);
        CostReport.Option aggregated;
        if (in.aggregation()) {
            aggregated = option(in, a, true, peakScale, true, (double) in.kinesisRecords() / in.events(),
                    (double) in.kinesisBytes() / in.events(), (double) in.putPayloadUnits() / in.events(), perSecond,
                    perDay, lake, prices);
        } else {
            notes.add("with aggregation: estimated from the event bytes (the run did not aggregate), aggregates"
                    + " assumed filled to one PUT payload unit");
            double perUnit = eventBytes / ShardLoadReport.PUT_PAYLOAD_UNIT_BYTES;
            aggregated = option(in, a, true, peakScale, false, perUnit, eventBytes, perUnit, perSecond, perDay, lake,
                    prices);
        }
        if (in.aggregation()) {
            notes.add(0, "without aggregation: estimated from the event bytes (the run aggregated), each event assumed to"
                    + " be of the average size when rounded up to PUT payload units");
        }
        if (in.checkpoints() == null) {
            notes.add("no checkpoints: the run had no consumer, so the lease table's writes leave them out");
        }
        return new CostReport(in, a, prices, perDay, perSecond, plain, aggregated,
                lake == null ? null : lake.report(), notes);
    }

    static CostReport.Assumptions assumptions(CostReport.Inputs in) {
        // The KCL renews every lease every failoverTime/3 - epsilon and discovers its assignments every
        // leaseAssignmentInterval/2 - epsilon; the leader scans the table every leaseAssignmentInterval.
        long renewal = Math.max(1, in.failoverTimeMillis() / 3 - KCL_EPSILON_MILLIS);
        long discovery = Math.max(1, in.leaseAssignmentIntervalMillis() / 2 - KCL_EPSILON_MILLIS);
        CostReport.ShardBasis basis = in.shardPeaks() == null || in.shardPeaks().isEmpty()
                ? CostReport.ShardBasis.AVERAGE_RATE : CostReport.ShardBasis.BUSIEST_SECOND;
        return new CostReport.Assumptions(ShardSizing.HEADROOM, basis, ShardLoadReport.SHARD_RECORDS_PER_SECOND,
                ShardLoadReport.SHARD_BYTES_PER_SECOND, ShardLoadReport.PUT_PAYLOAD_UNIT_BYTES, LEASE_ITEM_BYTES,
                WORKERS, renewal, in.leaseAssignmentIntervalMillis(), discovery, RETENTION_DAYS);
    }

    /**
     * One producer setting.
     *
     * @param aggregated whether the option is the one with aggregation
     * @param peakScale  the rate over the run's sustained rate, by which its peaks are multiplied
     * @param measured   whether the run measured this option's per-event figures
     */
    private static CostReport.Option option(CostReport.Inputs in, CostReport.Assumptions a, boolean aggregated,
                                            double peakScale, boolean measured, double recordsPerEvent,
                                            double bytesPerEvent, double unitsPerEvent, double perSecond,
                                            double perDay, Lake lake, Prices prices) {
        double recordsPerSecond = perSecond * recordsPerEvent;
        double bytesPerSecond = perSecond * bytesPerEvent;
        int shards;
        if (a.shardBasis() == CostReport.ShardBasis.AVERAGE_RATE) {
            shards = ShardSizing.shardsFor(recordsPerSecond, bytesPerSecond);
        } else if (aggregated) {
            shards = ShardSizing.withAggregation(in.aggregation(), in.shardPeaks(), peakScale);
        } else {
            shards = ShardSizing.withoutAggregation(in.shardPeaks(), peakScale);
        }
        double renewals = shards * MILLIS_PER_DAY / a.renewalIntervalMillis();
        double scans = MILLIS_PER_DAY / a.scanIntervalMillis();
        double discoveries = a.workers() * MILLIS_PER_DAY / a.discoveryIntervalMillis();
        // The checkpoint rate per lease follows the sink's flushes, which are timed per shard, not per event.
        Double checkpoints = in.checkpoints() == null || in.activeSeconds() == null || in.activeSeconds() <= 0
                ? null : in.checkpoints() / (in.streamShards() * in.activeSeconds()) * shards * SECONDS_PER_DAY;
        double scanUnits = EVENTUALLY_CONSISTENT_READ
                * Math.max(1, Math.ceil((double) shards * LEASE_ITEM_BYTES / READ_UNIT_BYTES));
        double reads = scans * scanUnits + discoveries * EVENTUALLY_CONSISTENT_READ;
        double writeUnits = Math.ceil((double) LEASE_ITEM_BYTES / WRITE_UNIT_BYTES);
        double writes = (renewals + (checkpoints == null ? 0 : checkpoints)) * writeUnits;
        CostReport.Amounts day = new CostReport.Amounts(shards * 24.0, perDay * unitsPerEvent, renewals, scans,
                discoveries, checkpoints, reads, writes, null);
        double scale = BILLION / perDay;
        CostReport.Amounts billion = new CostReport.Amounts(day.shardHours() * scale, day.putPayloadUnits() * scale,
                renewals * scale, scans * scale, discoveries * scale, checkpoints == null ? null : checkpoints * scale,
                reads * scale, writes * scale, null);
        if (prices != null) {
            day = withDollars(day, prices, lake == null ? null : lake.dollarsPerDay());
            billion = withDollars(billion, prices, lake == null ? null : lake.dollarsPerBillionEvents());
        }
        return new CostReport.Option(measured, recordsPerEvent, bytesPerEvent, unitsPerEvent, recordsPerSecond,
                bytesPerSecond, shards, day, billion);
    }

    private static CostReport.Amounts withDollars(CostReport.Amounts m, Prices p, Double s3) {
        double shardHours = m.shardHours() * p.kinesisShardHour();
        double put = m.putPayloadUnits() / 1e6 * p.kinesisPutPayloadUnitsPerMillion();
        double reads = m.readRequestUnits() / 1e6 * p.dynamoDbReadUnitsPerMillion();
        double writes = m.writeRequestUnits() / 1e6 * p.dynamoDbWriteUnitsPerMillion();
        double total = shardHours + put + reads + writes + (s3 == null ? 0 : s3);
        return new CostReport.Amounts(m.shardHours(), m.putPayloadUnits(), m.leaseRenewals(), m.leaseScans(),
                m.leaseDiscoveries(), m.checkpoints(), m.readRequestUnits(), m.writeRequestUnits(),
                new CostReport.Dollars(shardHours, put, reads, writes, s3, total));
    }

    /** The lake's storage and, with prices, its dollars per day and per billion events. */
    private record Lake(CostReport.Lake report, Double dollarsPerDay, Double dollarsPerBillionEvents) {
    }

    private static Lake lake(CostReport.Inputs in, double perDay, Prices prices) {
        if (in.lakeBytes() == null || in.lakeRows() == null || in.lakeRows() == 0) {
            return null;
        }
        double bytesPerEvent = (double) in.lakeBytes() / in.lakeRows();
        double gbPerDay = perDay * bytesPerEvent / GB;
        double gbPerBillion = BILLION * bytesPerEvent / GB;
        double held = RETENTION_DAYS * gbPerDay;
        if (prices == null) {
            return new Lake(new CostReport.Lake(bytesPerEvent, gbPerDay, gbPerBillion, held, null, null), null, null);
        }
        double month = held * prices.s3StandardGbMonth();
        double billionMonth = gbPerBillion * prices.s3StandardGbMonth();
        return new Lake(new CostReport.Lake(bytesPerEvent, gbPerDay, gbPerBillion, held, month, billionMonth),
                month / RETENTION_DAYS, billionMonth);
    }
}
