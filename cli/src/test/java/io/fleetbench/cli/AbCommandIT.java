package io.fleetbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.report.ExitCode;
import io.fleetbench.localstack.ProjectHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fleetbench ab} of the freshly built jar against itself, as a separate process like CI runs it:
 * with the test-only sink slowdown on the candidate it reports the sink's busy time per row as a
 * regression and exits 98. The same comparison without the slowdown (exit 0) takes as long again, so it
 * runs only with the Maven profile {@code ab-self} ({@code -Pab-self}).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class AbCommandIT {
    /** A few seconds of load on one shard: each run is short, the pipeline's start-up dominates it. */
    private static final String PROFILE = """
            name: it-ab
            duration: 4s
            rate: 1500
            fleet: {seed: 7, cars: 200, bikes: 100}
            stream: {shards: 1}
            sink: {maxLatency: 1s}
            compaction: {enabled: false}
            drain: {timeout: 60s}
            """;

    @TempDir
    Path dir;

    @Test
    void aSlowerSinkIsARegressionAndExitsNinetyEight() throws Exception {
        Result r = ab(List.of("--candidate-java-option", "-Dfleetbench.test.sinkSlowdown=2.0"));
        assertEquals(ExitCode.REGRESSION, r.exit, r.output);
        JsonNode busy = metric(r.abJson, "sink.busy_us_per_row");
        assertEquals("REGRESSION", busy.get("verdict").asText(), busy.toString());
        assertTrue(busy.get("ratio").asDouble() > 1.5, busy.toString());
        assertTrue(busy.get("interval_low").asDouble() > 1, busy.toString());
        assertEquals(2, busy.get("candidate").size());
        assertTrue(r.output.contains("verdict: REGRESSION in sink.busy_us_per_row"), r.output);
        assertTrue(r.output.contains("run 3 of 4: candidate 2"), r.output);
        assertTrue(r.output.contains("run 4 of 4: baseline 2"), r.output);
        String junit = Files.readString(r.abJson.resolveSibling("junit.xml"));
        assertTrue(junit.contains("<failure message=\"sink.busy_us_per_row: candidate median"), junit);
        assertTrue(Files.readString(r.abJson.resolveSibling("ab.md")).contains("**REGRESSION**"));
    }

    @Test
    @EnabledIfSystemProperty(named = "fleetbench.it.abSelf", matches = "true", disabledReason = "takes as long again"
            + " as the slowdown case, which would push mvn verify past its time budget; runs with -Pab-self, and"
            + " .ci/run checks the same with ab --baseline HEAD on the CI profile")
    void theSameBuildAgainstItselfIsNoRegression() throws Exception {
        Result r = ab(List.of());
        assertEquals(ExitCode.OK, r.exit, r.output);
        assertEquals("NO_CHANGE", metric(r.abJson, "sink.busy_us_per_row").get("verdict").asText(), r.output);
    }

    private record Result(int exit, String output, Path abJson) {
    }

    /**
     * Runs {@code ab} of the built jar against itself, 2 runs each, judging the sink's busy time per row with a
     * tolerance wide enough for a shared machine's noise between runs of the same build.
     */
    private Result ab(List<String> extra) throws Exception {
        Path jar = Path.of("target", "fleetbench.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the shaded jar is built in the package phase: " + jar);
        Path profile = Files.writeString(dir.resolve("it-ab.yaml"), PROFILE);
        Path runs = dir.resolve("runs");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + ProjectHome.PROPERTY + "=" + ProjectHome.locate(), "-Daws.cborEnabled=false",
                "-jar", jar.toString(), "ab", "--baseline", jar.toString(), "--candidate", jar.toString(),
                "--runs", "2", "--runs-dir", runs.toString(), "--metric", "sink.busy_us_per_row", "--tolerance", "50%",
                "--kinesis-port", Integer.toString(freePort()), "--dynamodb-port", Integer.toString(freePort())));
        command.addAll(extra);
        command.add(profile.toString());
        Path log = dir.resolve("ab.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("ab did not finish in 10 minutes: " + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Path abJson;
        try (Stream<Path> s = Files.list(runs)) {
            abJson = s.filter(d -> d.getFileName().toString().startsWith("ab-")).map(d -> d.resolve("ab.json"))
                    .filter(Files::isRegularFile).findFirst().orElseThrow(() -> new AssertionError("no ab.json: " + output));
        }
        return new Result(p.exitValue(), output, abJson);
    }

    private static JsonNode metric(Path abJson, String key) throws IOException {
        for (JsonNode m : new ObjectMapper().readTree(abJson.toFile()).get("comparison").get("metrics")) {
            if (m.get("metric").asText().equals(key)) {
                return m;
            }
        }
        throw new AssertionError("no " + key + " in " + abJson);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
