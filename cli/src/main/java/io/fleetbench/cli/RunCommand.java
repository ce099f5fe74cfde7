package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.report.cost.Prices;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.runner.LoadRun;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;
import io.fleetbench.report.RunSummaries;
import io.fleetbench.localstack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code fleetbench run <profile>}: runs a load profile through the local pipeline and audits the lake. */
@Command(name = "run", description = "Run a load profile through the local pipeline, then audit the lake.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Option(names = "--target", paramLabel = "local|aws", defaultValue = "local",
            description = "Where the pipeline runs (default: ${DEFAULT-VALUE}); aws is not available for run yet, use simulate.")
    String target;

    @Option(names = "--kinesis-port", paramLabel = "<port>", defaultValue = "4567",
            description = "Port of the local Kinesis emulator the run starts (default: ${DEFAULT-VALUE}).")
    int kinesisPort;

    @Option(names = "--dynamodb-port", paramLabel = "<port>", defaultValue = "4568",
            description = "Port of the local DynamoDB emulator the run starts (default: ${DEFAULT-VALUE}).")
    int dynamodbPort;

    @Override
    public Integer call() throws Exception {
        long startNanos = System.nanoTime();
        if (!"local".equals(target)) {
            System.err.println("fleetbench: run --target " + target + " is not available: the pipeline runs locally only;"
                    + " to produce into a real stream use: fleetbench simulate <profile> --target aws --stream <name>");
            return ExitCode.BAD_INPUT;
        }
        StackConfig stack;
        try {
            stack = StackConfig.defaults().withPorts(kinesisPort, dynamodbPort);
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench: --kinesis-port " + kinesisPort + ", --dynamodb-port " + dynamodbPort + ": "
                    + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        LoadProfile profile = options.loadOrExplain();
        if (profile == null) {
            return ExitCode.BAD_INPUT;
        }
        Optional<Prices> prices = options.pricesOrExplain();
        if (prices == null) {
            return ExitCode.BAD_INPUT;
        }
        RunOptions.Prepared run = options.createRunFolder(profile, "run");
        LoadRun.Settings settings = new LoadRun.Settings(run.home(), run.runDir(), run.runId(), startNanos,
                options.metricsHost, options.metricsPort, stack, System.out, System.console() != null);
        // The run judges the profile's thresholds and works out the cost itself, so that report.html shows them.
        RunReport report = new LoadRun(profile, options.profileFile, settings, prices.orElse(null)).execute();
        System.out.print(ReportWriter.write(report, run.runDir()));
        RunSummaries.write(report, run.runDir());
        System.out.println("report: " + run.runDir().resolve("report.json") + ", " + run.runDir().resolve("report.html"));
        return exitCode(report);
    }

    /** An audit that failed exits 1 before a threshold that failed exits 99: lost data outranks a missed target. */
    static int exitCode(RunReport report) {
        return ExitCode.ofRun(report.audit().passed(), report.thresholdFailed());
    }
}
