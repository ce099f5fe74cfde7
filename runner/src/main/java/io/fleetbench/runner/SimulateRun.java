package io.fleetbench.runner;

import io.fleetbench.localstack.StreamAdmin;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;

import io.fleetbench.runner.metrics.MetricsServer;
import io.fleetbench.runner.metrics.RunMeters;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.simulator.LoadShape;
import io.fleetbench.simulator.EventTarget;
import io.fleetbench.simulator.Simulator;
import io.fleetbench.simulator.http.HttpTarget;
import io.fleetbench.simulator.SimulatorConfig;
import io.fleetbench.simulator.SimulatorResult;
import io.fleetbench.simulator.SimulatorStats;
import io.fleetbench.runner.audit.AuditTarget;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Produces a load profile into a stream without the pipeline behind it: the local emulator (started
 * here, stream created) or a real Kinesis stream that must already exist (AWS SDK default
 * credential chain and region). The report has the producer and load sections only; the run folder also gets
 * the producer's acknowledgement manifest ({@code acks.manifest}).
 */
public final class SimulateRun {
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);

    /** Where the stream is. */
    public enum Target {
        /** The local emulator, started (or reused) by the run. */
        LOCAL,
        /** Amazon Kinesis Data Streams with the default credential chain and region. */
        AWS,
        /** An HTTP ingestion API: the profile's {@code http.url} or {@link Settings#url()}; no stream of its own. */
        HTTP
    }

    /**
     * Where and how the run happens.
     *
     * @param home        the project folder (holds {@code local/})
     * @param runDir      this run's folder: logs and report
     * @param runId       this run's id
     * @param target      local emulator or AWS
     * @param stream      the stream; empty for the profile's {@code stream.name} (or, locally, a generated name)
     * @param metricsHost address the metrics endpoint binds to
     * @param metricsPort its port; 0 for any free port
     * @param stack       the local emulators
     * @param out         where the live line and messages go
     * @param terminal    whether {@code out} is a terminal
     * @param url         with {@link Target#HTTP}, where the requests go instead of the profile's {@code http.url}
     */
    public record Settings(Path home, Path runDir, String runId, Target target, Optional<String> stream,
                           String metricsHost, int metricsPort, StackConfig stack, PrintStream out, boolean terminal,
                           Optional<URI> url) {
    }

    private final LoadProfile profile;
    private final Path profileFile;
    private final Settings settings;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public SimulateRun(LoadProfile profile, Path profileFile, Settings settings) {
        this.profile = profile;
        this.profileFile = profileFile;
        this.settings = settings;
        RunMeters.configure(registry, settings.runId());
    }

    /**
     * The stream this run would produce to, or why there is none, or why the target does not fit the profile (an
     * {@code http.url} profile needs {@link Target#HTTP}; {@link Target#AWS} puts straight into a stream).
     */
    public static String streamName(LoadProfile profile, Settings settings) throws RunRefusedException {
        if (settings.target() != Target.HTTP && profile.target() == LoadProfile.Target.HTTP
                && profile.http().url() != null) {
            throw new RunRefusedException("the profile sends HTTP requests to its http.url " + profile.http().url()
                    + ": use --target http (--target " + settings.target().name().toLowerCase(Locale.ROOT)
                    + " puts into a stream)");
        }
        if (settings.target() == Target.AWS && profile.target() == LoadProfile.Target.HTTP) {
            throw new RunRefusedException("--target aws puts straight into a stream; the profile has target: http:"
                    + " aim it at your API with http.url and --target http");
        }
        Optional<String> named = settings.stream().or(() -> Optional.ofNullable(profile.stream().name()));
        if (named.isPresent()) {
            return named.get();
        }
        if (settings.target() == Target.AWS) {
            throw new RunRefusedException("--target aws needs a stream that exists: pass --stream <name> or set stream.name"
                    + " in the profile");
        }
        if (settings.target() == Target.HTTP && profile.http().format().equals("kinesis")) {
            throw new RunRefusedException("--target http with http.format kinesis names the stream in every body: pass"
                    + " --stream <name> or set stream.name in the profile");
        }
        return "fleetbench-" + profile.name() + "-" + settings.runId().replaceAll("[^0-9]", "");
    }

    /** Produces the profile and reports; throws {@link RunRefusedException} before sending if the target is not usable. */
    public RunReport execute() throws Exception {
        Instant startedAt = Instant.now();
        long startNanos = System.nanoTime();
        String stream = streamName(profile, settings);
        SimulatorConfig config = ProfileMapping.simulatorConfig(profile, stream);
        if (settings.runDir() != null) {
            config = config.withManifest(settings.runDir().resolve(AckManifest.FILE_NAME));
            // No lake of its own: `fleetbench audit <run folder> --lake <root>` judges the tables a pipeline wrote.
            new AuditTarget(settings.runId(), profileFile.toString(), stream, null,
                    ProfileMapping.schemaChangeVersion(profile))
                    .write(settings.runDir());
        }
        Vertx vertx = Vertx.vertx();
        try (MetricsServer metrics = MetricsServer.start(vertx, registry, settings.metricsHost(), settings.metricsPort())) {
            settings.out().printf("metrics: http://%s:%d/metrics%n", settings.metricsHost(), metrics.port());
            if (settings.target() == Target.HTTP) {
                HttpTarget http = httpTarget(stream, settings.url().or(() -> Optional.ofNullable(profile.http().url())));
                settings.out().printf("http: %s, %s bodies over HTTP/%s, auth %s%n", http.config().url(),
                        profile.http().format(), profile.http().version(), http.config().auth().describe());
                if (profile.infrastructure().any() || !profile.infrastructure().restarts().isEmpty()) {
                    settings.out().println("infrastructure faults: not injected into an HTTP API (the local proxy"
                            + " injects them on the Kinesis path)");
                }
                Sent sent = send(vertx, http, config);
                return report(startedAt, startNanos, sent).withHttp(HttpFigures.of(http, null));
            }
            if (settings.target() == Target.AWS) {
                try (KinesisAsyncClient kinesis = awsClient(config)) {
                    requireActive(kinesis, stream);
                    settings.out().printf("stream %s on Amazon Kinesis%n", stream);
                    if (profile.infrastructure().any()) {
                        settings.out().println("infrastructure faults: not injected on Amazon Kinesis (the local proxy"
                                + " injects them)");
                    }
                    if (!profile.infrastructure().restarts().isEmpty()) {
                        settings.out().println("infrastructure.restarts: ignored on Amazon Kinesis (only the local"
                                + " emulators are restarted)");
                    }
                    return report(startedAt, startNanos, send(vertx, EventTarget.kinesis(kinesis,
                            config.producerConfig()), config));
                }
            }
            try (LocalStack stack = LocalStack.startOrReuse(settings.stack(), settings.home(), settings.runDir(),
                    settings.out());
                 StreamEndpoint endpoint = StreamEndpoint.open(vertx, stack, profile.producer().shardLimits(),
                         ProfileMapping.proxyFaults(profile), registry, settings.out());
                 KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(endpoint.uri()),
                         2 * config.maxInFlightRequests())) {
                StreamAdmin.createAndAwaitActive(kinesis, stream, profile.stream().shards(), STREAM_TIMEOUT);
                settings.out().printf("stream %s: %d shards on %s%n", stream, profile.stream().shards(), stack.streamEmulator());
                if (!profile.infrastructure().restarts().isEmpty()) {
                    settings.out().println("infrastructure.restarts: ignored by simulate, which has no pipeline whose"
                            + " leases and checkpoints to put back; `fleetbench run` restarts the emulators");
                }
                if (profile.target() == LoadProfile.Target.HTTP) {
                    // The fleet's requests through the run's own ingestion endpoint in front of the local stream.
                    try (FrontDoor frontDoor = FrontDoor.start(vertx, kinesis, config.producerConfig(),
                            profile.http().endpoint().maxBufferedEvents(), ProfileMapping.endpointFaults(profile),
                            registry)) {
                        HttpTarget http = httpTarget(stream, Optional.of(frontDoor.url()));
                        settings.out().printf("http: %s, the ingestion endpoint in front of stream %s%n",
                                frontDoor.url(), stream);
                        Sent sent = send(vertx, http, config);
                        frontDoor.stop(FrontDoor.stopTimeout(config.producerConfig()));
                        return report(startedAt, startNanos, sent, frontDoor.shardLoad())
                                .withInfrastructure(endpoint.infrastructure())
                                .withHttp(HttpFigures.of(http, frontDoor.figures()));
                    }
                }
                return report(startedAt, startNanos, send(vertx, EventTarget.kinesis(kinesis, config.producerConfig()),
                        config)).withInfrastructure(endpoint.infrastructure());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static KinesisAsyncClient awsClient(SimulatorConfig config) throws RunRefusedException {
        try {
            return KinesisClients.create(Optional.empty(), 2 * config.maxInFlightRequests());
        } catch (SdkClientException e) {
            throw new RunRefusedException("--target aws: cannot set up the AWS client (region from AWS_REGION or"
                    + " ~/.aws/config): " + e.getMessage());
        }
    }

    private static void requireActive(KinesisAsyncClient kinesis, String stream) throws RunRefusedException {
        StreamStatus status;
        try {
            status = kinesis.describeStreamSummary(b -> b.streamName(stream)).join().streamDescriptionSummary()
                    .streamStatus();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                throw new RunRefusedException("--target aws: stream " + stream + " does not exist in this account and"
                        + " region; create it first (fleetbench does not create AWS streams)");
            }
            throw new RunRefusedException("--target aws: cannot describe stream " + stream + ": "
                    + e.getCause().getMessage());
        }
        if (status != StreamStatus.ACTIVE && status != StreamStatus.UPDATING) {
            throw new RunRefusedException("--target aws: stream " + stream + " is " + status + ", expected ACTIVE");
        }
    }

    private record Sent(SimulatorResult result, RunReport.Load load, RunReport.Aborted aborted) {
    }

    /** The HTTP target of a profile, at {@code url}; refused when there is none, or a secret cannot be read. */
    private HttpTarget httpTarget(String stream, Optional<URI> url) throws RunRefusedException {
        if (url.isEmpty()) {
            throw new RunRefusedException("--target http needs a URL: pass --url <url> or set http.url in the profile");
        }
        try {
            return new HttpTarget(ProfileMapping.httpTarget(profile, stream, url.get(), ProfileMapping.httpAuth(profile)));
        } catch (IllegalArgumentException e) {
            throw new RunRefusedException(e.getMessage());
        }
    }

    private Sent send(Vertx vertx, EventTarget target, SimulatorConfig config) throws InterruptedException {
        LiveLine progress = new LiveLine(settings.out(), settings.terminal());
        LoadShape shape = ProfileMapping.loadShape(profile);
        Simulator simulator = new Simulator(vertx, target, config, shape, registry);
        CompletableFuture<SimulatorResult> sending = simulator.start().toCompletionStage().toCompletableFuture();
        long start = System.nanoTime();
        LiveThresholds live = new LiveThresholds(profile.thresholds());
        RunReport.Aborted aborted = null;
        while (true) {
            try {
                SimulatorResult result = sending.get(1, TimeUnit.SECONDS);
                progress.show(sample("done", start, result.stats()));
                progress.finish();
                return new Sent(result, LoadReport.load(profile, shape, simulator.shortfallByStage(), result), aborted);
            } catch (TimeoutException e) {
                SimulatorStats snapshot = simulator.snapshot();
                progress.show(sample("send", start, snapshot));
                if (aborted == null && !live.isEmpty()) {
                    // Without a pipeline only the producer's and the load's figures have a value.
                    aborted = live.firstFailure(LiveThresholds.Sample.of((System.nanoTime() - start) / 1e9, snapshot,
                            simulator.putLatencySoFar())).orElse(null);
                    if (aborted != null) {
                        progress.finish();
                        settings.out().printf("abort: threshold %s %s failed at %.1f s of the load, observed %s;"
                                        + " stopping the load and draining what was sent%n", aborted.threshold(),
                                aborted.condition(), aborted.atSeconds(), ReportWriter.number(aborted.observed()));
                        simulator.stop();
                    }
                }
            } catch (ExecutionException e) {
                progress.finish();
                throw new IllegalStateException("the simulator failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private LiveLine.Sample sample(String phase, long since, SimulatorStats s) {
        return new LiveLine.Sample(phase, Duration.ofNanos(System.nanoTime() - since), profile.duration(), s.targetRate(),
                s.actualRate(), s.sent(), s.acknowledged(), s.acknowledgedAfterAmbiguous(), s.failed(), s.ambiguous(),
                s.shortfall(), -1, 0);
    }

    private RunReport report(Instant startedAt, long startNanos, Sent sent) {
        return report(startedAt, startNanos, sent, sent.result().shardLoad());
    }

    /** The report, with the shard load of whatever put into the stream (the fleet, or the ingestion endpoint). */
    private RunReport report(Instant startedAt, long startNanos, Sent sent, ShardLoadReport shardLoad) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new RunReport(settings.runId(), profile.name(), profileFile.toString(), startedAt.toString(), seconds,
                LoadReport.producer(sent.result()), sent.load(), shardLoad, null, null, null, null)
                .withAborted(sent.aborted());
    }
}
