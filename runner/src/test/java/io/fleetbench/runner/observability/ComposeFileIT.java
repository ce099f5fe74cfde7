package io.fleetbench.runner.observability;

import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.runner.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validates {@code local/docker-compose.yml} with Compose itself ({@code docker-compose config}, which needs no
 * Docker engine), with and without the emulators' profile.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ComposeFileIT {

    @Test
    void composeAcceptsTheFile() throws Exception {
        Path compose = RequiredTool.DOCKER_COMPOSE.require();
        Path file = ProjectHome.locate().resolve("local").resolve("docker-compose.yml");
        for (String profile : new String[] {"", "emulators"}) {
            ProcessBuilder pb = profile.isEmpty()
                    ? new ProcessBuilder(compose.toString(), "-f", file.toString(), "config", "-q")
                    : new ProcessBuilder(compose.toString(), "-f", file.toString(), "--profile", profile, "config", "-q");
            Process p = pb.redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docker-compose config did not finish");
            assertEquals(0, p.exitValue(), "docker-compose config " + (profile.isEmpty() ? "" : "--profile " + profile)
                    + " refused " + file + ": " + output);
        }
    }
}
