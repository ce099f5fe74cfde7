package io.fleetbench.cli;

import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.localstack.StreamAdmin;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.SinkSlowdown;
import io.fleetbench.runner.metrics.MetricsServer;
import io.fleetbench.runner.metrics.RunMeters;
import io.fleetbench.runner.pipeline.PipelineProgress;
import io.fleetbench.runner.pipeline.ReferencePipeline;
import io.fleetbench.runner.pipeline.StreamAccess;
import io.fleetbench.simulator.KinesisClients;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code fleetbench consume <profile>}: the reference pipeline's reading half as a long-running service,
 * one worker among any number: the KCL worker takes leases on the stream's shards beside the other
 * workers of the same application, and the Delta sink commits each shard's records exactly once. It
 * serves {@code /metrics} and {@code /health}; SIGTERM or SIGINT lets the commit in progress finish,
 * checkpoints, and exits 0.
 */
@Command(name = "consume", description = "Run the KCL worker and the Delta lake sink as a service: read the profile's"
        + " stream into Delta tables until SIGTERM or SIGINT, which let the commit in progress finish and checkpoint.")
final class ConsumeCommand implements Callable<Integer> {
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    @Mixin
    RunOptions options;

    @Option(names = "--target", paramLabel = "local|aws", defaultValue = "local",
            description = "local: the local stack (started, or the one 'stack up' keeps) and the stream created if"
                    + " missing; aws: the AWS SDK default credential chain and region, a stream that exists"
                    + " (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--stream", paramLabel = "<name>",
            description = "The stream (default: the profile's stream.name); also the KCL application and the sink's id.")
    String stream;

    @Option(names = "--lake", paramLabel = "<dir or URI>",
            description = "Where the Delta tables go (default: lake/ in this command's folder under runs/).")
    String lake;

    @Option(names = "--worker-id", paramLabel = "<id>",
            description = "The KCL worker id; a restarted worker that keeps its id takes its leases back sooner"
                    + " (default: the consumer's own, host and process).")
    String workerId;

    @Option(names = "--compact", description = "Also run the compactor behind the sink, with the profile's compaction"
            + " settings (default: off; 'fleetbench compact --continuous' is the compactor as a role of its own).")
    boolean compact;

    @Mixin
    StackPorts ports;

    @Override
    public Integer call() throws Exception {
        if (!"local".equals(target) && !"aws".equals(target)) {
            System.err.println("fleetbench: --target must be local or aws, found \"" + target + "\"");
            return ExitCode.BAD_INPUT;
        }
        LoadProfile profile = options.loadOrExplain();
        if (profile == null) {
            return ExitCode.BAD_INPUT;
        }
        String name = stream != null ? stream : profile.stream().name();
        if (name == null) {
            System.err.println("fleetbench: consume needs a stream: give --stream or the profile's stream.name");
            return ExitCode.BAD_INPUT;
        }
        StackConfig stackConfig = ports.applyOrExplain(StackConfig.defaults());
        if (stackConfig == null) {
            return ExitCode.BAD_INPUT;
        }
        RunOptions.Prepared folder = options.createRunFolder(profile, "consume");
        String lakeRoot = lake != null ? lake : folder.runDir().resolve("lake").toString();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMeters.configure(registry, folder.runId());
        Vertx vertx = Vertx.vertx();
        try (LocalStack stack = "local".equals(target)
                ? LocalStack.startOrReuse(stackConfig, folder.home(), folder.runDir(), System.out) : null) {
            StreamAccess access = streamAccess(stack, name, profile.stream().shards());
            ReferencePipeline pipeline = new ReferencePipeline(profile, lakeRoot,
                    ReferencePipeline.sinkConfig(profile, lakeRoot, name).withSlowdown(SinkSlowdown.fromSystemProperty()),
                    Optional.ofNullable(workerId), compact, registry);
            AtomicBoolean started = new AtomicBoolean();
            try (MetricsServer server = MetricsServer.start(vertx, registry, null,
                    () -> !started.get() ? Optional.of("starting") : pipeline.failure().map(f -> "failed: " + f.getMessage()),
                    options.metrics.host, options.metrics.port)) {
                System.out.printf("metrics: http://%s:%d/metrics, health: http://%s:%d/health%n", options.metrics.host,
                        server.port(), options.metrics.host, server.port());
                CountDownLatch stop = new CountDownLatch(1);
                Signal.handle(new Signal("TERM"), s -> stop.countDown());
                Signal.handle(new Signal("INT"), s -> stop.countDown());
                try {
                    pipeline.start(access);
                    started.set(true);
                    System.out.printf("consuming %s into %s; SIGTERM or SIGINT stops after the commit in progress%n",
                            name, lakeRoot);
                    int exit = serve(pipeline, stop);
                    System.out.println("stopping: finishing the commit in progress and checkpointing");
                    pipeline.stop();
                    PipelineProgress last = pipeline.progress();
                    System.out.printf("stopped: %,d rows and %,d dead letters committed by this worker%n",
                            last.rowsCommitted(), last.deadLetters());
                    return exit;
                } finally {
                    pipeline.close();
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Waits for a signal, printing progress; returns the exit code: 0 when a signal stopped it, 1 when the pipeline failed. */
    private static int serve(ReferencePipeline pipeline, CountDownLatch stop) throws InterruptedException {
        while (!stop.await(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
            Optional<Throwable> failure = pipeline.failure();
            if (failure.isPresent()) {
                System.err.println("fleetbench: consume: the pipeline stopped: " + failure.get().getMessage());
                return ExitCode.ERROR;
            }
            PipelineProgress p = pipeline.progress();
            System.out.printf("consume: %,d rows, %,d dead letters committed; lag %,d ms%n", p.rowsCommitted(),
                    p.deadLetters(), p.lagMillis());
        }
        return ExitCode.OK;
    }

    /** The stream on the local stack, created if missing, or on AWS, where it must exist. */
    private static StreamAccess streamAccess(LocalStack stack, String name, int shards) throws InterruptedException {
        if (stack == null) {
            return new StreamAccess(name, shards, Optional.empty(), Optional.empty());
        }
        URI kinesisEndpoint = stack.kinesisEndpoint();
        try (var kinesis = KinesisClients.create(Optional.of(kinesisEndpoint), 4)) {
            StreamAdmin.createAndAwaitActive(kinesis, name, shards, STREAM_TIMEOUT);
        }
        return new StreamAccess(name, shards, Optional.of(kinesisEndpoint), Optional.of(stack.dynamoEndpoint()));
    }
}
