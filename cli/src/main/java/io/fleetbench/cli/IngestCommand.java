package io.fleetbench.cli;

import io.fleetbench.ingest.IngestConfig;
import io.fleetbench.ingest.IngestCredentials;
import io.fleetbench.ingest.IngestServer;
import io.fleetbench.ingest.IngestStats;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.localstack.StreamAdmin;
import io.fleetbench.profile.DataSize;
import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.metrics.MetricsServer;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.simulator.ProducerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import sun.misc.Signal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code fleetbench ingest}: the reference HTTP ingestion endpoint as a long-running service in front of a Kinesis
 * stream (see docs/ingest.md). It serves {@code /metrics} and {@code /health} on the metrics port besides the
 * endpoint's own {@code /health}; SIGTERM or SIGINT stops taking requests, answers those in flight once their events
 * are decided, and exits 0.
 */
@Command(name = "ingest", description = "Serve the reference HTTP ingestion endpoint: devices POST events, which are"
        + " validated and put into a Kinesis stream, each request answered once its events are decided, until SIGTERM"
        + " or SIGINT, which answer the requests in flight first. See docs/ingest.md.")
final class IngestCommand implements Callable<Integer> {
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    @Option(names = "--stream", paramLabel = "<name>", required = true, description = "The Kinesis stream to put into.")
    String stream;

    @Option(names = "--target", paramLabel = "local|aws", defaultValue = "local",
            description = "local: the local stack on its default ports (started, or the one 'stack up' keeps) and the"
                    + " stream created if missing; aws: the AWS SDK default credential chain and region (AWS_REGION),"
                    + " a stream that exists (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--endpoint-url", paramLabel = "<url>",
            description = "A Kinesis endpoint that runs already, such as an emulator at http://127.0.0.1:4567; it"
                    + " overrides --target, and the stream must exist.")
    URI endpointUrl;

    @Option(names = "--shards", paramLabel = "<n>", defaultValue = "1",
            description = "Shards of the stream when --target local creates it (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--port", paramLabel = "<port>", defaultValue = "8080",
            description = "Port of the endpoint, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind-address", paramLabel = "<address>", defaultValue = IngestConfig.DEFAULT_HOST,
            description = "Address the endpoint listens on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for"
                    + " every interface).")
    String bindAddress;

    @Option(names = "--path", paramLabel = "<path>", defaultValue = IngestConfig.DEFAULT_PATH,
            description = "Where events are posted (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--max-body", paramLabel = "<size>", defaultValue = "1MiB", converter = Converters.Size.class,
            description = "Largest request body; a larger one is answered 413 (default: ${DEFAULT-VALUE}).")
    DataSize maxBody;

    @Option(names = "--max-events-per-request", paramLabel = "<n>",
            defaultValue = "" + IngestConfig.DEFAULT_MAX_EVENTS_PER_REQUEST,
            description = "Most events one request may carry; more is answered 413 (default: ${DEFAULT-VALUE}).")
    int maxEventsPerRequest;

    @Option(names = "--max-buffered-events", paramLabel = "<n>",
            defaultValue = "" + IngestConfig.DEFAULT_MAX_BUFFERED_EVENTS,
            description = "Most events accepted and not yet decided; a request that would take them over is answered"
                    + " 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxBufferedEvents;

    @Option(names = "--retry-after", paramLabel = "<seconds>", defaultValue = "" + IngestConfig.DEFAULT_RETRY_AFTER_SECONDS,
            description = "Seconds a 503 answer advertises in Retry-After (default: ${DEFAULT-VALUE}).")
    int retryAfter;

    @Option(names = "--aggregation", description = "Pack events into KPL-compatible aggregated records, which the KCL"
            + " de-aggregates (default: off, one Kinesis record per event).")
    boolean aggregation;

    @Mixin
    Secrets secrets;

    @Mixin
    MetricsOptions metricsOptions;

    @Override
    public Integer call() throws Exception {
        if (!"local".equals(target) && !"aws".equals(target)) {
            System.err.println("fleetbench: --target must be local or aws, found \"" + target + "\"");
            return ExitCode.BAD_INPUT;
        }
        IngestConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench: ingest: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Vertx.vertx();
        boolean local = endpointUrl == null && "local".equals(target);
        try (LocalStack stack = local ? LocalStack.startOrReuse(StackConfig.defaults(), ProjectHome.locate(), logDir(),
                System.out) : null;
             KinesisAsyncClient kinesis = KinesisClients.create(stack != null ? Optional.of(stack.kinesisEndpoint())
                     : Optional.ofNullable(endpointUrl), config.producer().maxInFlightRequests() + 4)) {
            if (stack != null) {
                StreamAdmin.createAndAwaitActive(kinesis, stream, shards, STREAM_TIMEOUT);
            }
            AtomicBoolean started = new AtomicBoolean();
            IngestServer[] server = new IngestServer[1];
            try (MetricsServer metrics = MetricsServer.start(vertx, registry, null,
                    () -> !started.get() ? Optional.of("starting")
                            : server[0].accepting() ? Optional.empty() : Optional.of("draining"),
                    metricsOptions.host, metricsOptions.port)) {
                System.out.printf("metrics: http://%s:%d/metrics, health: http://%s:%d/health%n", metricsOptions.host,
                        metrics.port(), metricsOptions.host, metrics.port());
                CountDownLatch stop = new CountDownLatch(1);
                Signal.handle(new Signal("TERM"), s -> stop.countDown());
                Signal.handle(new Signal("INT"), s -> stop.countDown());
                try {
                    server[0] = IngestServer.start(vertx, kinesis, config, registry).toCompletionStage()
                            .toCompletableFuture().get(STREAM_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    System.err.println("fleetbench: ingest: " + e.getCause().getMessage());
                    return ExitCode.ERROR;
                }
                started.set(true);
                System.out.printf("ingest: listening on %s, putting into %s; credentials: %s; SIGTERM or SIGINT stops"
                        + " after the requests in flight%n", server[0].url(), stream, config.credentials());
                while (!stop.await(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.out.println("ingest: " + line(server[0].stats()));
                }
                System.out.println("stopping: refusing new requests, answering those in flight");
                IngestStats last = server[0].stop().toCompletionStage().toCompletableFuture()
                        .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                System.out.println("stopped: " + line(last));
                return ExitCode.OK;
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private IngestConfig config() throws IOException {
        ProducerConfig producer = ProducerConfig.defaults(stream).withAggregation(aggregation);
        if (maxBody.bytes() > IngestConfig.MAX_BODY_BYTES_LIMIT) {
            throw new IllegalArgumentException("--max-body must be at most 64MiB, found " + maxBody);
        }
        return IngestConfig.defaults(stream).withListen(bindAddress, port).withPath(path)
                .withRequestLimits((int) maxBody.bytes(), maxEventsPerRequest).withMaxBufferedEvents(maxBufferedEvents)
                .withRetryAfterSeconds(retryAfter).withCredentials(secrets.credentials()).withProducer(producer);
    }

    /** Where the emulators' logs go when this command starts them. */
    private static Path logDir() throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Files.createDirectories(ProjectHome.locate().resolve("runs").resolve("ingest-" + stamp));
    }

    private static String line(IngestStats s) {
        StringBuilder rejected = new StringBuilder();
        s.rejectedByReason().forEach((reason, n) -> rejected.append(rejected.length() == 0 ? "" : ", ")
                .append(reason.label()).append(' ').append(String.format("%,d", n)));
        return String.format("%,d events accepted, %,d acknowledged, %,d failed, %,d ambiguous, %,d pending; requests"
                        + " by status %s; events rejected: %s", s.eventsAccepted(), s.eventsAcknowledged(),
                s.eventsFailed(), s.eventsAmbiguous(), s.eventsPending(), s.requestsByStatus(), rejected);
    }

    /**
     * The accepted credentials, read once from an environment variable or a file (one secret a line, blank lines
     * ignored) and never printed.
     */
    static final class Secrets {
        @Option(names = "--api-key-env", paramLabel = "<NAME>",
                description = "Accept the API key in this environment variable, sent in the --api-key-header header.")
        String apiKeyEnv;

        @Option(names = "--api-key-file", paramLabel = "<file>",
                description = "Accept the API keys in this file, one a line.")
        Path apiKeyFile;

        @Option(names = "--api-key-header", paramLabel = "<header>", defaultValue = IngestCredentials.DEFAULT_API_KEY_HEADER,
                description = "The header API keys are sent in (default: ${DEFAULT-VALUE}).")
        String apiKeyHeader;

        @Option(names = "--bearer-token-env", paramLabel = "<NAME>",
                description = "Accept the bearer token in this environment variable (Authorization: Bearer <token>).")
        String bearerTokenEnv;

        @Option(names = "--bearer-token-file", paramLabel = "<file>",
                description = "Accept the bearer tokens in this file, one a line.")
        Path bearerTokenFile;

        /** The credentials these options name; none without any. */
        IngestCredentials credentials() throws IOException {
            boolean keys = apiKeyEnv != null || apiKeyFile != null;
            boolean tokens = bearerTokenEnv != null || bearerTokenFile != null;
            if (keys && tokens) {
                throw new IllegalArgumentException("give API keys (--api-key-env, --api-key-file) or bearer tokens"
                        + " (--bearer-token-env, --bearer-token-file), not both");
            }
            if (keys) {
                return IngestCredentials.apiKeys(apiKeyHeader, read(apiKeyEnv, apiKeyFile, "--api-key"));
            }
            return tokens ? IngestCredentials.bearerTokens(read(bearerTokenEnv, bearerTokenFile, "--bearer-token"))
                    : IngestCredentials.none();
        }

        private static Set<String> read(String env, Path file, String option) throws IOException {
            Set<String> secrets = new LinkedHashSet<>();
            if (env != null) {
                String value = System.getenv(env);
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException(option + "-env " + env + ": the environment variable is not set"
                            + " or empty");
                }
                secrets.add(value.strip());
            }
            if (file != null) {
                if (!Files.isReadable(file)) {
                    throw new IllegalArgumentException(option + "-file " + file + ": no such readable file");
                }
                List<String> lines = Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty())
                        .toList();
                if (lines.isEmpty()) {
                    throw new IllegalArgumentException(option + "-file " + file + ": the file holds no secret");
                }
                secrets.addAll(lines);
            }
            return secrets;
        }
    }
}
