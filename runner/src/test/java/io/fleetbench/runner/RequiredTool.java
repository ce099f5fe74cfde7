package io.fleetbench.runner;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program from a Debian package that an integration test runs: a missing one skips the test, or fails
 * it when the environment variable {@value #REQUIRE} is {@code 1} (as in {@code .ci/run}).
 */
public enum RequiredTool {
    /** Headless browser for the pages' tests. */
    CHROMIUM("chromium", "chromium"),
    /** The Prometheus server, to scrape a run and answer the dashboards' queries. */
    PROMETHEUS("prometheus", "prometheus"),
    /** Prometheus's command-line tool, to lint a run's metrics. */
    PROMTOOL("promtool", "prometheus"),
    /** Compose, to validate local/docker-compose.yml. */
    DOCKER_COMPOSE("docker-compose", "docker-compose");

    /** The environment variable that, set to {@code 1}, makes a missing tool fail the test instead of skipping it. */
    public static final String REQUIRE = "FLEETBENCH_REQUIRE_TOOLS";

    private final String command;
    private final String debianPackage;

    RequiredTool(String command, String debianPackage) {
        this.command = command;
        this.debianPackage = debianPackage;
    }

    /**
     * The executable on the PATH. Call it before the test does anything costly: when the tool is missing it
     * skips the test (an assumption) or, with {@value #REQUIRE}=1, fails it.
     */
    public Path require() {
        return require(System.getenv().getOrDefault("PATH", ""), "1".equals(System.getenv(REQUIRE)), System.err);
    }

    /** {@link #require()} with the search path, the switch and the console as arguments. */
    Path require(String searchPath, boolean required, PrintStream console) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String reason = command + " not on PATH (" + searchPath + "): install Debian's " + debianPackage
                + " package to run this test (sudo apt-get install " + debianPackage + ")";
        if (required) {
            return Assertions.fail(REQUIRE + "=1: " + reason);
        }
        // Failsafe prints only a count of skipped tests, not why: say which test needs what.
        console.println("[SKIPPED] " + caller() + ": " + reason + "; " + REQUIRE + "=1 makes this a failure");
        return Assumptions.abort(reason);
    }

    /** The class and method that asked: the first frame outside this class. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(RequiredTool.class.getName()))
                .findFirst().map(f -> f.getClassName() + "." + f.getMethodName()).orElse("?"));
    }
}
