package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.report.cost.Prices;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.runner.LoadRun;
import io.fleetbench.runner.RunRefusedException;
import io.fleetbench.runner.pipeline.PipelineChoice;
import io.fleetbench.runner.restart.EmulatorRestarts;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;
import io.fleetbench.report.RunSummaries;
import io.fleetbench.localstack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
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

    @Mixin
    StackPorts ports;

    @Option(names = "--pipeline", paramLabel = "reference|external", defaultValue = "reference",
            description = "The pipeline under test: reference starts fleetbench's own (KCL consumer, Delta sink,"
                    + " compactor); external is yours, already reading the stream (--stream or the profile's"
                    + " stream.name) and writing Delta tables below --lake (default: ${DEFAULT-VALUE}).")
    String pipeline;

    @Option(names = "--lake", paramLabel = "<dir or URI>",
            description = "With --pipeline external: the root of the Delta tables the pipeline writes, one per event"
                    + " family (car_telemetry, ...) and dead_letters, as the reference sink lays them out.")
    String lake;

    @Option(names = "--stream", paramLabel = "<name>",
            description = "The stream (default: the profile's stream.name, else a new name per run); created if missing.")
    String stream;

    @Option(names = "--ready-url", paramLabel = "<url>",
            description = "With --pipeline external: a health URL that answers 2xx once the pipeline reads the stream;"
                    + " the load starts after it does.")
    URI readyUrl;

    @Option(names = "--ready-timeout", paramLabel = "<duration>", defaultValue = "2m",
            converter = Converters.PositiveDuration.class,
            description = "How long to wait for --ready-url (default: ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Option(names = "--quiet-period", paramLabel = "<duration>", defaultValue = "10s",
            converter = Converters.PositiveDuration.class,
            description = "With --pipeline external: how long the lake's row counts must stand still before the"
                    + " pipeline counts as drained (default: ${DEFAULT-VALUE}).")
    Duration quietPeriod;

    @Override
    public Integer call() throws Exception {
        long startNanos = System.nanoTime();
        PipelineChoice choice;
        if ("reference".equals(pipeline)) {
            choice = PipelineChoice.reference();
        } else if ("external".equals(pipeline)) {
            if (lake == null) {
                System.err.println("fleetbench: run --pipeline external needs --lake, the root of the tables it writes");
                return ExitCode.BAD_INPUT;
            }
            choice = new PipelineChoice(true, lake, Optional.ofNullable(readyUrl), readyTimeout, quietPeriod);
        } else {
            System.err.println("fleetbench: --pipeline must be reference or external, found \"" + pipeline + "\"");
            return ExitCode.BAD_INPUT;
        }
        if (!"local".equals(target)) {
            System.err.println("fleetbench: run --target " + target + " is not available: the pipeline runs locally only;"
                    + " to produce into a real stream use: fleetbench simulate <profile> --target aws --stream <name>");
            return ExitCode.BAD_INPUT;
        }
        StackConfig stack = ports.applyOrExplain(StackConfig.defaults());
        if (stack == null) {
            return ExitCode.BAD_INPUT;
        }
        LoadProfile profile = options.loadOrExplain();
        if (profile == null) {
            return ExitCode.BAD_INPUT;
        }
        if (choice.external() && stream == null && profile.stream().name() == null) {
            System.err.println("fleetbench: run --pipeline external needs the stream the pipeline reads:"
                    + " give --stream or the profile's stream.name");
            return ExitCode.BAD_INPUT;
        }
        Optional<String> restartsRefused = EmulatorRestarts.refusal(profile, choice.external(), false,
                stack.streamEmulator());
        if (restartsRefused.isPresent()) {
            System.err.println("fleetbench: " + restartsRefused.get());
            return ExitCode.BAD_INPUT;
        }
        Optional<Prices> prices = options.pricesOrExplain();
        if (prices == null) {
            return ExitCode.BAD_INPUT;
        }
        RunOptions.Prepared run = options.createRunFolder(profile, "run");
        LoadRun.Settings settings = new LoadRun.Settings(run.home(), run.runDir(), run.runId(), startNanos,
                options.metrics.host, options.metrics.port, stack, System.out, System.console() != null, choice,
                Optional.ofNullable(stream));
        // The run judges the profile's thresholds and works out the cost itself, so that report.html shows them.
        RunReport report;
        try {
            report = new LoadRun(profile, options.profileFile, settings, prices.orElse(null)).execute();
        } catch (RunRefusedException e) {
            System.err.println("fleetbench: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
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
