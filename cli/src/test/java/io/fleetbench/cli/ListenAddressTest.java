package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every server a command starts listens on the loopback address unless a person asks otherwise: the local emulators
 * and the run's Kinesis proxy, the ingestion endpoint ({@code --bind-address}), and the metrics endpoint
 * ({@code --metrics-host}).
 */
class ListenAddressTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    @Test
    void theStackAndTheMetricsEndpointListenOnTheLoopbackAddressByDefault() {
        for (Class<?> command : List.of(RunCommand.class, ConsumeCommand.class, IngestCommand.class, StackCommand.Up.class)) {
            CommandLine.Model.OptionSpec option = new CommandLine(command).getCommandSpec().findOption("--bind-address");
            assertEquals("127.0.0.1", option.defaultValue(), command.getSimpleName());
        }
        for (Class<?> command : List.of(RunCommand.class, SimulateCommand.class, ConsumeCommand.class,
                IngestCommand.class, TableCommand.Health.class)) {
            CommandLine.Model.OptionSpec option = new CommandLine(command).getCommandSpec().findOption("--metrics-host");
            assertEquals("127.0.0.1", option.defaultValue(), command.getSimpleName());
        }
    }

    @Test
    void aBindAddressThatIsNoIpAddressExitsTwoBeforeARunFolderExists(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\n");
        Path runs = dir.resolve("runs");

        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString(),
                "--bind-address", "ci-runner.example.org"));

        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("--bind-address ci-runner.example.org: the bind address must be an IPv4 or IPv6"
                + " address such as 127.0.0.1 or 0.0.0.0, found \"ci-runner.example.org\""), message);
        assertFalse(Files.exists(runs));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("stack", "up", "--bind-address", "300.1.2.3"));
    }
}
