package io.fleetbench.harness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input ends with exit code 2 and a message naming the file and key, before anything starts. */
class MainTest {
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
    void aMissingProfileExitsTwoNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", missing.toString(), "--runs-dir", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(missing + ": no such load profile file"), err.toString());
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void anUnknownKeyExitsTwoNamingFileLineAndKeyBeforeARunFolderExists(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\nsink:\n  flushEvery: 1s\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(profile + ":5: unknown key \"sink.flushEvery\""), err.toString());
        assertFalse(Files.exists(runs), "a run folder was created for a refused profile");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--no-such-option", "x.yaml"));
    }

    @Test
    void validateExitsTwoForAnInvalidProfile(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), "name: g\nduration: 5s\nrate: 10\n");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: b\nduration: 5s\nrate: -1\n");
        assertEquals(ExitCode.OK, Main.execute("profiles", "validate", good.toString()));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("profiles", "validate", good.toString(), bad.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(bad + ":3: rate must be in"), err.toString());
    }

    @Test
    void runOnAwsIsRefusedWithAPointerToSimulate(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\n");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--target", "aws", "--runs-dir", dir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("fleetbench simulate <profile> --target aws"), err.toString());
    }

    @Test
    void simulateOnAwsWithoutAStreamExitsTwoBeforeARunFolderExists(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("simulate", profile.toString(), "--target", "aws",
                "--runs-dir", runs.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--target aws needs a stream that exists"), err.toString());
        assertFalse(Files.exists(runs));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("simulate", profile.toString(), "--target", "mars"));
    }

    @Test
    void compactingAPathWithoutADeltaTableExitsTwoNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("no-table");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compact", missing.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no Delta table at or below " + missing), err.toString());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compact", missing.toString(), "--target-file-size", "huge"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compact", missing.toString(), "--interval", "10s"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("compact: --interval needs --continuous"), err.toString());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compact", missing.toString(), "--table-target-file-size",
                "car_telemetry=big"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--table-target-file-size car_telemetry: expected a size"),
                err.toString());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compact", missing.toString(), "--bins-per-commit", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("binsPerCommit must be >= 1, found 0"), err.toString());
    }
}
