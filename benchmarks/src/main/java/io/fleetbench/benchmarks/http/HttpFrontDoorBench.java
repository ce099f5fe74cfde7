package io.fleetbench.benchmarks.http;

import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.localstack.StreamAdmin;
import io.fleetbench.simulator.Fleet;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Requests per second per CPU core of fleetbench's HTTP target, side by side with wrk, against the reference ingestion
 * endpoint, in one invocation. It starts kinesalite on free ports with a stream, and {@code fleetbench ingest
 * --aggregation} in front of it in a JVM of its own; then each round runs wrk and then fleetbench's HTTP target
 * ({@link TargetRunner}), each with the same connections, one request at a time on each, POSTing the same body (one
 * event of the fleet with the seed, as a batch of one) for a warm-up and then the measured window. The endpoint's CPU
 * and counts are taken over each window too. Before the first round fleetbench's target sends for a while uncounted,
 * so that both JVMs run compiled code when the measuring starts. Writes {@code http-bench.txt} and
 * {@code http-bench.json} into the results folder, with the endpoint's and the emulators' logs. Needs Linux
 * ({@code /proc}) and wrk.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl cli -am package
 * java -Dfleetbench.home=. -cp cli/target/fleetbench.jar io.fleetbench.benchmarks.http.HttpFrontDoorBench \
 *     [--connections 64] [--duration 20s] [--warmup 5s] [--jit-warmup 30s] [--tick 5ms] [--rounds 3] [--seed 42] \
 *     [--shards 2] [--out target/bench-http] [--wrk /usr/bin/wrk]
 * </pre>
 *
 * Exits 0 once the report is written, 2 on a bad option or without wrk, 1 if the run failed.
 */
public final class HttpFrontDoorBench {
    private static final String STREAM = "fleetbench-bench-http";
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);
    /** How long one request may take before either client gives up on it: the HTTP target's default. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private HttpFrontDoorBench() {
    }

    public static void main(String[] args) throws Exception {
        HttpBenchSettings settings;
        try {
            settings = HttpBenchSettings.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("HttpFrontDoorBench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path out = Files.createDirectories(settings.out().toAbsolutePath());
        // Before the first logger exists: library logs go to the results folder, not between the progress lines.
        System.setProperty("org.slf4j.simpleLogger.logFile", out.resolve("bench.log").toString());
        Path body = out.resolve("body.json");
        Wrk wrk;
        try {
            IngestProcess.requireLauncher();
            wrk = Wrk.prepare(settings.wrk(), out, body);
        } catch (IllegalStateException e) {
            System.err.println("HttpFrontDoorBench: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            HttpBenchReport.Result result = run(settings, out, body, wrk);
            System.out.print(HttpBenchReport.write(result, out));
            System.out.println("results: " + out.resolve(HttpBenchReport.JSON_FILE));
        } catch (Exception e) {
            System.err.println("HttpFrontDoorBench failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static HttpBenchReport.Result run(HttpBenchSettings s, Path out, Path bodyFile, Wrk wrk) throws Exception {
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        ProcCpu cpu = ProcCpu.ofThisMachine();
        Fleet fleet = new Fleet(FleetConfig.defaults().withSeed(s.seed()));
        TelemetryEvent event = fleet.next(fleet.startEpochMillis());
        byte[] json = new JsonCodec().encode(event);
        byte[] body = new byte[json.length + 2];
        body[0] = '[';
        System.arraycopy(json, 0, body, 1, json.length);
        body[body.length - 1] = ']';
        Files.write(bodyFile, body);
        Path home = ProjectHome.locate();
        System.out.printf(Locale.ROOT, "HttpFrontDoorBench: wrk and fleetbench's HTTP target (fed every %d ms), %d"
                        + " connections each, %d rounds of %ds after a %ds warm-up each; body %,d bytes (%s of %s);"
                        + " results in %s%n", s.tick().toMillis(),
                s.connections(), s.rounds(), s.duration().getSeconds(), s.warmup().getSeconds(), body.length,
                event.family().wireName(), event.deviceId(), out);
        StackConfig stackConfig = StackConfig.defaults().withPorts(freePort(), freePort());
        try (LocalStack stack = LocalStack.start(stackConfig, home, out.resolve("stack"), System.out);
             KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 4)) {
            StreamAdmin.createAndAwaitActive(kinesis, STREAM, s.shards(), STREAM_TIMEOUT);
            try (IngestProcess endpoint = IngestProcess.start(home, STREAM, stack.kinesisEndpoint(),
                    out.resolve("endpoint.log"))) {
                System.out.printf("endpoint: %s (pid %d), stream %s of %d shards on kinesalite at %s%n",
                        endpoint.url(), endpoint.pid(), STREAM, s.shards(), stack.kinesisEndpoint());
                if (!s.jitWarmup().isZero()) {
                    System.out.printf("JIT warm-up: fleetbench's target sends for %ds, uncounted%n",
                            s.jitWarmup().getSeconds());
                    TargetRunner.window(endpoint.url(), s.connections(), s.tick(), s.jitWarmup(), Duration.ofSeconds(1),
                            event.deviceId(), json, endpoint, cpu);
                }
                List<HttpBenchReport.Round> rounds = new ArrayList<>();
                for (int r = 1; r <= s.rounds(); r++) {
                    Window w = wrkWindow(s, wrk, endpoint, cpu);
                    System.out.println(line(r, s.rounds(), "wrk       ", w));
                    Window f = TargetRunner.window(endpoint.url(), s.connections(), s.tick(), s.warmup(), s.duration(),
                            event.deviceId(), json, endpoint, cpu);
                    System.out.println(line(r, s.rounds(), "fleetbench", f));
                    HttpBenchReport.Round round = new HttpBenchReport.Round(w, f);
                    System.out.printf(Locale.ROOT, "round %d/%d: fleetbench / wrk requests/s per core %.2f (whole"
                                    + " JVM %.2f)%n", r, s.rounds(), round.ratio(), round.ratioWholeJvm());
                    rounds.add(round);
                }
                return new HttpBenchReport.Result(started, Instant.now(), s, wrk.version(), body.length,
                        event.family().wireName(), endpoint.command(), loadBefore, loadAverage(), rounds);
            }
        }
    }

    /** wrk for the warm-up, then again for the measured window, with the endpoint's CPU and counts around it. */
    private static Window wrkWindow(HttpBenchSettings s, Wrk wrk, IngestProcess endpoint, ProcCpu cpu)
            throws IOException, InterruptedException {
        String url = endpoint.url().toString();
        if (!s.warmup().isZero()) {
            wrk.run(url, s.connections(), s.warmup(), REQUEST_TIMEOUT, cpu);
        }
        IngestProcess.Sample before = endpoint.opening(cpu);
        Wrk.Run run = wrk.run(url, s.connections(), s.duration(), REQUEST_TIMEOUT, cpu);
        IngestProcess.Sample after = endpoint.closing(cpu);
        return new Window(run.seconds(), run.requests() - run.non2xx(), run.non2xx(), run.socketErrors(), run.p50Ms(),
                run.p99Ms(), run.cpuSeconds(), run.cpuSeconds(), after.cpuSeconds() - before.cpuSeconds(),
                after.requests2xx() - before.requests2xx(), after.eventsAcknowledged() - before.eventsAcknowledged());
    }

    private static String line(int round, int rounds, String client, Window w) {
        var f = w.figures();
        return String.format(Locale.ROOT, "round %d/%d %s: %,9.0f requests/s, %.2f cores, %,9.0f requests/s per core;"
                        + " %,.0f non-2xx, %,.0f errors, p50 %.1f ms; endpoint %,.0f requests/s per core, %.0f µs CPU"
                        + " per event", round, rounds, client, f.get("requests_per_s"), f.get("cpu_cores"),
                f.get("requests_per_s_per_core"), f.get("non_2xx"), f.get("errors"), f.get("latency_p50_ms"),
                f.get("endpoint_requests_per_s_per_core"), f.get("endpoint_cpu_us_per_event"));
    }

    /** The load averages over 1, 5 and 15 minutes, as {@code /proc/loadavg} gives them. */
    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }
}
