package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.consumer.ConsumerConfig;
import io.fleetbench.report.cost.CostModel;
import io.fleetbench.report.cost.CostReport;
import io.fleetbench.report.cost.Prices;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.runner.RunRefusedException;
import io.fleetbench.report.RunReport;
import io.fleetbench.runner.SimulateRun;
import io.fleetbench.report.Thresholds;
import io.fleetbench.localstack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code fleetbench simulate <profile>}: produces a load profile into a stream without the pipeline. */
@Command(name = "simulate", description = "Produce a load profile into a Kinesis stream without the pipeline "
        + "(local emulator, or a real stream with --target aws).")
final class SimulateCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Option(names = "--target", paramLabel = "local|aws|http", defaultValue = "local",
            description = "local: start the emulator and create the stream; aws: the AWS SDK default credential chain"
                    + " and region, into a stream that exists; http: requests to an ingestion API (--url or the"
                    + " profile's http.url) (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--url", paramLabel = "<url>", description = "With --target http: where the requests go, instead"
            + " of the profile's http.url.")
    URI url;

    @Option(names = "--stream", paramLabel = "<name>", description = "The stream (default: the profile's stream.name;"
            + " locally a generated name).")
    String stream;

    @Override
    public Integer call() throws Exception {
        if (!"local".equals(target) && !"aws".equals(target) && !"http".equals(target)) {
            System.err.println("fleetbench: --target must be local, aws or http, found \"" + target + "\"");
            return ExitCode.BAD_INPUT;
        }
        if (url != null && !"http".equals(target)) {
            System.err.println("fleetbench: --url applies to --target http, found --target " + target);
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
        SimulateRun.Target where = switch (target) {
            case "aws" -> SimulateRun.Target.AWS;
            case "http" -> SimulateRun.Target.HTTP;
            default -> SimulateRun.Target.LOCAL;
        };
        if (where == SimulateRun.Target.HTTP && profile.target() != LoadProfile.Target.HTTP) {
            System.err.println("fleetbench: --target http sends the profile's http requests: the profile "
                    + options.profileFile + " has target " + profile.target().wireName() + "; set target: http");
            return ExitCode.BAD_INPUT;
        }
        SimulateRun.Settings check = settings(where, "check", null);
        try {
            SimulateRun.streamName(profile, check);
        } catch (RunRefusedException e) {
            System.err.println("fleetbench: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        RunOptions.Prepared run = options.createRunFolder(profile, "simulate");
        RunReport report;
        try {
            report = new SimulateRun(profile, options.profileFile, settings(where, run.runId(), run)).execute();
        } catch (RunRefusedException e) {
            System.err.println("fleetbench: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        // Without a pipeline, the cost has the stream and the lease table's upkeep, but no checkpoints and no lake.
        ConsumerConfig consumer = ConsumerConfig.aws(report.runId(), report.runId());
        CostReport.Inputs costInputs = report.costInputs(null, null, consumer.failoverTime().toMillis(),
                consumer.leaseAssignmentInterval().toMillis());
        if (costInputs != null) {
            report = report.withCost(CostModel.estimate(costInputs, prices.orElse(null), null));
        }
        if (!profile.thresholds().isEmpty()) {
            // Without a pipeline, a threshold on the sink, lake or audit has no value and fails.
            report = report.withThresholds(Thresholds.judge(profile.thresholds(), report));
        }
        System.out.print(ReportWriter.write(report, run.runDir()));
        System.out.println("report: " + run.runDir().resolve("report.json"));
        RunReport.Producer p = report.producer();
        boolean balanced = p.sent() == p.acknowledged() + p.failed() + p.ambiguous() && p.inFlight() == 0;
        if (!balanced) {
            System.err.printf("fleetbench: producer accounts do not balance: sent %,d != acknowledged %,d + failed %,d"
                    + " + ambiguous %,d%n", p.sent(), p.acknowledged(), p.failed(), p.ambiguous());
        }
        // An event given up on, failed or ambiguous, was not delivered for sure.
        return ExitCode.ofRun(balanced && p.failed() == 0 && p.ambiguous() == 0, report.thresholdFailed());
    }

    private SimulateRun.Settings settings(SimulateRun.Target where, String runId, RunOptions.Prepared run) {
        return new SimulateRun.Settings(run == null ? null : run.home(), run == null ? null : run.runDir(), runId, where,
                Optional.ofNullable(stream), options.metrics.host, options.metrics.port, StackConfig.defaults(), System.out,
                System.console() != null, Optional.ofNullable(url));
    }
}
