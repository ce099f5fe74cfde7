package io.fleetbench.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStackTest {
    private static final long NO_SUCH_PID = 999_999_999L;

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(out, true, StandardCharsets.UTF_8);

    @Test
    void refusesATakenKinesisPortBeforeStartingAnything() throws IOException {
        Files.createDirectories(home.resolve("local"));
        try (ServerSocket taken = new ServerSocket(0)) {
            StackConfig config = StackConfig.defaults().withPorts(taken.getLocalPort(), freePort());
            Path logs = home.resolve("runs").resolve("r1");

            PortInUseException e = assertThrows(PortInUseException.class,
                    () -> LocalStack.start(config, home, logs, progress));

            assertEquals(taken.getLocalPort(), e.port());
            assertEquals("kinesalite", e.emulator());
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " for kinesalite"), e.getMessage());
            assertFalse(Files.exists(logs), "nothing, not even the log folder, is created before the port check");
        }
    }

    @Test
    void refusesATakenDynamoPortNamingDynalite() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            StackConfig config = StackConfig.defaults().withPorts(freePort(), taken.getLocalPort());

            PortInUseException e = assertThrows(PortInUseException.class,
                    () -> LocalStack.start(config, home, home.resolve("logs"), progress));

            assertEquals("dynalite", e.emulator());
            assertEquals(taken.getLocalPort(), e.port());
        }
    }

    @Test
    void refusesTheKinesisLocalTlsPortToo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            StackConfig base = StackConfig.defaults().withStreamEmulator(StreamEmulator.KINESIS_LOCAL);
            StackConfig config = new StackConfig(base.streamEmulator(), freePort(), freePort(), taken.getLocalPort(),
                    base.shardLimit(), base.startTimeout(), base.stopGrace());

            PortInUseException e = assertThrows(PortInUseException.class,
                    () -> LocalStack.start(config, home, home.resolve("logs"), progress));

            assertEquals("kinesis-local", e.emulator());
        }
    }

    @Test
    void stateFileRoundTrips() {
        StackState state = new StackState(StreamEmulator.KINESALITE, List.of(
                new StackState.Entry("kinesalite", 123, 1_700_000_000_000L, 4567, "/tmp/k.log"),
                new StackState.Entry("dynalite", 124, 1_700_000_000_001L, 4568, "/tmp/d.log")));
        Path file = StackState.file(home);

        state.write(file);

        assertEquals(home.resolve("runs").resolve("stack.json"), file);
        assertEquals(state, StackState.read(file).orElseThrow());
    }

    @Test
    void noStateFileMeansNoStack() {
        assertTrue(StackState.read(StackState.file(home)).isEmpty());
        assertEquals(List.of(), LocalStack.status(home));
        assertFalse(LocalStack.down(home, Duration.ZERO, progress));
    }

    @Test
    void statusTellsARecycledPidFromTheRecordedProcess() throws IOException {
        ProcessHandle self = ProcessHandle.current();
        int port;
        try (ServerSocket listening = new ServerSocket(0)) {
            port = listening.getLocalPort();
            new StackState(StreamEmulator.KINESALITE, List.of(
                    new StackState.Entry("kinesalite", self.pid(), Processes.startedAtMillis(self), port, "k.log"),
                    new StackState.Entry("dynalite", self.pid(), Processes.startedAtMillis(self) - 10_000, freePort(), "d.log"),
                    new StackState.Entry("gone", NO_SUCH_PID, 1, freePort(), "g.log")))
                    .write(StackState.file(home));

            List<EmulatorStatus> status = LocalStack.status(home);

            assertEquals(new EmulatorStatus("kinesalite", self.pid(), port, true, true), status.get(0));
            assertFalse(status.get(1).running(), "same pid, other start time: not the process that was recorded");
            assertFalse(status.get(1).answers());
            assertFalse(status.get(2).running());
        }
    }

    @Test
    void downOfAStackThatDiedDeletesTheStateFile() {
        new StackState(StreamEmulator.KINESALITE, List.of(
                new StackState.Entry("kinesalite", NO_SUCH_PID, 1, 4567, "k.log")))
                .write(StackState.file(home));

        assertTrue(LocalStack.down(home, Duration.ZERO, progress));

        assertFalse(Files.exists(StackState.file(home)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("kinesalite (pid " + NO_SUCH_PID + ") is not running"));
    }

    @Test
    void projectHomeIsFoundAboveTheWorkingDirectory() throws IOException {
        Files.createDirectories(home.resolve("local"));
        Files.writeString(home.resolve("local").resolve("package.json"), "{}");
        Path deep = Files.createDirectories(home.resolve("cli").resolve("target"));

        assertEquals(home.toRealPath(), ProjectHome.locateFrom(deep).toRealPath());
        assertThrows(StackException.class, () -> ProjectHome.locateFrom(home.getParent()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
