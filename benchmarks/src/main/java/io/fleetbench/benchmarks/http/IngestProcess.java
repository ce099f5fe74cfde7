package io.fleetbench.benchmarks.http;

import java.io.IOException;
import java.net.ConnectException;
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

/**
 * The reference ingestion endpoint, {@code fleetbench ingest --aggregation}, in a JVM of its own (started from this
 * JVM's classpath, which must be the fleetbench jar's) so that its CPU time is its own: read from
 * {@code /proc/<pid>/stat}. Its requests and events come from its Prometheus endpoint.
 */
final class IngestProcess implements AutoCloseable {
    /** The command line's main class: the endpoint is started exactly as {@code fleetbench ingest} starts it. */
    static final String MAIN = "io.fleetbench.cli.Main";
    private static final String PATH = "/v1/telemetry";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> command;
    private final int port;
    private final int metricsPort;
    private final Path log;
    /** Stops the endpoint with this JVM (Ctrl-C) if it was not closed before. */
    private final Thread stopHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private IngestProcess(Process process, List<String> command, int port, int metricsPort, Path log) {
        this.process = process;
        this.command = command;
        this.port = port;
        this.metricsPort = metricsPort;
        this.log = log;
        this.stopHook = new Thread(process::destroy, "fleetbench-endpoint-stop");
        Runtime.getRuntime().addShutdownHook(stopHook);
    }

    /** The endpoint's requests and acknowledged events, and its CPU time, at one moment. */
    record Sample(double cpuSeconds, long requests2xx, long eventsAcknowledged) {
    }

    /**
     * Whether the endpoint can be started from this JVM's classpath.
     *
     * @throws IllegalStateException if the command line's main class is not on it, saying which jar to run from
     */
    static void requireLauncher() {
        try {
            Class.forName(MAIN, false, IngestProcess.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the endpoint runs as `fleetbench ingest` in a JVM of its own, from this"
                    + " classpath, which lacks " + MAIN + ": run this benchmark from the fleetbench jar (java -cp"
                    + " cli/target/fleetbench.jar " + HttpFrontDoorBench.class.getName() + ")");
        }
    }

    /**
     * Starts the endpoint on free ports in front of an existing stream and waits until its {@code /health} answers
     * 200.
     *
     * @param home    the project directory
     * @param kinesis the Kinesis endpoint the stream is on
     * @param log     where the endpoint's output goes
     * @throws IllegalStateException if it exits or is not healthy within 90 s, with the end of its log
     */
    static IngestProcess start(Path home, String stream, URI kinesis, Path log)
            throws IOException, InterruptedException {
        int port = HttpFrontDoorBench.freePort();
        int metricsPort = HttpFrontDoorBench.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                "-Daws.cborEnabled=false", "-Dfleetbench.home=" + home, "-cp", System.getProperty("java.class.path"),
                MAIN, "ingest", "--stream", stream, "--endpoint-url", kinesis.toString(), "--aggregation",
                "--port", Integer.toString(port), "--path", PATH, "--metrics-port", Integer.toString(metricsPort)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        IngestProcess endpoint = new IngestProcess(process, command, port, metricsPort, log);
        try {
            endpoint.awaitHealthy();
        } catch (RuntimeException | IOException | InterruptedException e) {
            endpoint.close();
            throw e;
        }
        return endpoint;
    }

    /** Where events are posted. */
    URI url() {
        return URI.create("http://127.0.0.1:" + port + PATH);
    }

    long pid() {
        return process.pid();
    }

    /** The command that started it. */
    List<String> command() {
        return List.copyOf(command);
    }

    /** A sample at the start of a window: the counts first, so that reading them is outside the CPU time. */
    Sample opening(ProcCpu cpu) throws IOException, InterruptedException {
        String metrics = scrape();
        return new Sample(cpu.seconds(pid()), requests2xx(metrics), eventsAcknowledged(metrics));
    }

    /** A sample at the end of a window: the CPU time first, so that reading the counts is outside it. */
    Sample closing(ProcCpu cpu) throws IOException, InterruptedException {
        double seconds = cpu.seconds(pid());
        String metrics = scrape();
        return new Sample(seconds, requests2xx(metrics), eventsAcknowledged(metrics));
    }

    /** Stops it as SIGTERM does, answering the requests in flight; kills it if it has not exited within a minute. */
    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(stopHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook stops it already.
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the endpoint exited with " + process.exitValue() + " before it was"
                        + " healthy: " + String.join(" ", command) + "\n" + tail());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException notYet) {
                // Not listening yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the endpoint's /health did not answer 200 within " + START_TIMEOUT
                        + ": " + String.join(" ", command) + "\n" + tail());
            }
            Thread.sleep(200);
        }
    }

    private String scrape() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the endpoint's /metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** The endpoint's requests answered 2xx, from {@code fleetbench_ingest_requests_total} by status. */
    static long requests2xx(String metrics) {
        return sum(metrics, "fleetbench_ingest_requests_total", "status=\"2");
    }

    /** Events the stream acknowledged, {@code fleetbench_ingest_events_acknowledged_total}. */
    static long eventsAcknowledged(String metrics) {
        return sum(metrics, "fleetbench_ingest_events_acknowledged_total", "");
    }

    /** The sum of a Prometheus counter's samples whose labels contain {@code label}. */
    private static long sum(String metrics, String name, String label) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name) && (line.charAt(name.length()) == ' ' || line.charAt(name.length()) == '{')
                    && line.contains(label)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(total);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(its log " + log + " cannot be read: " + e.getMessage() + ")";
        }
    }
}
