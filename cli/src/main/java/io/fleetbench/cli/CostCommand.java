package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.report.cost.CostModel;
import io.fleetbench.report.cost.CostReport;
import io.fleetbench.report.cost.CostText;
import io.fleetbench.report.cost.Prices;
import io.fleetbench.report.cost.PricesException;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code fleetbench cost <run>}: works out a stored run's cost again, with other prices or at another rate. */
@Command(name = "cost", description = "Work out the AWS cost of a stored run's load again from the inputs its"
        + " report.json keeps: Kinesis shards and PUT payload units with and without aggregation, the KCL lease"
        + " table's DynamoDB requests and the lake's storage, per day and per billion events.")
final class CostCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<run>", description = "A run folder, or its report.json.")
    Path run;

    @Option(names = "--prices", paramLabel = "<file>", description = "AWS prices (default: pricing/aws-prices.yaml"
            + " in the project; without one, no dollars).")
    Path pricesFile;

    @Option(names = "--events-per-day", paramLabel = "<n>", description = "The rate to work it out for (default: the"
            + " run's sustained rate), e.g. 1e9.")
    Double eventsPerDay;

    @Override
    public Integer call() {
        Path file = Files.isDirectory(run) ? run.resolve("report.json") : run;
        if (eventsPerDay != null && !(eventsPerDay > 0 && eventsPerDay < Double.POSITIVE_INFINITY)) {
            System.err.println("fleetbench: --events-per-day must be a number > 0, found " + eventsPerDay);
            return ExitCode.BAD_INPUT;
        }
        Prices prices;
        try {
            prices = Prices.resolve(pricesFile, RunOptions.projectHome());
        } catch (PricesException e) {
            System.err.println("fleetbench: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        RunReport report;
        try {
            report = ReportWriter.read(file);
        } catch (IOException e) {
            System.err.println("fleetbench: " + file + ": cannot read the report: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        if (report.cost() == null || report.cost().inputs() == null) {
            System.err.println("fleetbench: " + file + ": the report has no cost inputs (cost.inputs): it was written by"
                    + " an older build, or its run put no event");
            return ExitCode.BAD_INPUT;
        }
        CostReport cost = CostModel.estimate(report.cost().inputs(), prices, eventsPerDay);
        System.out.printf("run %s: profile %s%n", report.runId(), report.profile());
        System.out.print(CostText.summary(cost));
        return ExitCode.OK;
    }
}
