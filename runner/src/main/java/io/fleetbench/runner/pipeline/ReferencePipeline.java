package io.fleetbench.runner.pipeline;

import io.fleetbench.consumer.ConsumerConfig;
import io.fleetbench.consumer.ConsumerMeters;
import io.fleetbench.consumer.KinesisConsumer;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.lakesink.SinkMeters;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.report.RunReport;
import io.fleetbench.telemetry.EventFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.apache.hadoop.conf.Configuration;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * fleetbench's own pipeline under test: the KCL consumer hands each shard's records to the Delta lake
 * sink, with the compactor behind it unless the profile turns it off. Its progress comes from its own
 * meters in the run's registry. {@code fleetbench run} starts it in its own process;
 * {@code fleetbench consume} runs the same pipeline as a service of its own.
 */
public final class ReferencePipeline implements PipelineUnderTest {
    private final LoadProfile profile;
    private final LakeLayout lake;
    private final MeterRegistry registry;
    private final LakeSinkConfig sinkConfig;
    private final Optional<String> workerId;
    private final boolean compact;
    // The sink and the compactor commit to the same tables, each through LocalLogStore, which makes that safe.
    private final Configuration hadoopConf = new Configuration();

    private DeltaLakeSink sink;
    private KinesisConsumer consumer;
    private ConsumerConfig consumerConfig;
    private RunCompaction compaction;
    /** The sink's busy seconds and rows committed when the load was halfway, or null before. */
    private double[] busyMark;

    /**
     * @param profile    the sink's, the compactor's and the stream's settings
     * @param lakeRoot   where the tables go
     * @param sinkConfig the sink's settings (see {@link #sinkConfig})
     * @param workerId   the KCL worker id; empty for the consumer's default
     * @param compact    whether the compactor runs behind the sink (the profile's {@code compaction.enabled} in a run)
     * @param registry   where every stage's meters go
     */
    public ReferencePipeline(LoadProfile profile, String lakeRoot, LakeSinkConfig sinkConfig, Optional<String> workerId,
                             boolean compact, MeterRegistry registry) {
        this.profile = profile;
        this.lake = new LakeLayout(lakeRoot);
        this.sinkConfig = sinkConfig;
        this.workerId = workerId;
        this.compact = compact;
        this.registry = registry;
    }

    /** The sink's settings from a profile, for a lake below {@code lakeRoot} and the application {@code applicationId}. */
    public static LakeSinkConfig sinkConfig(LoadProfile profile, String lakeRoot, String applicationId) {
        return LakeSinkConfig.defaults(lakeRoot)
                .withApplicationId(applicationId)
                .withTargetFileBytes(profile.sink().targetFileSize().bytes())
                .withBufferLimits(profile.sink().maxLatency(), profile.sink().memoryBudget().bytes())
                .withDuplicates(profile.sink().dropDuplicates(), LakeSinkConfig.DEFAULT_DUPLICATE_WINDOW);
    }

    @Override
    public String kind() {
        return "reference";
    }

    @Override
    public void start(StreamAccess stream) {
        sink = new DeltaLakeSink(sinkConfig, hadoopConf, registry, Clock.systemUTC());
        ConsumerConfig config = stream.kinesisEndpoint().isPresent()
                ? ConsumerConfig.local(stream.name(), sinkConfig.applicationId(), stream.kinesisEndpoint().get(),
                        stream.dynamoEndpoint().orElseThrow())
                : ConsumerConfig.aws(stream.name(), sinkConfig.applicationId());
        consumerConfig = workerId.map(config::withWorkerId).orElse(config);
        consumer = new KinesisConsumer(consumerConfig, sink, registry);
        // Loading Delta and creating the tables takes seconds on a cold JVM: do it beside the KCL's start.
        CompletableFuture<Void> tables = CompletableFuture.runAsync(sink::createTables);
        consumer.start();
        tables.join();
        if (compact) {
            compaction = new RunCompaction(profile, lake.root(), hadoopConf, registry);
            compaction.start();
        }
    }

    /** The KCL's lease table, once started. */
    public String leaseTable() {
        return consumerConfig.leaseTableName();
    }

    @Override
    public PipelineProgress progress() {
        Map<String, RunReport.Freshness> freshness = new LinkedHashMap<>();
        for (EventFamily family : EventFamily.values()) {
            RunReport.Freshness f = freshness(family);
            if (f != null) {
                freshness.put(family.wireName(), f);
            }
        }
        double buffered = registry.find(SinkMeters.BUFFERED).gauges().stream().mapToDouble(Gauge::value).sum();
        boolean idle = maxMillis(ConsumerMeters.LAG) == 0 && buffered == 0;
        return new PipelineProgress(rowsCommitted(), count(SinkMeters.DEAD_LETTERS),
                count(ConsumerMeters.EVENTS_INVALID), maxMillis(ConsumerMeters.ITERATOR_AGE), idle, freshness,
                busySeconds(), consumer == null ? Map.of() : consumer.metrics().durablePositions());
    }

    @Override
    public Optional<Throwable> failure() {
        return consumer == null ? Optional.empty() : consumer.failure();
    }

    @Override
    public void loadHalfway() {
        busyMark = new double[] {busySeconds(), rowsCommitted()};
    }

    @Override
    public PipelineFigures stop() throws InterruptedException {
        if (consumer == null) {
            // It never started: there is nothing to stop and nothing to tell.
            return new PipelineFigures(null, null, null, Instant.now(), 0, null, null);
        }
        try {
            consumer.close();
        } finally {
            if (compaction != null) {
                compaction.stop();
            }
        }
        RunReport.Compaction compacted = compaction == null ? null : compaction.finish();
        // After the drain and the compactor's last pass: what a threshold on small files should judge.
        Instant closedAsOf = compaction != null && compaction.lastPassStarted() != null
                ? compaction.lastPassStarted() : Instant.now();
        Double firstLease = consumer.timeToFirstLease().map(d -> d.toMillis() / 1e3).orElse(null);
        return new PipelineFigures(firstLease, sinkReport(rowsCommitted()), compacted, closedAsOf,
                count(ConsumerMeters.CHECKPOINTS), consumerConfig.failoverTime(),
                consumerConfig.leaseAssignmentInterval());
    }

    @Override
    public LakeLayout lake() {
        return lake;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private long rowsCommitted() {
        return count(SinkMeters.WRITTEN_ROWS);
    }

    private long count(String counter) {
        return (long) registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The largest value over the shards of a consumer gauge in seconds, in milliseconds. */
    private long maxMillis(String gauge) {
        return (long) (1000 * registry.find(gauge).gauges().stream().mapToDouble(Gauge::value)
                .filter(v -> !Double.isNaN(v)).max().orElse(0));
    }

    /** A table's freshness percentiles over the whole run; null if nothing was committed to it. */
    private RunReport.Freshness freshness(EventFamily family) {
        Timer timer = registry.find(SinkMeters.FRESHNESS).tag("table", family.wireName()).timer();
        if (timer == null || timer.count() == 0) {
            return null;
        }
        double[] ms = new double[3];
        for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
            int i = v.percentile() == 0.5 ? 0 : v.percentile() == 0.99 ? 1 : v.percentile() == 0.999 ? 2 : -1;
            if (i >= 0) {
                ms[i] = v.value(TimeUnit.MILLISECONDS);
            }
        }
        return new RunReport.Freshness(ms[0], ms[1], ms[2], timer.max(TimeUnit.MILLISECONDS));
    }

    /**
     * The sink's commits, duplicates and busy time, summed over its tables; the flush latency is the worst
     * table's p99.
     */
    private RunReport.Sink sinkReport(long rowsCommitted) {
        long commits = 0;
        double sources = 0;
        double files = 0;
        double bytes = 0;
        for (DistributionSummary d : registry.find(SinkMeters.COMMIT_SOURCES).summaries()) {
            commits += d.count();
            sources += d.totalAmount();
        }
        for (DistributionSummary d : registry.find(SinkMeters.COMMIT_FILES).summaries()) {
            files += d.totalAmount();
        }
        for (DistributionSummary d : registry.find(SinkMeters.COMMIT_BYTES).summaries()) {
            bytes += d.totalAmount();
        }
        double busy = busySeconds();
        // Per row from the middle of the load on, when the mark was taken and rows came after it: the start-up
        // (class loading, JIT compilation, the first catch-up) costs the sink a varying second or more, which
        // would hide a change in its steady work.
        Double busyPerRow = rowsCommitted == 0 ? null : busy * 1e6 / rowsCommitted;
        if (busyMark != null && rowsCommitted > busyMark[1]) {
            busyPerRow = (busy - busyMark[0]) * 1e6 / (rowsCommitted - busyMark[1]);
        }
        double p99 = 0;
        for (Timer t : registry.find(SinkMeters.COMMIT_LATENCY).timers()) {
            p99 = Math.max(p99, percentile(t, 0.99));
        }
        return new RunReport.Sink(commits, commits == 0 ? 0 : sources / commits, commits == 0 ? 0 : files / commits,
                commits == 0 ? 0 : bytes / commits, p99, duplicates("kept"), duplicates("dropped"), busy, busyPerRow,
                count(SinkMeters.RECORDS_DROPPED));
    }

    /** The writers' busy time so far, every table. */
    private double busySeconds() {
        return registry.find(SinkMeters.BUSY).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double percentile(Timer t, double p) {
        for (var v : t.takeSnapshot().percentileValues()) {
            if (Math.abs(v.percentile() - p) < 1e-9) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return t.max(TimeUnit.MILLISECONDS);
    }

    private long duplicates(String action) {
        return (long) registry.find(SinkMeters.DUPLICATES).tag("action", action).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
