package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import io.fleetbench.report.Thresholds;

import io.fleetbench.report.cost.CostModel;
import io.fleetbench.report.cost.CostReport;
import io.fleetbench.telemetry.ShardSizing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sections of report.html that come from the report: thresholds and cost. */
class ReportPageWriterTest {

    @Test
    void listsTheJudgedThresholdsNearTheTopStyledLikeTheAudit(@TempDir Path dir) throws Exception {
        RunReport report = ReportPageIT.fixedReport().withThresholds(List.of(
                new RunReport.ThresholdResult("producer.put_latency_p99_ms", "< 10", 48.0, false),
                new RunReport.ThresholdResult("audit.lost", "== 0", 0.0, true),
                new RunReport.ThresholdResult("sink.freshness_p99_ms{table=bike_telemetry}", "< 5000", null, false)));

        String page = page(dir, report);

        assertTrue(page.contains("<p>Thresholds: <span class=\"failed\">2 of 3 failed</span></p>"), page);
        assertTrue(page.contains("<tr><td>producer.put_latency_p99_ms</td><td>&lt; 10</td><td class=\"n\">48</td>"
                + "<td><span class=\"failed\">failed</span></td></tr>"), page);
        assertTrue(page.contains("<tr><td>audit.lost</td><td>== 0</td><td class=\"n\">0</td>"
                + "<td><span class=\"passed\">passed</span></td></tr>"), page);
        assertTrue(page.contains("<td class=\"n\">no value</td><td><span class=\"failed\">failed</span>"), page);
        int thresholds = page.indexOf("id=\"thresholds\"");
        assertTrue(thresholds > page.indexOf("Audit: ") && thresholds < page.indexOf("id=\"figures\""),
                "the thresholds come after the audit, before the figures");
    }

    @Test
    void allPassedIsSaidOnce(@TempDir Path dir) throws Exception {
        RunReport report = ReportPageIT.fixedReport().withThresholds(List.of(
                new RunReport.ThresholdResult("audit.lost", "== 0", 0.0, true)));
        assertTrue(page(dir, report).contains("<p>Thresholds: <span class=\"passed\">all 1 passed</span></p>"));
    }

    @Test
    void noThresholdsNoSection(@TempDir Path dir) throws Exception {
        String page = page(dir, ReportPageIT.fixedReport());
        assertFalse(page.contains("Thresholds:"), "a thresholds line without thresholds");
        assertFalse(page.contains("id=\"thresholds\""), "a thresholds table without thresholds");
    }

    @Test
    void showsTheCostOfBothProducerSettings(@TempDir Path dir) throws Exception {
        // Four shards whose busiest seconds took 3,400, 3,000, 3,000 and 2,800 events of 600 B.
        List<ShardSizing.Peak> peaks = LongStream.of(3_400, 3_000, 3_000, 2_800)
                .mapToObj(n -> new ShardSizing.Peak(n, 600 * n, n, 600 * n)).toList();
        CostReport.Inputs in = new CostReport.Inputs(1e9 / 86_400, 1_000_000, 600_000_000, false, 1_000_000,
                600_000_000, 1_000_000, 4, 100.0, 400L, 400L, 150_000_000L, 1_000_000L, 10_000, 1_000, peaks);
        RunReport report = ReportPageIT.fixedReport().withCost(CostModel.estimate(in,
                new io.fleetbench.report.cost.Prices("p.yaml", "us-east-1", "2024-11-01", 0.015, 0.014, 0.125, 0.625,
                        0.023, java.util.Map.of()), null));

        String page = page(dir, report);

        assertTrue(page.contains("<h2>Cost on AWS</h2>"), page);
        // 12,200 events/s over 800 a shard: 15.25; 7,320,000 B over 838,860.8: 8.73 (CostModelTest has the dollars).
        assertTrue(page.contains("<tr><th>shards</th><td class=\"n\">16</td><td class=\"n\">9</td></tr>"), page);
        assertTrue(page.contains("<tr><th>dollars a day</th><td class=\"n\">$24.13 (shards $5.76, PUT $14.00,"
                + " DynamoDB $1.16, S3 $3.21)</td>"), page);
        assertTrue(page.contains("<p class=\"cost\">lake: 150.0 bytes per event after compaction"), page);
        assertFalse(page(dir, ReportPageIT.fixedReport()).contains("Cost on AWS"), "a cost section without a cost");
    }

    private static String page(Path dir, RunReport report) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: smoke\n");
        return Files.readString(ReportPageWriter.write(dir, "run-1", "smoke", profile, report, null, List.of()));
    }
}
