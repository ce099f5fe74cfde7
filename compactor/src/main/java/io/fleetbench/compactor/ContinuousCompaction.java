package io.fleetbench.compactor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Compacts every Delta table at or below a path again and again, {@code interval} apart (from the end of
 * one pass to the start of the next), until {@link #stop()}. A stop lets the commit in progress finish
 * and starts nothing new. A table whose pass fails is logged, counted, and tried again in the next pass.
 * Thread-safe: {@link #run()} on one thread, the other methods from any.
 */
public final class ContinuousCompaction {
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousCompaction.class);

    private final Compactor compactor;
    private final String path;
    private final Duration interval;
    private final Consumer<List<CompactionResult>> afterPass;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile CompactionTotals totals = CompactionTotals.NONE;

    /**
     * @param compactor  does the work
     * @param path       a table, or a folder with tables below it (see {@link DeltaTables#find})
     * @param interval   the pause between two passes; not negative
     * @param afterPass  told each pass's results, on the thread that runs the passes
     */
    public ContinuousCompaction(Compactor compactor, String path, Duration interval,
                                Consumer<List<CompactionResult>> afterPass) {
        this.compactor = Objects.requireNonNull(compactor, "compactor");
        this.path = Objects.requireNonNull(path, "path");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.afterPass = Objects.requireNonNull(afterPass, "afterPass");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, found " + interval);
        }
    }

    /** Runs passes until {@link #stop()}; the first one at once. */
    public void run() {
        while (!stopRequested()) {
            pass(this::stopRequested, p -> { });
            try {
                if (stopped.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One pass over every table at or below the path, whether or not a stop was asked for; e.g. a last
     * pass after {@link #run()} returned. Counted in the {@link #totals()}.
     *
     * @return each table's result; a table whose pass failed has none
     */
    public List<CompactionResult> passOnce() {
        return passOnce(p -> { });
    }

    /**
     * One pass as {@link #passOnce()}, telling {@code progress} how far each table's pass has gone
     * (see {@link Compactor#compact(String, BooleanSupplier, Consumer)}).
     */
    public List<CompactionResult> passOnce(Consumer<CompactionProgress> progress) {
        Objects.requireNonNull(progress, "progress");
        return pass(() -> false, progress);
    }

    private synchronized List<CompactionResult> pass(BooleanSupplier stop, Consumer<CompactionProgress> progress) {
        long started = System.nanoTime();
        List<CompactionResult> results = new ArrayList<>();
        int failed = 0;
        for (String table : DeltaTables.find(path, compactor.hadoopConf())) {
            if (stop.getAsBoolean()) {
                break;
            }
            try {
                CompactionResult r = compactor.compact(table, stop, progress);
                results.add(r);
                totals = totals.plus(r);
            } catch (RuntimeException e) {
                failed++;
                LOG.warn("compaction of table {} failed; the next pass tries again", table, e);
            }
        }
        totals = totals.plusPass(Duration.ofNanos(System.nanoTime() - started), failed);
        afterPass.accept(results);
        return results;
    }

    /** Asks {@link #run()} to return once the commit in progress, if any, has finished. Idempotent. */
    public void stop() {
        stopped.countDown();
    }

    /** Whether {@link #stop()} was called. */
    public boolean stopRequested() {
        return stopped.getCount() == 0;
    }

    /** What the passes so far did. */
    public CompactionTotals totals() {
        return totals;
    }
}
