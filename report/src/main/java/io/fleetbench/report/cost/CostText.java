package io.fleetbench.report.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** A cost estimate in words: the {@code cost:} lines of {@code summary.txt} and the rows of the report page's table. */
public final class CostText {
    private CostText() {
    }

    /** The {@code cost:} lines, each ending with a line separator. */
    public static String summary(CostReport c) {
        StringBuilder b = new StringBuilder();
        String nl = System.lineSeparator();
        b.append("cost: ").append(heading(c)).append(nl);
        option(b, "without aggregation", c.withoutAggregation());
        option(b, "with aggregation", c.withAggregation());
        if (c.lake() != null) {
            b.append("  ").append(lake(c.lake())).append(nl);
        }
        for (String note : c.notes()) {
            b.append("  - ").append(note).append(nl);
        }
        return b.toString();
    }

    /** What the figures are for: the rate, the load the shards are sized for, the headroom and the prices. */
    public static String heading(CostReport c) {
        return String.format(Locale.ROOT, "at %,.0f events/s = %,.0f events/day, shards sized for %s with %.0f%%"
                        + " headroom; %s", c.eventsPerSecond(), c.eventsPerDay(), basis(c),
                100 * (1 - c.assumptions().headroom()),
                c.prices() == null ? "no prices, so no dollars"
                        : "prices of " + c.prices().date() + " (" + c.prices().region() + ") from " + c.prices().file());
    }

    private static String basis(CostReport c) {
        if (c.assumptions().shardBasis() == CostReport.ShardBasis.AVERAGE_RATE) {
            return "the average rate";
        }
        double scale = c.eventsPerDay() / (c.inputs().sustainedEventsPerSecond() * CostModel.SECONDS_PER_DAY);
        // At the run's own rate the model took the day from the sustained rate, so the ratio is exactly 1.
        return scale == 1 ? "each shard's busiest second"
                : String.format(Locale.ROOT, "each shard's busiest second in the run, times %,.3f,", scale);
    }

    /** The lake's storage in one line. */
    public static String lake(CostReport.Lake l) {
        return String.format(Locale.ROOT, "lake: %,.1f bytes per event after compaction, %,.2f GB/day, %,.2f GB per"
                        + " billion events, %,.1f GB-month after 30 days%s", l.bytesPerEvent(), l.gbPerDay(),
                l.gbPerBillionEvents(), l.gbMonthAfter30Days(), l.dollarsPerMonthAfter30Days() == null ? ""
                        : String.format(Locale.ROOT, " (%s a month)", dollars(l.dollarsPerMonthAfter30Days())));
    }

    private static void option(StringBuilder b, String name, CostReport.Option o) {
        CostReport.Amounts d = o.perDay();
        b.append(String.format(Locale.ROOT, "  %s%s: %d shard%s (%,.3f Kinesis records and %,.1f bytes per event);"
                        + " a day: %,.0f shard-hours, %,.0f PUT payload units, %,.0f lease renewals, %,.0f lease-table"
                        + " scans, %,.0f lease discoveries, %s checkpoints, %,.0f read and %,.0f write request units%s%n",
                name, o.measured() ? "" : " (estimated)", o.shards(), o.shards() == 1 ? "" : "s", o.recordsPerEvent(),
                o.bytesPerEvent(), d.shardHours(), d.putPayloadUnits(), d.leaseRenewals(), d.leaseScans(),
                d.leaseDiscoveries(), d.checkpoints() == null ? "no" : String.format(Locale.ROOT, "%,.0f", d.checkpoints()),
                d.readRequestUnits(), d.writeRequestUnits(), d.dollars() == null ? ""
                        : "; " + dollars(d.dollars()) + " a day, " + dollars(o.perBillionEvents().dollars())
                        + " per billion events"));
    }

    /** Dollars: the total and what it is made of. */
    static String dollars(CostReport.Dollars d) {
        return String.format(Locale.ROOT, "%s (shards %s, PUT %s, DynamoDB %s%s)", dollars(d.total()),
                dollars(d.kinesisShardHours()), dollars(d.kinesisPutPayloadUnits()),
                dollars(d.dynamoDbReads() + d.dynamoDbWrites()), d.s3Storage() == null ? "" : ", S3 " + dollars(d.s3Storage()));
    }

    static String dollars(double usd) {
        return String.format(Locale.ROOT, usd >= 100 ? "$%,.0f" : "$%,.2f", usd);
    }

    /**
     * The rows of the cost table: a label, then the figure without and with aggregation.
     */
    public static List<List<String>> rows(CostReport c) {
        List<List<String>> rows = new ArrayList<>();
        CostReport.Option p = c.withoutAggregation();
        CostReport.Option a = c.withAggregation();
        rows.add(List.of("", "without aggregation" + (p.measured() ? "" : " (estimated)"),
                "with aggregation" + (a.measured() ? "" : " (estimated)")));
        row(rows, "shards", p, a, o -> String.valueOf(o.shards()));
        row(rows, "Kinesis records per event", p, a, o -> String.format(Locale.ROOT, "%,.4f", o.recordsPerEvent()));
        row(rows, "Kinesis bytes per event", p, a, o -> String.format(Locale.ROOT, "%,.1f", o.bytesPerEvent()));
        row(rows, "shard-hours a day", p, a, o -> count(o.perDay().shardHours()));
        row(rows, "PUT payload units a day", p, a, o -> count(o.perDay().putPayloadUnits()));
        row(rows, "lease renewals a day", p, a, o -> count(o.perDay().leaseRenewals()));
        row(rows, "lease-table scans and discoveries a day", p, a,
                o -> count(o.perDay().leaseScans()) + " + " + count(o.perDay().leaseDiscoveries()));
        row(rows, "checkpoints a day", p, a,
                o -> o.perDay().checkpoints() == null ? "not measured" : count(o.perDay().checkpoints()));
        row(rows, "DynamoDB read / write request units a day", p, a,
                o -> count(o.perDay().readRequestUnits()) + " / " + count(o.perDay().writeRequestUnits()));
        if (p.perDay().dollars() != null) {
            row(rows, "dollars a day", p, a, o -> dollars(o.perDay().dollars()));
            row(rows, "dollars per billion events", p, a, o -> dollars(o.perBillionEvents().dollars()));
        }
        return rows;
    }

    private static void row(List<List<String>> rows, String label, CostReport.Option p, CostReport.Option a,
                            Function<CostReport.Option, String> cell) {
        rows.add(List.of(label, cell.apply(p), cell.apply(a)));
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
