package io.fleetbench.runner.pipeline;

import io.fleetbench.report.RunReport;

import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.CompactionTotals;
import io.fleetbench.compactor.Compactor;
import io.fleetbench.compactor.ContinuousCompaction;
import io.fleetbench.profile.LoadProfile;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The compactor behind the sink during a run: continuous passes over every table of the run's lake on
 * a thread of its own, from {@link #start()} to {@link #finish()}, which stops them, lets the commit in
 * progress finish, and makes one last pass once the pipeline has drained.
 */
public final class RunCompaction {
    private static final Logger log = LoggerFactory.getLogger(RunCompaction.class);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(5);

    private final LoadProfile.Compaction settings;
    private final CompactionOptions options;
    private final ContinuousCompaction continuous;
    private final Thread thread;

    private volatile Instant lastPassStarted;

    RunCompaction(LoadProfile profile, String lake, Configuration hadoopConf, MeterRegistry registry) {
        this.settings = profile.compaction();
        this.options = options(profile);
        this.continuous = new ContinuousCompaction(new Compactor(options, hadoopConf, registry, Clock.systemUTC()), lake,
                settings.interval(), results -> { });
        this.thread = new Thread(this::runPasses, "compactor");
        thread.setDaemon(true);
    }

    /**
     * The compactor's settings from a profile's {@code compaction:} (target file sizes, closed partitions,
     * bins per commit), whether or not the profile turns compaction on.
     */
    public static CompactionOptions options(LoadProfile profile) {
        LoadProfile.Compaction settings = profile.compaction();
        Map<String, Long> byTable = new HashMap<>();
        settings.targetFileSizeByTable().forEach((table, size) -> byTable.put(table, size.bytes()));
        return CompactionOptions.defaults()
                .withTargetFileBytes(settings.targetFileBytes(profile.sink()))
                .withTargetFileBytesByTable(byTable)
                .withClosedPartitions(settings.closedAfter(), settings.includeOpenPartitions())
                .withBinsPerCommit(settings.binsPerCommit());
    }

    private void runPasses() {
        try {
            continuous.run();
        } catch (RuntimeException e) {
            log.warn("compaction stopped early: {}", e.toString(), e);
        }
    }

    void start() {
        thread.start();
    }

    /** Stops the passes, waits for the commit in progress, then makes the last pass. */
    RunReport.Compaction finish() throws InterruptedException {
        stop();
        if (thread.isAlive()) {
            log.warn("the compactor did not stop within {} s; reporting what it did so far", STOP_TIMEOUT.toSeconds());
        } else {
            lastPassStarted = Instant.now();
            try {
                continuous.passOnce();
            } catch (RuntimeException e) {
                log.warn("the last compaction pass failed: {}", e.toString(), e);
            }
        }
        CompactionTotals t = continuous.totals();
        return new RunReport.Compaction(settings.interval().toMillis() / 1e3, options.targetFileBytes(),
                settings.closedAfter().toMillis() / 1e3, settings.includeOpenPartitions(), t.passes(), t.commits(),
                t.bins(), t.filesRemoved(), t.filesAdded(), t.bytesRead(), t.bytesWritten(), t.conflicts(),
                t.failedTables(), t.busy().toMillis() / 1e3);
    }

    /**
     * When the last pass after the drain started, or null if {@link #finish()} made none: the partitions
     * closed at that time were closed for every table of that pass.
     */
    Instant lastPassStarted() {
        return lastPassStarted;
    }

    /** Stops the passes and waits for the commit in progress; nothing more. */
    void stop() throws InterruptedException {
        continuous.stop();
        if (thread.isAlive()) {
            thread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT.toSeconds()));
        }
    }
}
