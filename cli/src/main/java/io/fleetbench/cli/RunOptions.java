package io.fleetbench.cli;

import io.fleetbench.report.cost.Prices;
import io.fleetbench.report.cost.PricesException;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileException;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.profile.ProfileSummary;
import io.fleetbench.runner.ProfileMapping;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The profile and options {@code run} and {@code simulate} share, and the steps before either starts. */
final class RunOptions {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Parameters(index = "0", paramLabel = "<profile.yaml>", description = "The load profile.")
    Path profileFile;

    @Option(names = "--runs-dir", paramLabel = "<dir>", description = "Where run folders go (default: runs/ in the project).")
    Path runsDir;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--prices", paramLabel = "<file>", description = "AWS prices for the cost model in the report"
            + " (default: pricing/aws-prices.yaml in the project; without one, the cost has no dollars).")
    Path pricesFile;

    /** The project folder, run id and run folder that {@link #createRunFolder} made. */
    record Prepared(Path home, String runId, Path runDir) {
    }

    /**
     * Loads the profile and checks that this build can run it; prints the reason and returns null if not.
     * Nothing is created before this passes.
     */
    LoadProfile loadOrExplain() {
        try {
            LoadProfile profile = new ProfileLoader().load(profileFile);
            // The simulator's own checks (e.g. a fleet too large for one JVM) run here too, before anything starts.
            ProfileMapping.simulatorConfig(profile, "check");
            return profile;
        } catch (ProfileException e) {
            System.err.println("fleetbench: " + e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench: " + profileFile + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * The prices for the cost model, checked before anything starts: {@code --prices}, else the project's
     * file; empty when there is neither. Prints the reason and returns null if they cannot be used.
     */
    Optional<Prices> pricesOrExplain() {
        try {
            return Optional.ofNullable(Prices.resolve(pricesFile, projectHome()));
        } catch (PricesException e) {
            System.err.println("fleetbench: " + e.getMessage());
            return null;
        }
    }

    /** The project folder, or null when there is none. */
    static Path projectHome() {
        try {
            return ProjectHome.locate();
        } catch (StackException e) {
            return null;
        }
    }

    /** Creates the run folder, sends library logs there and prints what the run will do. */
    Prepared createRunFolder(LoadProfile profile, String verb) throws IOException {
        Path home = ProjectHome.locate();
        String runId = LocalDateTime.now().format(RUN_ID) + "-" + profile.name();
        Path runDir = (runsDir != null ? runsDir : home.resolve("runs")).resolve(runId).toAbsolutePath();
        Files.createDirectories(runDir);
        // Before the first logger exists: library logs go to the run folder, not over the live line.
        System.setProperty("org.slf4j.simpleLogger.logFile", runDir.resolve("fleetbench.log").toString());
        System.out.printf("%s %s: %s; folder %s%n", verb, runId, ProfileSummary.describe(profile), runDir);
        return new Prepared(home, runId, runDir);
    }
}
