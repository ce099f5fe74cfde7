package io.fleetbench.runner;

import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;

import io.fleetbench.report.cost.Prices;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs a profile through the real local pipeline on free ports, for integration tests. */
final class LocalRuns {

    /** A finished run: its report, what it printed, and the ports its emulators used. */
    record Finished(RunReport report, String console, int kinesisPort, int dynamoPort) {
    }

    private LocalRuns() {
    }

    static Finished run(String profileYaml, Path runDir) throws Exception {
        return run(profileYaml, runDir, 0);
    }

    /** Runs a profile with its metrics and live dashboard on a given port (0: any free port). */
    static Finished run(String profileYaml, Path runDir, int metricsPort) throws Exception {
        var profile = new ProfileLoader().parse("it.yaml", profileYaml);
        int kinesisPort = freePort();
        int dynamoPort = freePort();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        var settings = new LoadRun.Settings(ProjectHome.locate(), runDir, "it-" + System.nanoTime(), System.nanoTime(),
                "127.0.0.1", metricsPort, StackConfig.defaults().withPorts(kinesisPort, dynamoPort),
                new PrintStream(console, true, StandardCharsets.UTF_8), false);
        // The project's prices, so that the cost in the report has dollars as in a run of the command.
        RunReport report = new LoadRun(profile, Path.of("it.yaml"), settings,
                Prices.resolve(null, ProjectHome.locate())).execute();
        ReportWriter.write(report, runDir);
        return new Finished(report, console.toString(StandardCharsets.UTF_8), kinesisPort, dynamoPort);
    }

    static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
