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
                    base.shardLimit(), base.startTimeout(), base.stopGrace(), base.bindAddress());

            PortInUseException e = assertThrows(PortInUseException.class,
                    () -> LocalStack.start(config, home, home.resolve("logs"), progress));

            assertEquals("kinesis-local", e.emulator());
        }
    }

    @Test
    void stateFileRoundTrips() {
        StackState state = new StackState(StreamEmulator.KINESALITE, List.of(
                new StackState.Entry("kinesalite", 123, 1_700_000_000_000L, 4567, "/tmp/k.log"),
                new StackState.Entry("dynalite", 124, 1_700_000_000_001L, 4568, "/tmp/d.log")), "0.0.0.0");
        Path file = StackState.file(home);

        state.write(file);

        assertEquals(home.resolve("runs").resolve("stack.json"), file);
        assertEquals(state, StackState.read(file).orElseThrow());
    }

    @Test
    void aStateFileWrittenBeforeTheBindAddressWasRecordedReadsAsTheLoopbackAddress() throws IOException {
        Files.createDirectories(StackState.file(home).getParent());
        Files.writeString(StackState.file(home), """
                {"streamEmulator": "KINESALITE", "emulators": [
                  {"name": "kinesalite", "pid": 1, "startedAtMillis": 2, "port": 4567, "log": "k.log"}]}
                """);

        assertEquals("127.0.0.1", StackState.read(StackState.file(home)).orElseThrow().bindAddress());
    }

    @Test
    void theStackListensOnTheLoopbackAddressUnlessToldAndOnlyOnAnIpAddress() {
        assertEquals("127.0.0.1", StackConfig.defaults().bindAddress());
        assertEquals("0.0.0.0", StackConfig.defaults().withBindAddress("0.0.0.0").bindAddress());
        assertEquals("::1", StackConfig.defaults().withBindAddress("::1").bindAddress());
        for (String bad : List.of("localhost", "ci-runner.example.org", "300.1.2.3", "10.1.2", "", "[::1]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StackConfig.defaults().withBindAddress(bad));
            assertEquals("the bind address must be an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0, found \""
                    + bad + "\"", e.getMessage());
        }
    }

    @Test
    void aClientOnThisMachineReachesAWildcardAddressOnTheLoopbackOne() {
        assertEquals("127.0.0.1", BindAddress.clientHost("127.0.0.1"));
        assertEquals("127.0.0.1", BindAddress.clientHost("0.0.0.0"));
        assertEquals("127.0.0.1", BindAddress.clientHost("::"));
        assertEquals("10.1.2.3", BindAddress.clientHost("10.1.2.3"));
        assertEquals("[0:0:0:0:0:0:0:1]", BindAddress.clientHost("::1"));
    }

    @Test
    void kinesaliteAndKinesisLocalAreToldTheirAddressThoughNeitherHasAnOptionForIt() {
        StackConfig config = StackConfig.defaults().withBindAddress("::1");
        Path local = home.resolve("local");

        List<Emulator> kinesalite = Emulator.forConfig(config, home, true);
        assertEquals(List.of("node", local.resolve("kinesalite-listen.js").toString(), "--host", "::1", "--port", "4567",
                "--shardLimit", "100"), kinesalite.get(0).command());
        assertEquals(List.of("--host", "::1"), kinesalite.get(1).command().subList(2, 4), "dynalite has --host");

        Emulator kinesisLocal = Emulator.forConfig(config.withStreamEmulator(StreamEmulator.KINESIS_LOCAL), home, true)
                .get(0);
        assertEquals(List.of("node", "--require", local.resolve("listen-on.js").toString()),
                kinesisLocal.command().subList(0, 3));
        assertEquals("::1", kinesisLocal.env().get("FLEETBENCH_LISTEN_ADDRESS"));
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
                    new StackState.Entry("gone", NO_SUCH_PID, 1, freePort(), "g.log")), "127.0.0.1")
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
                new StackState.Entry("kinesalite", NO_SUCH_PID, 1, 4567, "k.log")), "127.0.0.1")
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
