package io.fleetbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.report.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A team's own pipeline, loaded and audited: the reference pipeline runs as a separate {@code fleetbench
 * consume} process, and {@code fleetbench run --pipeline external} knows it only by the stream it reads and
 * the lake it writes. Midway through the load the consumer gets SIGTERM, finishes its commit, checkpoints
 * and exits 0; a new process with the same worker id takes the leases back and goes on; the audit of the
 * lake is exact. A run killed with SIGKILL mid-load is judged afterwards by {@code fleetbench audit}, up to
 * its acknowledgement manifest's last flush. Every role is its own JVM from the built jar, on a local stack that {@code stack up} keeps
 * for them in a project folder of the test's own.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ExternalPipelineIT {
    private static final String STREAM = "it-external";
    /** 40 s of load: long enough that the consumer is stopped and restarted while events still arrive. */
    private static final String PROFILE = """
            name: it-external
            duration: 40s
            rate: 1500
            fleet: {seed: 11, cars: 300, bikes: 150}
            stream: {shards: 2}
            sink: {maxLatency: 1s}
            compaction: {enabled: false}
            drain: {timeout: 120s}
            """;

    /** HTTP/1.1: the JDK client's default h2c upgrade is not what the metrics endpoint speaks. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private Path home;
    private Path jar;
    private int kinesisPort;
    private int dynamodbPort;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void stackUp() throws Exception {
        jar = Path.of("target", "fleetbench.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the shaded jar is built in the package phase: " + jar);
        // A project folder of the test's own, so that its 'stack up' state is apart from any other.
        home = Files.createDirectories(dir.resolve("home"));
        Files.createSymbolicLink(home.resolve("local"), ProjectHome.locate().resolve("local"));
        kinesisPort = freePort();
        dynamodbPort = freePort();
        Process up = fleetbench(dir.resolve("stack-up.out"), "stack", "up", "--kinesis-port",
                Integer.toString(kinesisPort), "--dynamodb-port", Integer.toString(dynamodbPort));
        assertEquals(0, await(up, Duration.ofMinutes(2), dir.resolve("stack-up.out")), read(dir.resolve("stack-up.out")));
    }

    @AfterEach
    void stackDown() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
        }
        Process down = fleetbench(dir.resolve("stack-down.out"), "stack", "down");
        await(down, Duration.ofMinutes(1), dir.resolve("stack-down.out"));
    }

    @Test
    void aConsumerStoppedBySigtermMidLoadAndRestartedLeavesAnExactLake() throws Exception {
        Path profile = Files.writeString(dir.resolve("it-external.yaml"), PROFILE);
        Path lake = dir.resolve("lake");
        int healthPort = freePort();
        Path firstLog = dir.resolve("consume-1.out");
        Process first = consume(profile, lake, healthPort, firstLog);
        Path runLog = dir.resolve("run.out");
        Process run = fleetbench(runLog, "run", profile.toString(), "--pipeline", "external", "--lake",
                lake.toString(), "--stream", STREAM, "--ready-url", "http://127.0.0.1:" + healthPort + "/health",
                "--kinesis-port", Integer.toString(kinesisPort), "--dynamodb-port", Integer.toString(dynamodbPort),
                "--metrics-port", "0", "--quiet-period", "5s", "--runs-dir", dir.resolve("runs").toString());

        awaitRows(healthPort, Duration.ofMinutes(3), firstLog);
        first.destroy();
        assertEquals(ExitCode.OK, await(first, Duration.ofMinutes(2), firstLog), read(firstLog));
        String stopped = read(firstLog);
        assertTrue(stopped.contains("stopping: finishing the commit in progress and checkpointing"), stopped);
        assertTrue(stopped.contains("stopped: "), stopped);
        assertTrue(run.isAlive(), "the load must still be running when the consumer restarts: " + read(runLog));

        Path secondLog = dir.resolve("consume-2.out");
        Process second = consume(profile, lake, healthPort, secondLog);
        int runExit = await(run, Duration.ofMinutes(6), runLog);
        String output = read(runLog);
        assertEquals(ExitCode.OK, runExit, output);
        assertTrue(output.contains("pipeline: external, writing " + lake), output);

        JsonNode report = report(dir.resolve("runs"));
        JsonNode audit = report.get("audit");
        assertTrue(audit.get("passed").asBoolean(), audit.toString());
        assertEquals(0, audit.get("lost").asLong(), audit.toString());
        assertEquals(0, audit.get("duplicated").asLong(), audit.toString());
        long acknowledged = report.get("producer").get("acknowledged").asLong();
        assertTrue(acknowledged >= 50_000, "the load is 60,000 events: " + acknowledged);
        assertEquals(acknowledged, report.get("pipeline").get("rows_committed").asLong(), report.toString());

        second.destroy();
        assertEquals(ExitCode.OK, await(second, Duration.ofMinutes(2), secondLog), read(secondLog));
        assertTrue(read(secondLog).contains("rows and 0 dead letters committed by this worker"), read(secondLog));
    }

    @Test
    @Tag("faults")
    void aRunKilledMidLoadIsJudgedAfterwardsUpToItsManifestsLastFlush() throws Exception {
        Path profile = Files.writeString(dir.resolve("it-external.yaml"), PROFILE);
        Path lake = dir.resolve("lake");
        int healthPort = freePort();
        Path consumeLog = dir.resolve("consume.out");
        Process consumer = consume(profile, lake, healthPort, consumeLog);
        Path runs = dir.resolve("runs");
        Path runLog = dir.resolve("run.out");
        Process run = fleetbench(runLog, "run", profile.toString(), "--pipeline", "external", "--lake",
                lake.toString(), "--stream", STREAM, "--ready-url", "http://127.0.0.1:" + healthPort + "/health",
                "--kinesis-port", Integer.toString(kinesisPort), "--dynamodb-port", Integer.toString(dynamodbPort),
                "--metrics-port", "0", "--runs-dir", runs.toString());
        awaitRows(healthPort, Duration.ofMinutes(3), consumeLog);
        Path runDir = runFolder(runs);
        Path manifest = runDir.resolve("acks.manifest");
        // Kill it once a flush of the manifest records acknowledged events, well before the load ends.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (acknowledgedIn(manifest) == 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertTrue(acknowledgedIn(manifest) > 0, "no manifest with acknowledged events: " + read(runLog));
        assertTrue(run.isAlive(), read(runLog));
        run.destroyForcibly();
        run.waitFor();
        long acknowledged = acknowledgedIn(manifest);

        // The consumer goes on reading what the stream holds; wait until the lake stands still.
        awaitSettled(healthPort, acknowledged, Duration.ofMinutes(2), consumeLog);
        Path auditLog = dir.resolve("audit.out");
        Process audit = fleetbench(auditLog, "audit", runDir.toString());
        assertEquals(ExitCode.OK, await(audit, Duration.ofMinutes(2), auditLog), read(auditLog));
        String text = read(auditLog);
        assertTrue(text.contains("the acknowledgement manifest is incomplete"), text);
        JsonNode verdict = new ObjectMapper().readTree(runDir.resolve("audit-report.json").toFile()).get("audit");
        assertTrue(verdict.get("passed").asBoolean(), verdict.toString());
        assertEquals(false, verdict.get("manifest_complete").asBoolean(), verdict.toString());
        assertEquals(acknowledged, verdict.get("acknowledged").asLong(), verdict.toString());
        assertEquals(0, verdict.get("lost").asLong(), verdict.toString());
        assertEquals(0, verdict.get("unexpected").asLong(), verdict.toString());
        assertEquals(0, verdict.get("duplicated").asLong(), verdict.toString());
        // Every acknowledged event is there once; what the killed run sent after its last flush is counted apart.
        assertTrue(verdict.get("distinct_events").asLong() >= acknowledged, verdict.toString());
        assertTrue(verdict.get("not_in_manifest").asLong() > 0, verdict.toString());
        assertEquals(verdict.get("rows_in_lake").asLong(), acknowledged + verdict.get("not_in_manifest").asLong(),
                verdict.toString());

        // A folder without a manifest is bad input, named.
        Path empty = Files.createDirectories(dir.resolve("empty-run"));
        Process refused = fleetbench(dir.resolve("refused.out"), "audit", empty.toString(), "--lake", lake.toString());
        assertEquals(ExitCode.BAD_INPUT, await(refused, Duration.ofMinutes(1), dir.resolve("refused.out")));
        assertTrue(read(dir.resolve("refused.out")).contains("holds no acknowledgement manifest"),
                read(dir.resolve("refused.out")));
        consumer.destroy();
        assertEquals(ExitCode.OK, await(consumer, Duration.ofMinutes(2), consumeLog), read(consumeLog));
    }

    /** The acknowledged events a manifest's header counts, 0 while there is none. */
    private static long acknowledgedIn(Path manifest) throws IOException {
        if (!Files.isRegularFile(manifest)) {
            return 0;
        }
        return io.fleetbench.telemetry.manifest.AckManifest.readHeader(manifest).counts()
                .getOrDefault("acknowledged", 0L);
    }

    private static Path runFolder(Path runs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(runs)) {
                try (Stream<Path> s = Files.list(runs)) {
                    java.util.Optional<Path> d = s.filter(Files::isDirectory).findFirst();
                    if (d.isPresent()) {
                        return d.get();
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("no run folder under " + runs);
    }

    /** Waits until the consumer has written at least {@code atLeast} rows and then nothing for 5 s. */
    private static void awaitSettled(int metricsPort, long atLeast, Duration timeout, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = -1;
        long stillSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            double rows = rowsWritten(metricsPort);
            if (rows != last) {
                last = rows;
                stillSince = System.nanoTime();
            } else if (rows >= atLeast && System.nanoTime() - stillSince > TimeUnit.SECONDS.toNanos(5)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError("the lake did not settle with at least " + atLeast + " rows in " + timeout
                + " (last " + last + "): " + read(log));
    }

    private static double rowsWritten(int metricsPort) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith("fleetbench_sink_written_rows_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private Process consume(Path profile, Path lake, int metricsPort, Path log) throws IOException {
        return fleetbench(log, "consume", profile.toString(), "--stream", STREAM, "--lake", lake.toString(),
                "--worker-id", "it-worker", "--kinesis-port", Integer.toString(kinesisPort), "--dynamodb-port",
                Integer.toString(dynamodbPort), "--metrics-port", Integer.toString(metricsPort), "--runs-dir",
                dir.resolve("consume-runs").toString());
    }

    /** Waits until the consumer has committed rows, as its metrics endpoint says. */
    private static void awaitRows(int metricsPort, Duration timeout, Path log) throws Exception {
        HttpClient http = HTTP;
        URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                if (body.lines().anyMatch(l -> l.startsWith("fleetbench_sink_written_rows_total{")
                        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0)) {
                    return;
                }
            } catch (IOException notYet) {
                // The consumer is still starting.
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError("the consumer committed no rows in " + timeout + ": " + read(log));
    }

    private Process fleetbench(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + ProjectHome.PROPERTY + "=" + home, "-Daws.cborEnabled=false", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    private static int await(Process p, Duration timeout, Path log) throws Exception {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no exit within " + timeout + ": " + read(log));
        }
        return p.exitValue();
    }

    private static JsonNode report(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            Path file = s.map(d -> d.resolve("report.json")).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new AssertionError("no report.json under " + runs));
            return new ObjectMapper().readTree(file.toFile());
        }
    }

    private static String read(Path log) throws IOException {
        return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
