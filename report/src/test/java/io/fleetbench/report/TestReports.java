package io.fleetbench.report;

import java.util.List;
import java.util.Map;

/** Run reports with the figures comparisons and CI summaries look at, for tests. */
public final class TestReports {
    private TestReports() {
    }

    /** A passed run's report; {@code busyUsPerRow} null as in a report of an older build. */
    public static RunReport report(String id, double rate, double p99, Double busyUsPerRow) {
        RunReport.Producer producer = new RunReport.Producer(2000, rate, 10, 10, 10, 0, Map.of(), 0, 0, 0, 20, p99, 900);
        RunReport.Sink sink = new RunReport.Sink(10, 1, 2, 1000, 50, 0, 0,
                busyUsPerRow == null ? null : busyUsPerRow * 1e-2, busyUsPerRow);
        RunReport.Pipeline pipeline = new RunReport.Pipeline("reference", "s", 1, "kinesalite", 1.0, 2.0, 3.0, 10_000, 0, rate, sink,
                null);
        List<RunReport.Table> tables = List.of(new RunReport.Table("car_telemetry", "/l/c", 6, 6, 0, 1, 100,
                new RunReport.Freshness(800, 4000, 4100, 4200)));
        RunReport.Audit audit = new RunReport.Audit(true, true, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 0, 0, 0, 0L, 0, true, List.of(), List.of(), List.of());
        return new RunReport(id, "t", "t.yaml", "2026-11-26T10:00:00Z", 10, producer, null, null, pipeline, tables,
                null, audit);
    }
}
