package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.report.RunReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
    void anExternalPipelineNeedsItsLakeAndStreamAndTheChoiceIsChecked(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString(),
                "--pipeline", "external"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString(),
                "--pipeline", "external", "--lake", dir.resolve("lake").toString()));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString(),
                "--pipeline", "spark"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("run --pipeline external needs --lake, the root of the tables it writes"), text);
        assertTrue(text.contains("run --pipeline external needs the stream the pipeline reads: give --stream or the"
                + " profile's stream.name"), text);
        assertTrue(text.contains("--pipeline must be reference or external, found \"spark\""), text);
        assertFalse(Files.exists(runs), "a run folder was created for a refused run");
    }

    @Test
    void emulatorRestartsUnderAnExternalPipelineAreRefusedBeforeARunFolderExists(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\nstream: {name: s}\n"
                + "infrastructure:\n  restarts: [{emulator: dynalite, at: 2s}]\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString(),
                "--pipeline", "external", "--lake", dir.resolve("lake").toString()));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("fleetbench: infrastructure.restarts: the emulators are restarted under the reference"
                + " pipeline only"), text);
        assertFalse(Files.exists(runs), "a run folder was created for a refused run");
    }

    @Test
    void consumeNeedsAStreamAndRefusesABadProfileBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\n");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: p\nduration: 5s\nrate: 10\nstream:\n  shard: 2\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("consume", profile.toString(), "--runs-dir", runs.toString()));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("consume", bad.toString(), "--stream", "s", "--runs-dir",
                runs.toString()));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("consume", profile.toString(), "--stream", "s", "--target", "gcp",
                "--runs-dir", runs.toString()));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("consume needs a stream: give --stream or the profile's stream.name"), text);
        assertTrue(text.contains(bad + ":5: unknown key \"stream.shard\""), text);
        assertTrue(text.contains("--target must be local or aws, found \"gcp\""), text);
        assertFalse(Files.exists(runs), "a folder was created for a refused consume");
    }

    @Test
    void ingestRefusesBadOptionsBeforeAnythingStartsAndNeverPrintsASecret(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys"), "s3cret-key\n");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ingest"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ingest", "--stream", "s", "--api-key-file", keys.toString(),
                "--bearer-token-env", "FLEETBENCH_NO_SUCH_VARIABLE"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ingest", "--stream", "s", "--bearer-token-env",
                "FLEETBENCH_NO_SUCH_VARIABLE"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ingest", "--stream", "s", "--api-key-file",
                dir.resolve("missing").toString()));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ingest", "--stream", "s", "--max-buffered-events", "10"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("ingest", "--stream", "s", "--target", "gcp"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Missing required option: '--stream=<name>'"), text);
        assertTrue(text.contains("give API keys (--api-key-env, --api-key-file) or bearer tokens"), text);
        assertTrue(text.contains("--bearer-token-env FLEETBENCH_NO_SUCH_VARIABLE: the environment variable is not set"),
                text);
        assertTrue(text.contains("--api-key-file " + dir.resolve("missing") + ": no such readable file"), text);
        assertTrue(text.contains("maxBufferedEvents must be >= maxEventsPerRequest (500)"), text);
        assertTrue(text.contains("--target must be local or aws, found \"gcp\""), text);
        assertFalse(text.contains("s3cret-key"), text);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", "--no-such-option", "x.yaml"));
    }

    @Test
    void aMalformedThresholdExitsTwoNamingLineAndKeyBeforeARunFolderExists(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"),
                "name: p\nduration: 5s\nrate: 10\nthresholds:\n  producer.put_latency_p99_ms: [\"< 2s\"]\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("profiles", "validate", profile.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(profile + ":5: thresholds.producer.put_latency_p99_ms has"
                + " a malformed condition \"< 2s\""), err.toString());
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString()));
        assertFalse(Files.exists(runs), "a run folder was created for a refused profile");
    }

    @Test
    void abortOnFailOnAMetricOfTheEndExitsTwoNamingLineAndKeyBeforeARunFolderExists(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "name: p\nduration: 5s\nrate: 10\nthresholds:\n"
                + "  audit.lost:\n    - {threshold: \"== 0\", abortOnFail: true}\n");
        Path runs = dir.resolve("runs");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("run", profile.toString(), "--runs-dir", runs.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(profile + ":6: thresholds.audit.lost[0].abortOnFail cannot"
                + " be true for audit.lost: it has a value only once the run has ended"), err.toString());
        assertFalse(Files.exists(runs), "a run folder was created for a refused profile");
    }

    @Test
    void aRunStoppedByAnAbortOnFailThresholdExitsNinetyNineUnlessTheAuditFailed() {
        RunReport.Producer producer = new RunReport.Producer(1, 1, 1, 1, 1, 0, Map.of(), 0, 0, 0, 1, 1, 1);
        RunReport.Audit passed = new RunReport.Audit(true, true, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 0, 0, 0, 0L, 0, true, List.of(), List.of(), List.of());
        RunReport.Audit failed = new RunReport.Audit(false, true, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 0, 0, 0, 0L, 0, true, List.of(), List.of(), List.of("lost"));
        // The condition that stopped the load may hold again at the end; the run still did not do what was asked.
        List<RunReport.ThresholdResult> ok = List.of(new RunReport.ThresholdResult("producer.put_latency_p99_ms", "< 10",
                5.0, true));
        RunReport.Aborted aborted = new RunReport.Aborted("producer.put_latency_p99_ms", "< 10", 12.0, 3.0);
        RunReport report = new RunReport("r", "p", "p.yaml", "t", 1, producer, null, null, null, null, null, passed);
        assertEquals(ExitCode.THRESHOLD_FAILED, RunCommand.exitCode(report.withAborted(aborted).withThresholds(ok)));
        RunReport lost = new RunReport("r", "p", "p.yaml", "t", 1, producer, null, null, null, null, null, failed);
        assertEquals(ExitCode.ERROR, RunCommand.exitCode(lost.withThresholds(ok).withAborted(aborted)));
    }

    @Test
    void aFailedThresholdExitsNinetyNineUnlessTheAuditFailed() {
        RunReport.Producer producer = new RunReport.Producer(1, 1, 1, 1, 1, 0, Map.of(), 0, 0, 0, 1, 1, 1);
        RunReport.Audit passed = new RunReport.Audit(true, true, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 0, 0, 0, 0L, 0, true, List.of(), List.of(), List.of());
        RunReport.Audit failed = new RunReport.Audit(false, true, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 0, 0, 0, 0L, 0, true, List.of(), List.of(), List.of("lost"));
        List<RunReport.ThresholdResult> ok = List.of(new RunReport.ThresholdResult("audit.lost", "== 0", 0.0, true));
        List<RunReport.ThresholdResult> bad = List.of(new RunReport.ThresholdResult("audit.lost", "== 0", 1.0, false));
        RunReport report = new RunReport("r", "p", "p.yaml", "t", 1, producer, null, null, null, null, null, passed);
        assertEquals(ExitCode.OK, RunCommand.exitCode(report));
        assertEquals(ExitCode.OK, RunCommand.exitCode(report.withThresholds(ok)));
        assertEquals(ExitCode.THRESHOLD_FAILED, RunCommand.exitCode(report.withThresholds(bad)));
        RunReport lost = new RunReport("r", "p", "p.yaml", "t", 1, producer, null, null, null, null, null, failed);
        assertEquals(ExitCode.ERROR, RunCommand.exitCode(lost.withThresholds(bad)));
        assertEquals(99, ExitCode.THRESHOLD_FAILED);
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
