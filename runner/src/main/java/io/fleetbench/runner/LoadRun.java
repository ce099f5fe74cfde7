package io.fleetbench.runner;

import io.fleetbench.localstack.StreamAdmin;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;
import io.fleetbench.report.Thresholds;

import io.fleetbench.report.cost.CostModel;
import io.fleetbench.report.cost.CostReport;
import io.fleetbench.report.cost.Prices;
import io.fleetbench.runner.audit.AuditTarget;
import io.fleetbench.runner.audit.RunAudit;
import io.fleetbench.runner.live.LiveDashboard;
import io.fleetbench.runner.live.ReportPage;
import io.fleetbench.runner.live.RunRecorder;
import io.fleetbench.runner.metrics.MetricsServer;
import io.fleetbench.runner.metrics.RunMeters;
import io.fleetbench.runner.pipeline.ExternalPipeline;
import io.fleetbench.runner.pipeline.LakeLayout;
import io.fleetbench.runner.pipeline.PipelineChoice;
import io.fleetbench.runner.pipeline.PipelineFigures;
import io.fleetbench.runner.pipeline.PipelineProgress;
import io.fleetbench.runner.pipeline.PipelineUnderTest;
import io.fleetbench.runner.pipeline.ReferencePipeline;
import io.fleetbench.runner.pipeline.RunCompaction;
import io.fleetbench.runner.pipeline.StreamAccess;
import io.fleetbench.runner.restart.EmulatorRestarts;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.simulator.LoadShape;
import io.fleetbench.simulator.EventTarget;
import io.fleetbench.simulator.http.HttpAuth;
import io.fleetbench.simulator.http.HttpTarget;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.simulator.Simulator;
import io.fleetbench.simulator.SimulatorConfig;
import io.fleetbench.simulator.SimulatorResult;
import io.fleetbench.simulator.SimulatorStats;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of a load profile through the local pipeline: stack, stream, consumer and sink (with the
 * compactor behind it, unless the profile turns it off), then the simulator for the profile's duration,
 * a drain until the lake holds what Kinesis acknowledged, and an audit of the lake with an independent
 * reader. The file-size health of the lake's tables is served as gauges during the run and reported
 * after the compactor's last pass.
 */
public final class LoadRun {
    private static final Logger log = LoggerFactory.getLogger(LoadRun.class);
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final long TICK_MILLIS = 100;

    /**
     * Where and how a run happens.
     *
     * @param home        the project folder (holds {@code local/})
     * @param runDir      this run's folder: logs, lake, report
     * @param runId       this run's id
     * @param startNanos  when the command started ({@link System#nanoTime()}): time to first row counts from here
     * @param metricsHost address the metrics endpoint binds to
     * @param metricsPort its port; 0 for any free port
     * @param stack       the local emulators
     * @param out         where the live line and messages go
     * @param terminal    whether {@code out} is a terminal (the live line rewrites itself)
     * @param pipeline    the pipeline under test
     * @param stream      the stream's name; empty for the profile's {@code stream.name}, else a new one per run
     */
    public record Settings(Path home, Path runDir, String runId, long startNanos, String metricsHost, int metricsPort,
                           StackConfig stack, PrintStream out, boolean terminal, PipelineChoice pipeline,
                           Optional<String> stream) {
        /** Settings of a run of the reference pipeline. */
        public Settings(Path home, Path runDir, String runId, long startNanos, String metricsHost, int metricsPort,
                        StackConfig stack, PrintStream out, boolean terminal) {
            this(home, runDir, runId, startNanos, metricsHost, metricsPort, stack, out, terminal,
                    PipelineChoice.reference(), Optional.empty());
        }
    }

    private final LoadProfile profile;
    private final Path profileFile;
    private final Settings settings;
    private final Prices prices;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final RunRecorder recorder = new RunRecorder(registry, RunRecorder.DEFAULT_CAPACITY);
    // The simulator's target rate as the live line last read it; the registry has no meter of it.
    private volatile double targetRate = Double.NaN;
    // When the load started and ended, epoch milliseconds: the windows of the report's process health.
    private long loadStartMillis;
    private long loadEndMillis;

    /** A run whose cost is worked out without prices (no dollars). */
    public LoadRun(LoadProfile profile, Path profileFile, Settings settings) {
        this(profile, profileFile, settings, null);
    }

    /** A run whose cost is priced with {@code prices}; null for no dollars. */
    public LoadRun(LoadProfile profile, Path profileFile, Settings settings, Prices prices) {
        this.profile = profile;
        this.profileFile = profileFile;
        this.settings = settings;
        this.prices = prices;
        RunMeters.configure(registry, settings.runId());
        // The load generator's own health: a starved or collecting JVM shows up as shortfall and latency.
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        recorder.targetRate(() -> targetRate);
    }

    /**
     * Runs the profile, audits the lake and judges the profile's thresholds; the report says whether
     * the audit passed. Writes {@code report.html} into the run folder in any case, also when the run fails.
     */
    public RunReport execute() throws Exception {
        RunReport report = null;
        Throwable failure = null;
        try {
            report = runAndAudit();
            if (!profile.thresholds().isEmpty()) {
                report = report.withThresholds(Thresholds.judge(profile.thresholds(), report));
            }
            return report;
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            writeReportPage(report, failure);
        }
    }

    private void writeReportPage(RunReport report, Throwable failure) {
        recorder.sample(System.currentTimeMillis(), System.nanoTime());
        recorder.close();
        try {
            Path file = ReportPageWriter.write(settings.runDir(), settings.runId(), profile.name(), profileFile, report,
                    failure, recorder.history());
            if (failure != null) {
                settings.out().println("report: " + file);
            }
        } catch (IOException | RuntimeException e) {
            // Never hide the run's own outcome or error behind the page that shows it.
            log.warn("Could not write {} of run {}: {}", ReportPage.FILE, settings.runId(), e.toString());
        }
    }

    private RunReport runAndAudit() throws Exception {
        PrintStream out = settings.out();
        Optional<String> refused = EmulatorRestarts.refusal(profile, settings.pipeline().external(), false,
                settings.stack().streamEmulator());
        if (refused.isPresent()) {
            throw new RunRefusedException(refused.get());
        }
        HttpAuth httpAuth = null;
        if (profile.target() == LoadProfile.Target.HTTP) {
            if (profile.http().url() != null && !settings.pipeline().external()) {
                throw new RunRefusedException("http.url " + profile.http().url() + ": the reference pipeline reads the"
                        + " run's own stream, which only the run's own ingestion endpoint writes; leave http.url out to"
                        + " send through it, or send to your API with `fleetbench simulate --target http` and judge"
                        + " your lake with `fleetbench audit`");
            }
            try {
                httpAuth = ProfileMapping.httpAuth(profile);
            } catch (IllegalArgumentException e) {
                throw new RunRefusedException(e.getMessage());
            }
        }
        Instant startedAt = Instant.now();
        String stream = settings.stream().orElse(profile.stream().name() != null ? profile.stream().name()
                : "fleetbench-" + profile.name() + "-" + settings.runId().replaceAll("[^0-9]", ""));
        Path lake = settings.runDir().resolve("lake");
        Vertx vertx = Vertx.vertx();
        try (MetricsServer metrics = MetricsServer.start(vertx, registry, new LiveDashboard(recorder),
                settings.metricsHost(), settings.metricsPort());
             LocalStack stack = LocalStack.startOrReuse(settings.stack(), settings.home(), settings.runDir(), out);
             StreamEndpoint endpoint = StreamEndpoint.open(vertx, stack, profile.producer().shardLimits(),
                     ProfileMapping.proxyFaults(profile), profile.infrastructure().restarts(EmulatorRestarts.KINESALITE),
                     registry, out)) {
            refused = EmulatorRestarts.refusal(profile, settings.pipeline().external(), stack.reused(),
                    stack.streamEmulator());
            if (refused.isPresent()) {
                throw new RunRefusedException(refused.get());
            }
            out.printf("metrics: http://%s:%d/metrics%n", settings.metricsHost(), metrics.port());
            out.printf("dashboard: http://%s:%d/%n", settings.metricsHost(), metrics.port());
            recorder.start();
            SimulatorConfig simConfig = ProfileMapping.simulatorConfig(profile, stream)
                    .withManifest(settings.runDir().resolve(AckManifest.FILE_NAME));
            KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(endpoint.uri()),
                    2 * simConfig.maxInFlightRequests());
            try {
                StreamAdmin.createAndAwaitActive(kinesis, stream, profile.stream().shards(), STREAM_TIMEOUT);
                out.printf("stream %s: %d shards on %s%n", stream, profile.stream().shards(), stack.streamEmulator());
                try (PipelineUnderTest pipeline = pipeline(lake, stream)) {
                    // The lake's file-size health is the same question whichever pipeline wrote the tables.
                    RunTableHealth health = new RunTableHealth(pipeline.lake().root(), new Configuration(),
                            RunCompaction.options(profile), registry, RunTableHealth.REFRESH_INTERVAL);
                    Phases phases;
                    PipelineFigures figures;
                    EmulatorRestarts restarts = null;
                    try {
                        pipeline.start(new StreamAccess(stream, profile.stream().shards(), Optional.of(endpoint.uri()),
                                Optional.of(stack.dynamoEndpoint())));
                        out.printf("pipeline: %s, writing %s%n", pipeline.kind(), pipeline.lake().root());
                        // Written before the load, so that a run killed mid-way can still be audited.
                        new AuditTarget(settings.runId(), profileFile.toString(), stream, pipeline.lake().root(),
                                schemaChangeVersion()).write(settings.runDir());
                        health.start();
                        if (!profile.infrastructure().restarts().isEmpty()) {
                            restarts = new EmulatorRestarts(profile.infrastructure().restarts(),
                                    new EmulatorRestarts.Target(stack, endpoint.proxy(), stream,
                                            profile.stream().shards(), ((ReferencePipeline) pipeline).leaseTable(),
                                            settings.runDir(), simConfig.fleet().seed(), simConfig.fleet().cars(),
                                            simConfig.fleet().bikes(), out));
                        }
                        phases = sendAndDrain(vertx, kinesis, simConfig, pipeline, restarts, httpAuth, stream);
                    } finally {
                        try {
                            if (restarts != null) {
                                restarts.close();
                            }
                        } finally {
                            figures = pipeline.stop();
                            health.stop();
                        }
                    }
                    RunReport.Lake lakeHealth = health.finish(figures.closedAsOf());
                    return report(startedAt, stream, stack, pipeline, figures, phases, lakeHealth)
                            .withInfrastructure(endpoint.infrastructure())
                            .withRestarts(restarts == null ? null : restarts.done());
                }
            } finally {
                // A stream an external pipeline reads is the team's to remove, not the run's.
                if (stack.reused() && !settings.pipeline().external()) {
                    deleteStream(kinesis, stream);
                }
                kinesis.close();
            }
        } finally {
            gcMetrics.close();
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Never hide the run's own outcome or error behind a slow shutdown of the event loop.
                log.warn("Vert.x did not close within 10 s: {}", e.toString());
            }
        }
    }

    /**
     * What the send and drain phases measured: the pipeline's progress at the end of the drain, and the
     * threshold that stopped the load, if one did.
     */
    private record Phases(SimulatorResult simulator, RunReport.Load load, Double firstRowSeconds, double drainSeconds,
                          PipelineProgress pipeline, RunReport.Aborted aborted, ShardLoadReport shardLoad,
                          RunReport.Http http) {
        /** These phases with what the fleet's HTTP requests met. */
        Phases withHttp(RunReport.Http figures) {
            return new Phases(simulator, load, firstRowSeconds, drainSeconds, pipeline, aborted, shardLoad, figures);
        }
    }

    /** The pipeline the settings choose; the reference pipeline writes into the run folder's lake. */
    private PipelineUnderTest pipeline(Path lake, String stream) {
        PipelineChoice choice = settings.pipeline();
        if (choice.external()) {
            return new ExternalPipeline(new LakeLayout(choice.lake()), choice.readyUrl(), choice.readyTimeout(),
                    choice.quietPeriod());
        }
        LakeSinkConfig sinkConfig = ReferencePipeline.sinkConfig(profile, lake.toString(), stream)
                .withSlowdown(SinkSlowdown.fromSystemProperty());
        return new ReferencePipeline(profile, lake.toString(), sinkConfig, Optional.empty(),
                profile.compaction().enabled(), registry);
    }

    /**
     * Sends the load, then drains the pipeline. With {@code target: http} the fleet's requests go to the profile's
     * {@code http.url} or, without one, to the run's own ingestion endpoint in front of the stream, which is stopped once
     * the fleet has drained.
     *
     * @param httpAuth the profile's HTTP authentication, with {@code target: http}; else null
     */
    private Phases sendAndDrain(Vertx vertx, KinesisAsyncClient kinesis, SimulatorConfig simConfig,
                                PipelineUnderTest pipeline, EmulatorRestarts restarts, HttpAuth httpAuth, String stream)
            throws Exception {
        EventTarget target = EventTarget.kinesis(kinesis, simConfig.producerConfig());
        HttpTarget http = null;
        try (FrontDoor frontDoor = profile.target() == LoadProfile.Target.HTTP && profile.http().url() == null
                ? FrontDoor.start(vertx, kinesis, simConfig.producerConfig(), profile.http().endpoint().maxBufferedEvents(),
                ProfileMapping.endpointFaults(profile), registry) : null) {
            if (profile.target() == LoadProfile.Target.HTTP) {
                URI url = frontDoor != null ? frontDoor.url() : profile.http().url();
                http = new HttpTarget(ProfileMapping.httpTarget(profile, stream, url, httpAuth));
                target = http;
                settings.out().printf("http: %s, %s bodies over HTTP/%s, auth %s%s%n", url, profile.http().format(),
                        profile.http().version(), httpAuth.describe(),
                        frontDoor == null ? "" : " (the run's ingestion endpoint, in front of stream " + stream + ")");
            }
            Phases phases = sendAndDrain(vertx, target, simConfig, pipeline, restarts, frontDoor);
            return http == null ? phases : phases.withHttp(HttpFigures.of(http,
                    frontDoor == null ? null : frontDoor.figures()));
        }
    }

    private Phases sendAndDrain(Vertx vertx, EventTarget target, SimulatorConfig simConfig, PipelineUnderTest pipeline,
                                EmulatorRestarts restarts, FrontDoor frontDoor) throws Exception {
        LiveLine progress = new LiveLine(settings.out(), settings.terminal());
        LoadShape shape = ProfileMapping.loadShape(profile);
        Simulator simulator = new Simulator(vertx, target, simConfig, shape, registry);
        CompletableFuture<SimulatorResult> sending = simulator.start().toCompletionStage().toCompletableFuture();
        long sendStart = System.nanoTime();
        loadStartMillis = System.currentTimeMillis();
        if (restarts != null) {
            restarts.start(sendStart);
        }
        Long firstRowNanos = null;
        boolean halfway = false;
        long nextLine = sendStart + TimeUnit.SECONDS.toNanos(1);
        LiveThresholds live = new LiveThresholds(profile.thresholds());
        RunReport.Aborted aborted = null;
        try {
            while (!sending.isDone()) {
                waitTick(sending);
                failOn(restarts);
                PipelineProgress now = progressOf(pipeline);
                if (firstRowNanos == null && now.rowsCommitted() > 0) {
                    firstRowNanos = System.nanoTime();
                }
                if (!halfway && System.nanoTime() - sendStart >= profile.duration().toNanos() / 2) {
                    halfway = true;
                    pipeline.loadHalfway();
                }
                if (System.nanoTime() >= nextLine) {
                    SimulatorStats snapshot = simulator.snapshot();
                    LiveLine.Sample line = sample("send", sendStart, snapshot, profile.duration(), now);
                    targetRate = line.targetRate();
                    progress.show(line);
                    nextLine += TimeUnit.SECONDS.toNanos(1);
                    if (aborted == null && !live.isEmpty()) {
                        aborted = live.firstFailure(liveSample(sendStart, simulator, snapshot, now)).orElse(null);
                        if (aborted != null) {
                            // Stop generating; what was sent is still acknowledged, drained and audited.
                            progress.finish();
                            settings.out().printf("abort: threshold %s %s failed at %.1f s of the load, observed %s;"
                                            + " stopping the load, then draining and auditing what was sent%n",
                                    aborted.threshold(), aborted.condition(), aborted.atSeconds(),
                                    ReportWriter.number(aborted.observed()));
                            simulator.stop();
                        }
                    }
                }
            }
        } finally {
            if (!sending.isDone()) {
                // The pipeline failed: stop sending before the clients it uses are closed.
                progress.finish();
                simulator.stop();
                waitQuietly(sending, simConfig.recordTtl());
            }
        }
        SimulatorResult result = sending.join();
        loadEndMillis = System.currentTimeMillis();
        targetRate = 0;
        long acknowledged = result.stats().acknowledged();
        Map<String, String> lastAcknowledged = result.lastAcknowledged();
        ShardLoadReport shardLoad = result.shardLoad();
        if (frontDoor != null) {
            // The fleet has drained, so every request it sent is answered: what the endpoint acknowledged is final.
            frontDoor.stop(FrontDoor.stopTimeout(simConfig.producerConfig()));
            lastAcknowledged = frontDoor.lastAcknowledged();
            shardLoad = frontDoor.shardLoad();
        }
        if (restarts != null) {
            restarts.finish();
            failOn(restarts);
        }
        // Events destroyed with the stream by a restart of its emulator never reach the lake, but those read before
        // may have: which of them is not known until the lake is read.
        long streamLoss = restarts == null ? 0 : restarts.streamLossEvents();
        StreamLossDrain lossDrain = streamLoss == 0 ? null : new StreamLossDrain(pipeline.lake(), settings.runDir());

        long drainStart = System.nanoTime();
        long deadline = drainStart + profile.drain().timeout().toNanos();
        nextLine = drainStart + TimeUnit.SECONDS.toNanos(1);
        // Every acknowledged record ends as a row or as a dead letter; the pipeline must also be idle, and have every
        // shard in the lake up to its last acknowledged record: re-sent copies of records whose first attempt's answer
        // was lost count as rows too, so the rows alone can reach the acknowledged count before the last records are in.
        PipelineProgress now = progressOf(pipeline);
        // After a stream loss the positions of the lost stream mean nothing: the lake itself says what is missing.
        while ((now.accounted() < acknowledged - streamLoss || !now.idle()
                || (lossDrain == null ? !now.reached(lastAcknowledged) : !lossDrain.nothingMissing(now)))
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(TICK_MILLIS);
            now = progressOf(pipeline);
            if (firstRowNanos == null && now.rowsCommitted() > 0) {
                firstRowNanos = System.nanoTime();
            }
            if (System.nanoTime() >= nextLine) {
                progress.show(sample("drain", drainStart, result.stats(), profile.drain().timeout(), now));
                nextLine += TimeUnit.SECONDS.toNanos(1);
            }
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        progress.show(sample("done", sendStart, result.stats(), profile.duration(), now));
        progress.finish();
        if (lossDrain == null && (now.accounted() < acknowledged || !now.reached(lastAcknowledged))) {
            settings.out().printf("drain: after %s the lake holds %,d rows and %,d dead letters of %,d acknowledged%s;"
                            + " auditing what is there%n",
                    profile.drain().timeout(), now.rowsCommitted(), now.deadLetters(), acknowledged,
                    now.reached(lastAcknowledged) ? "" : ", and not every shard up to its last acknowledged record");
        } else if (lossDrain != null && !lossDrain.drained()) {
            settings.out().printf("drain: after %s the lake holds %,d rows and %,d dead letters of %,d acknowledged,"
                            + " %,d of which were in the stream a restart of its emulator destroyed, and some"
                            + " acknowledged event not among those is missing; auditing what is there%n",
                    profile.drain().timeout(), now.rowsCommitted(), now.deadLetters(), acknowledged, streamLoss);
        }
        Double firstRow = firstRowNanos == null ? null : (firstRowNanos - settings.startNanos()) / 1e9;
        RunReport.Load load = LoadReport.load(profile, shape, simulator.shortfallByStage(), result);
        return new Phases(result, load, firstRow, drainSeconds, now, aborted, shardLoad, null);
    }

    /** Stops the run with the failure of a restart of an emulator, if one failed. */
    private static void failOn(EmulatorRestarts restarts) {
        if (restarts != null) {
            restarts.failure().ifPresent(f -> {
                throw new IllegalStateException(f.getMessage(), f);
            });
        }
    }

    /** The pipeline's progress, or the failure it stopped with. */
    private static PipelineProgress progressOf(PipelineUnderTest pipeline) {
        pipeline.failure().ifPresent(f -> {
            throw new IllegalStateException("the " + pipeline.kind() + " pipeline stopped: " + f.getMessage(), f);
        });
        return pipeline.progress();
    }

    /** The run's figures so far, for the abortOnFail thresholds. */
    private static LiveThresholds.Sample liveSample(long sendStart, Simulator simulator, SimulatorStats snapshot,
                                                    PipelineProgress now) {
        double seconds = (System.nanoTime() - sendStart) / 1e9;
        return LiveThresholds.Sample.of(seconds, snapshot, simulator.putLatencySoFar())
                .withPipeline(now.rowsCommitted(), now.invalidRecords(), now.freshness());
    }

    private static void waitQuietly(CompletableFuture<?> f, Duration timeout) {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("The simulator did not drain after the pipeline failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitTick(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(TICK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException ignored) {
            // Either still running (the loop goes on) or failed (join() below rethrows it).
        }
    }

    private static LiveLine.Sample sample(String phase, long since, SimulatorStats s, Duration planned,
                                          PipelineProgress now) {
        return new LiveLine.Sample(phase, Duration.ofNanos(System.nanoTime() - since), planned, s.targetRate(),
                s.actualRate(), s.sent(), s.acknowledged(), s.acknowledgedAfterAmbiguous(), s.failed(), s.ambiguous(),
                s.shortfall(), now.rowsCommitted(), now.lagMillis());
    }

    private RunReport report(Instant startedAt, String stream, LocalStack stack, PipelineUnderTest pipeline,
                             PipelineFigures figures, Phases phases, RunReport.Lake lakeHealth) {
        SimulatorStats s = phases.simulator().stats();
        PipelineProgress last = phases.pipeline();
        int schemaChangeVersion = schemaChangeVersion();
        RunAudit.Result audited = audit(RunAudit.Inputs.ofRunFolder(pipeline.lake(), settings.runDir(),
                schemaChangeVersion, last.invalidRecords(), last.freshness(), LoadReport.unbalanced(s)));
        RunReport.Audit audit = audited.audit();
        double seconds = (System.nanoTime() - settings.startNanos()) / 1e9;
        RunReport.Producer producer = LoadReport.producer(phases.simulator());
        // A load an abortOnFail threshold stopped sent for less than the profile's duration.
        double sendSeconds = phases.aborted() == null ? profile.duration().toMillis() / 1e3
                : phases.simulator().generationTime().toMillis() / 1e3;
        long committed = last.rowsCommitted();
        RunReport.Pipeline pipelineReport = new RunReport.Pipeline(pipeline.kind(), stream, profile.stream().shards(),
                stack.streamEmulator().toString(), figures.timeToFirstLeaseSeconds(), phases.firstRowSeconds(),
                phases.drainSeconds(), committed, last.invalidRecords(),
                committed / (sendSeconds + phases.drainSeconds()), figures.sink(), figures.compaction());
        log.info("Run {} finished: {}", settings.runId(), audit.passed() ? "audit passed" : audit.problems());
        RunReport report = new RunReport(settings.runId(), profile.name(), profileFile.toString(),
                startedAt.toString(), seconds, producer, phases.load(), phases.shardLoad(), pipelineReport,
                audited.tables(), lakeHealth, audit).withAborted(phases.aborted())
                .withHealth(RunHealth.of(recorder.history(), loadStartMillis, loadEndMillis)).withHttp(phases.http());
        if (figures.failoverTime() == null) {
            // A team's own pipeline: its lease-table figures are unknown, so its cost is not worked out.
            return report;
        }
        CostReport.Inputs costInputs = report.costInputs(figures.checkpoints(),
                sendSeconds + phases.drainSeconds(), figures.failoverTime().toMillis(),
                figures.leaseAssignmentInterval().toMillis());
        return costInputs == null ? report : report.withCost(CostModel.estimate(costInputs, prices, null));
    }

    private int schemaChangeVersion() {
        return ProfileMapping.schemaChangeVersion(profile);
    }

    /** The exact audit, with a progress line while it reads the lake. */
    private RunAudit.Result audit(RunAudit.Inputs inputs) {
        ProgressBar bar = new ProgressBar(settings.out(), settings.terminal(), "audit", System::nanoTime);
        long[] last = {0, 0, 0};
        try {
            RunAudit.Result result = RunAudit.judge(inputs, (done, total, rows, what) -> {
                last[0] = done;
                last[1] = total;
                last[2] = rows;
                bar.update(done, total, "files", String.format("%,d rows read, %s", rows, what));
            });
            bar.finish(last[0], last[1], "files", String.format("%,d rows read", last[2]));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("auditing the lake " + inputs.lake().root(), e);
        }
    }

    private static void deleteStream(KinesisAsyncClient kinesis, String stream) {
        try {
            kinesis.deleteStream(b -> b.streamName(stream)).join();
        } catch (RuntimeException e) {
            log.warn("Could not delete stream {} from the shared stack: {}", stream, e.toString());
        }
    }
}
