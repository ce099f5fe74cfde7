package io.fleetbench.harness;

import io.fleetbench.harness.profile.Durations;
import io.fleetbench.harness.profile.LoadProfile;
import io.fleetbench.harness.profile.ProfileException;
import io.fleetbench.harness.profile.ProfileLoader;
import io.fleetbench.harness.run.LoadRun;
import io.fleetbench.harness.run.ReportWriter;
import io.fleetbench.harness.run.RunReport;
import io.fleetbench.harness.stack.ProjectHome;
import io.fleetbench.harness.stack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code fleetbench run <profile>}: runs a load profile through the local pipeline and audits the lake. */
@Command(name = "run", description = "Run a load profile through the local pipeline, then audit the lake.")
final class RunCommand implements Callable<Integer> {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Parameters(paramLabel = "<profile.yaml>", description = "The load profile.")
    Path profileFile;

    @Option(names = "--runs-dir", paramLabel = "<dir>", description = "Where run folders go (default: runs/ in the project).")
    Path runsDir;

    @Option(names = "--metrics-host", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "Address of the Prometheus endpoint (default: ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(names = "--metrics-port", paramLabel = "<port>", defaultValue = "9464",
            description = "Port of the Prometheus endpoint, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        long startNanos = System.nanoTime();
        LoadProfile profile;
        try {
            profile = new ProfileLoader().load(profileFile);
        } catch (ProfileException e) {
            System.err.println("fleetbench: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        Path home = ProjectHome.locate();
        String runId = LocalDateTime.now().format(RUN_ID) + "-" + profile.name();
        Path runDir = (runsDir != null ? runsDir : home.resolve("runs")).resolve(runId).toAbsolutePath();
        Files.createDirectories(runDir);
        // Before the first logger exists: library logs go to the run folder, not over the live line.
        System.setProperty("org.slf4j.simpleLogger.logFile", runDir.resolve("fleetbench.log").toString());
        System.out.printf("run %s: %s (%,d events at %,.0f/s over %s); folder %s%n", runId, profile.name(),
                profile.targetEvents(), profile.rate(), Durations.format(profile.duration()), runDir);

        LoadRun.Settings settings = new LoadRun.Settings(home, runDir, runId, startNanos, metricsHost, metricsPort,
                StackConfig.defaults(), System.out, System.console() != null);
        RunReport report = new LoadRun(profile, profileFile, settings).execute();
        System.out.print(ReportWriter.write(report, runDir));
        System.out.println("report: " + runDir.resolve("report.json"));
        return report.audit().passed() ? ExitCode.OK : ExitCode.ERROR;
    }
}
