package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.CapturedOutput;

import io.fleetbench.report.cost.CostModel;
import io.fleetbench.report.cost.CostReport;
import io.fleetbench.report.cost.PricesTest;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;
import io.fleetbench.telemetry.ShardSizing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fleetbench cost} works the cost out again from a stored report, and refuses bad prices. */
class CostCommandTest {
    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    /**
     * A report of 1,000,000 events of 600 B at 1,000 events/s, without aggregation, over 4 shards whose
     * busiest seconds took 300, 260, 250 and 240 events.
     */
    private static Path storedRun(Path dir) throws Exception {
        RunReport.Producer producer = new RunReport.Producer(1_000, 1_000, 1_000_000, 1_000_000, 1_000_000, 0,
                Map.of(), 0, 0, 0, 5, 10, 20);
        RunReport.Audit audit = new RunReport.Audit(true, true, 1_000_000, 1_000_000, 1_000_000, 0, 0, 0, 0, 0,
                0, 0, 0, 0, Map.of(), 0, 0, 0, 0L, 0, true, List.of(), List.of(), List.of());
        CostReport.Inputs in = new CostReport.Inputs(1_000, 1_000_000, 600_000_000, false, 1_000_000, 600_000_000,
                1_000_000, 4, 100.0, 400L, 400L, 150_000_000L, 1_000_000L, 10_000, 1_000,
                List.of(peak(300), peak(260), peak(250), peak(240)));
        RunReport report = new RunReport("r1", "smoke", "smoke.yaml", "2026-11-26T10:00:00Z", 1_000, producer, null,
                null, null, List.of(), null, audit).withCost(CostModel.estimate(in, null, null));
        Path run = Files.createDirectories(dir.resolve("r1"));
        ReportWriter.write(report, run);
        return run;
    }

    private static ShardSizing.Peak peak(long eventsPerSecond) {
        return new ShardSizing.Peak(eventsPerSecond, 600 * eventsPerSecond, eventsPerSecond, 600 * eventsPerSecond);
    }

    @Test
    void worksTheCostOutAgainAtAnotherRateWithPrices(@TempDir Path dir) throws Exception {
        Path run = storedRun(dir);
        Path prices = Files.writeString(dir.resolve("prices.yaml"), PricesTest.VALID);

        assertEquals(ExitCode.OK, Main.execute("cost", run.toString(), "--prices", prices.toString(),
                "--events-per-day", "1e9"));

        String out = output.out();
        // The busiest seconds times 1e9 / 86,400,000 = 11.574: without aggregation 1,050 events/s over 800 a
        // shard, 1.3125 * 11.574 = 15.19; with (estimated), 630,000 B over 838,860.8, 0.751 * 11.574 = 8.69.
        assertTrue(out.contains("cost: at 11,574 events/s = 1,000,000,000 events/day, shards sized for each shard's"
                + " busiest second in the run, times 11.574, with 20% headroom; prices of 2024-11-01 (us-east-1) from "
                + prices), out);
        assertTrue(out.contains("  without aggregation: 16 shards"), out);
        assertTrue(out.contains("  with aggregation (estimated): 9 shards"), out);
        // Shards 16 * 24 * 0.015; DynamoDB reads 263,747 units, writes 16 * (26,118.5 renewals + 86,400
        // checkpoints) = 1,800,296 units: 0.033 + 1.125.
        assertTrue(out.contains("$24.13 (shards $5.76, PUT $14.00, DynamoDB $1.16, S3 $3.21) a day"), out);
    }

    @Test
    void atTheRunsOwnRateFromItsReportJson(@TempDir Path dir) throws Exception {
        Path run = storedRun(dir);
        assertEquals(ExitCode.OK, Main.execute("cost", run.resolve("report.json").toString(), "--prices",
                Files.writeString(dir.resolve("p.yaml"), PricesTest.VALID).toString()));
        String out = output.out();
        assertTrue(out.contains("at 1,000 events/s = 86,400,000 events/day, shards sized for each shard's busiest"
                + " second with 20% headroom"), out);
        // 1,050 events/s over 800 a shard: 1.3125; 630,000 B over 838,860.8: 0.75.
        assertTrue(out.contains("  without aggregation: 2 shards"), out);
        assertTrue(out.contains("  with aggregation (estimated): 1 shard "), out);
    }

    @Test
    void aReportOfAnOlderBuildWithoutPeaksIsSizedForTheAverage(@TempDir Path dir) throws Exception {
        Path run = storedRun(dir);
        Path json = run.resolve("report.json");
        String older = Files.readString(json).replaceAll("(?s),\\s*\"shard_peaks\" : \\[.*?]", "");
        assertFalse(older.contains("shard_peaks"), older);
        Files.writeString(json, older);
        assertEquals(ExitCode.OK, Main.execute("cost", run.toString()));
        String out = output.out();
        // 1,000 events/s over 800 a shard: 1.25; 600,000 B/s over 838,860.8: 0.72.
        assertTrue(out.contains("shards sized for the average rate with 20% headroom"), out);
        assertTrue(out.contains("  without aggregation: 2 shards"), out);
        assertTrue(out.contains("  with aggregation (estimated): 1 shard "), out);
        assertTrue(out.contains("  - shards sized for the average rate: the report has no per-shard peaks"), out);
    }

    @Test
    void aMalformedPricesFileExitsTwoNamingFileLineAndKey(@TempDir Path dir) throws Exception {
        Path run = storedRun(dir);
        Path prices = Files.writeString(dir.resolve("prices.yaml"),
                PricesTest.VALID.replace("usd: 0.625", "usd: lots"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("cost", run.toString(), "--prices", prices.toString()));
        assertTrue(output.err().contains(prices + ":15: prices.dynamodb_write_request_units_per_million.usd: expected"
                + " a price in US dollars"), output.err());
    }

    @Test
    void aReportWithoutCostInputsIsRefused(@TempDir Path dir) throws Exception {
        Path run = storedRun(dir);
        Path json = run.resolve("report.json");
        Files.writeString(json, Files.readString(json).replaceAll("(?s),\\s*\"cost\" : \\{.*}\\s*}\\s*$", "\n}\n"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("cost", run.toString()));
        assertTrue(output.err().contains(json + ": the report has no cost inputs"), output.err());
    }

    @Test
    void runRefusesAMalformedPricesFileBeforeARunFolderExists(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\n");
        Path prices = Files.writeString(dir.resolve("prices.yaml"), "region: us-east-1\ndate: 2024-11-01\nprice: 1\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString(),
                "--prices", prices.toString()));
        assertTrue(output.err().contains(prices + ":3: unknown key \"price\""), output.err());
        assertFalse(Files.exists(runs), "a run folder was created for refused prices");
    }
}
