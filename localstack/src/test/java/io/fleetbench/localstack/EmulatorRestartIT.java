package io.fleetbench.localstack;

import io.fleetbench.simulator.KinesisClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An emulator of a stack the run started is killed and started again in place: a new process on the same port and
 * address, which has lost what it held in memory, while the other emulator goes on untouched.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmulatorRestartIT {
    @TempDir
    Path logs;

    private final PrintStream progress = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void aRestartedEmulatorComesBackEmptyOnItsPortAndAddressAndTheOtherOneIsLeftAlone() throws Exception {
        StackConfig config = StackConfig.defaults().withPorts(freePort(), freePort());
        try (LocalStack stack = LocalStack.start(config, ProjectHome.locate(), logs, progress);
             KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 4)) {
            assertEquals(List.of("kinesalite", "dynalite"), stack.emulatorNames());
            StreamAdmin.createAndAwaitActive(kinesis, "restart-it", 1, Duration.ofSeconds(30));
            List<Long> before = stack.pids();

            Duration took = stack.restart("kinesalite");

            List<Long> after = stack.pids();
            assertNotEquals(before.get(0), after.get(0), "kinesalite runs in a new process");
            assertFalse(ProcessHandle.of(before.get(0)).map(ProcessHandle::isAlive).orElse(false),
                    "the old kinesalite process is gone");
            assertEquals(before.get(1), after.get(1), "dynalite was left alone");
            assertTrue(took.compareTo(config.startTimeout()) < 0, "took " + took);
            assertTrue(Ports.answers(config.bindAddress(), config.kinesisPort()));
            assertEquals(List.of(), kinesis.listStreams().join().streamNames(), "kinesalite keeps its streams in memory");
            if (ListeningSockets.available()) {
                assertEquals(List.of(InetAddress.getLoopbackAddress()), ListeningSockets.on(config.kinesisPort()),
                        "the new process listens where the old one did, on the loopback address only");
            }
            String log = Files.readString(logs.resolve("kinesalite.log"));
            assertEquals(2, log.split("Listening at", -1).length - 1, "both processes log into one file: " + log);

            stack.restart("dynalite");
            assertNotEquals(after.get(1), stack.pids().get(1), "dynalite runs in a new process");
            assertTrue(Ports.answers(config.bindAddress(), config.dynamoPort()));

            StackException unknown = assertThrows(StackException.class, () -> stack.restart("redis"));
            assertEquals("cannot restart redis: the stack runs kinesalite and dynalite", unknown.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
