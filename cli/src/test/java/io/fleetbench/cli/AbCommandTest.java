package io.fleetbench.cli;

import io.fleetbench.runner.CapturedOutput;
import io.fleetbench.report.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fleetbench ab} refuses bad input with exit 2 before it builds or runs anything. */
class AbCommandTest {
    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    @TempDir
    Path dir;

    @Test
    void aBadProfileExitsTwoAtOnce() throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: -3\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ab", "--baseline", "some-ref", "--runs-dir", runs.toString(),
                profile.toString()));
        assertTrue(output.err().contains(profile.toString()), output.err());
        assertFalse(Files.exists(runs), "nothing is created for a refused profile");
    }

    @Test
    void missingJarsAndBadOptionsExitTwo() throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 100\n");
        Path runs = dir.resolve("runs");
        Path jar = Files.writeString(dir.resolve("fleetbench.jar"), "not really a jar");
        Path missing = dir.resolve("missing.jar");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ab", "--baseline", missing.toString(), "--candidate",
                jar.toString(), "--runs-dir", runs.toString(), profile.toString()));
        assertTrue(output.err().contains("--baseline " + missing + " is not a file"), output.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ab", "--baseline", jar.toString(), "--candidate",
                missing.toString(), "--runs-dir", runs.toString(), profile.toString()));
        assertTrue(output.err().contains("--candidate " + missing + " is not a file"), output.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ab", "--baseline", jar.toString(), "--candidate",
                jar.toString(), "--runs", "0", profile.toString()));
        assertTrue(output.err().contains("--runs must be >= 1"), output.err());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ab", "--baseline", jar.toString(), "--candidate",
                jar.toString(), "--tolerance", "x=5%", profile.toString()));
        assertTrue(output.err().contains("--tolerance x=5%"), output.err());
        assertFalse(Files.exists(runs));
    }
}
