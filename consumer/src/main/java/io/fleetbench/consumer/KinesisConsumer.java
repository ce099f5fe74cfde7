package io.fleetbench.consumer;

import io.fleetbench.sink.LakeSink;
import io.fleetbench.telemetry.JsonCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a KCL 3.x scheduler that reads a stream into a {@link LakeSink} through
 * {@link TelemetryRecordProcessor}s, tuned for the local emulators (see {@link ConsumerConfig}).
 *
 * <p>{@link #start()} prepares the lease table (and, for a new application, claims the shards so
 * that the first lease is taken within a second or two) and starts the scheduler on its own
 * thread; {@link #awaitFirstLease} waits until a shard is being processed; {@link #close()} shuts
 * the scheduler down gracefully, which flushes and checkpoints every shard. The sink is the
 * caller's to close, after this.
 */
public final class KinesisConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KinesisConsumer.class);
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    private final ConsumerConfig config;
    private final LakeSink sink;
    private final ConsumerMetrics metrics;
    private final JsonCodec codec;
    private final Set<String> leasedShards = ConcurrentHashMap.newKeySet();
    private final CountDownLatch firstLease = new CountDownLatch(1);
    private final AtomicLong firstLeaseNanos = new AtomicLong(-1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private AwsClients clients;
    private Scheduler scheduler;
    private Thread schedulerThread;
    private long schedulerStartNanos;
    private boolean closed;

    public KinesisConsumer(ConsumerConfig config, LakeSink sink, MeterRegistry registry) {
        this.config = config;
        this.sink = sink;
        this.metrics = new ConsumerMetrics(registry);
        this.codec = new JsonCodec(config.maxEventBytes());
    }

    /**
     * Creates the lease table if needed, claims a new application's shards if so configured, and
     * starts the scheduler.
     *
     * @throws ConsumerException if the lease table or the stream cannot be used
     */
    public synchronized void start() {
        if (scheduler != null || closed) {
            throw new IllegalStateException("a consumer starts once; this one is " + (closed ? "closed" : "running"));
        }
        clients = AwsClients.create(config);
        try {
            LeaseTables tables = new LeaseTables(clients.dynamo(), SETUP_TIMEOUT);
            tables.ensureLeaseTable(config.leaseTableName());
            if (config.claimShardsAtStart()) {
                tables.claimShardsIfNew(config.leaseTableName(), clients.kinesis(), config.streamName(),
                        config.workerId(), config.initialPosition());
            }
            scheduler = buildScheduler();
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
        schedulerThread = new Thread(scheduler, "kcl-scheduler-" + config.applicationName());
        schedulerStartNanos = System.nanoTime();
        schedulerThread.start();
        log.info("Started KCL worker {} of application {} on stream {}", config.workerId(),
                config.applicationName(), config.streamName());
    }

    /**
     * Waits until a record processor has taken over a shard.
     *
     * @return whether one did within the timeout
     * @throws ConsumerException if the scheduler failed before that
     */
    public boolean awaitFirstLease(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!firstLease.await(Math.min(100_000_000L, Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS)) {
            Throwable f = failure.get();
            if (f != null) {
                throw new ConsumerException("the consumer failed before taking a lease: " + f.getMessage(), f);
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
        }
        return true;
    }

    /** How long after the scheduler started the first record processor was initialized; empty until then. */
    public Optional<Duration> timeToFirstLease() {
        long t = firstLeaseNanos.get();
        return t < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(t - schedulerStartNanos));
    }

    /** The shards whose processors were initialized so far. */
    public Set<String> leasedShards() {
        return Set.copyOf(leasedShards);
    }

    /** Why the consumer stopped on its own (a sink failure or a scheduler that could not initialize), if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The consumer's metrics. */
    public ConsumerMetrics metrics() {
        return metrics;
    }

    /**
     * Shuts the scheduler down gracefully (every processor flushes and checkpoints), stopping it
     * hard if that takes longer than the configured shutdown timeout, and closes the AWS clients.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scheduler == null) {
            return;
        }
        try {
            Future<Boolean> graceful = scheduler.startGracefulShutdown();
            if (!Boolean.TRUE.equals(graceful.get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS))) {
                log.warn("Graceful shutdown of worker {} did not complete; stopping it", config.workerId());
                scheduler.shutdown();
            }
            schedulerThread.join(config.shutdownTimeout().toMillis());
        } catch (TimeoutException | ExecutionException e) {
            log.warn("Graceful shutdown of worker {} failed or timed out after {}; stopping it: {}",
                    config.workerId(), config.shutdownTimeout(), e.toString());
            scheduler.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdown();
        } finally {
            clients.close();
        }
    }

    private Scheduler buildScheduler() {
        TelemetryRecordProcessor.Listener listener = new TelemetryRecordProcessor.Listener() {
            @Override
            public void initialized(String shardId) {
                leasedShards.add(shardId);
                if (firstLeaseNanos.compareAndSet(-1, System.nanoTime())) {
                    log.info("First lease ({}) {} ms after the scheduler started", shardId,
                            timeToFirstLease().orElseThrow().toMillis());
                    firstLease.countDown();
                }
            }

            @Override
            public void failed(String shardId, RuntimeException error) {
                if (failure.compareAndSet(null, error)) {
                    log.error("Stopping worker {}: shard {} failed", config.workerId(), shardId);
                    scheduler.startGracefulShutdown();
                }
            }
        };
        SingleStreamTracker tracker = new SingleStreamTracker(config.streamName(),
                InitialPositionInStreamExtended.newInitialPosition(config.initialPosition()));
        ConfigsBuilder cb = new ConfigsBuilder(tracker, config.applicationName(), clients.kinesis(), clients.dynamo(),
                clients.cloudWatch(), config.workerId(),
                () -> new TelemetryRecordProcessor(sink, codec, metrics, config.streamName(), Clock.systemUTC(), listener));
        PollingConfig polling = new PollingConfig(config.streamName(), clients.kinesis())
                .idleTimeBetweenReadsInMillis(config.idleTimeBetweenReads().toMillis())
                .maxRecords(config.maxRecordsPerRead());
        WorkerStateChangeListener stateListener = new WorkerStateChangeListener() {
            @Override
            public void onWorkerStateChange(WorkerState newState) {
                log.debug("Worker {} is {}", config.workerId(), newState);
            }

            @Override
            public void onAllInitializationAttemptsFailed(Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        return new Scheduler(
                cb.checkpointConfig(),
                cb.coordinatorConfig().workerStateChangeListener(stateListener),
                leaseManagement(cb),
                cb.lifecycleConfig(),
                cb.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
                // Empty batches too, so that a buffer past its allowed latency is flushed while no records arrive.
                cb.processorConfig().callProcessRecordsEvenForEmptyRecordList(true),
                cb.retrievalConfig().retrievalSpecificConfig(polling));
    }

    private LeaseManagementConfig leaseManagement(ConfigsBuilder cb) {
        LeaseManagementConfig lease = cb.leaseManagementConfig()
                .shardSyncIntervalMillis(config.shardSyncInterval().toMillis())
                .leaseAssignmentIntervalMillis(config.leaseAssignmentInterval().toMillis())
                .failoverTimeMillis(config.failoverTime().toMillis())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(config.leaderHeartbeatInterval().toMillis())
                .leasesRecoveryAuditorExecutionFrequencyMillis(config.leaseRecoveryInterval().toMillis());
        lease.workerUtilizationAwareAssignmentConfig()
                .workerMetricsReporterFreqInMillis(config.workerMetricsReportInterval().toMillis());
        return lease;
    }
}
