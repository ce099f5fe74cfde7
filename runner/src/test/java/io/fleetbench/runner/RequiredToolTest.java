package io.fleetbench.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where {@link RequiredTool} looks, and how a missing tool skips or fails a test. */
class RequiredToolTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    @Test
    void findsTheFirstExecutableOnThePathAndSkipsEmptyEntriesAndPlainFiles(@TempDir Path dir) throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.createFile(plain.resolve("promtool"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path promtool = Files.createFile(bin.resolve("promtool"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        String path = String.join(File.pathSeparator, "", plain.toString(), bin.toString());
        assertEquals(promtool, RequiredTool.PROMTOOL.require(path, false, out));
        assertEquals(promtool, RequiredTool.PROMTOOL.require(path, true, out));
        assertEquals("", console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingToolSkipsTheTestAndSaysWhyOnTheConsole(@TempDir Path dir) {
        TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> RequiredTool.PROMTOOL.require(dir.toString(), false, out));
        String reason = "promtool not on PATH (" + dir + "): install Debian's prometheus package to run this test"
                + " (sudo apt-get install prometheus)";
        assertEquals(reason, skip.getMessage());
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("[SKIPPED] " + RequiredToolTest.class.getName() + "."), printed);
        assertTrue(printed.endsWith(": " + reason + "; FLEETBENCH_REQUIRE_TOOLS=1 makes this a failure\n"), printed);
    }

    @Test
    void aMissingToolFailsTheTestWhenToolsAreRequired(@TempDir Path dir) {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> RequiredTool.DOCKER_COMPOSE.require(dir.toString(), true, out));
        assertEquals("FLEETBENCH_REQUIRE_TOOLS=1: docker-compose not on PATH (" + dir + "): install Debian's"
                + " docker-compose package to run this test (sudo apt-get install docker-compose)", failure.getMessage());
        assertEquals("", console.toString(StandardCharsets.UTF_8));
    }
}
