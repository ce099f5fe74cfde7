package io.fleetbench.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.data.CloseableIterator;
import io.fleetbench.telemetry.EventFamily;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A team's own pipeline under test, known only by the stream it reads and the lake it writes: the run
 * creates the stream (or uses the one that exists) and sends the load; the pipeline, started by the
 * team, lands it as Delta tables in the {@link LakeLayout} below a root. Its progress is read from
 * those tables' logs (the row counts of the files each snapshot holds, from their statistics), so it
 * needs no hook into the pipeline; it is idle once the counts have not moved for {@code quietPeriod}.
 * Readiness is an HTTP health URL answering 2xx, when the team gives one.
 */
public final class ExternalPipeline implements PipelineUnderTest {
    private static final Logger log = LoggerFactory.getLogger(ExternalPipeline.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    private final LakeLayout lake;
    private final Optional<URI> readyUrl;
    private final Duration readyTimeout;
    private final Duration quietPeriod;
    private final Configuration hadoopConf = new Configuration();
    private final Map<String, DeltaLog> logs = new HashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "external-lake-poll");
        t.setDaemon(true);
        return t;
    });

    private volatile Counts counts = new Counts(0, 0, System.nanoTime());

    /** Rows in the event tables and the dead-letter table, and when either last changed. */
    private record Counts(long rows, long deadLetters, long changedNanos) {
    }

    /**
     * @param lake         the tables the pipeline writes
     * @param readyUrl     a health URL that answers 2xx once the pipeline reads the stream; empty to start at once
     * @param readyTimeout how long to wait for it
     * @param quietPeriod  how long the lake's counts must stand still for the pipeline to count as idle
     */
    public ExternalPipeline(LakeLayout lake, Optional<URI> readyUrl, Duration readyTimeout, Duration quietPeriod) {
        this.lake = lake;
        this.readyUrl = readyUrl;
        this.readyTimeout = readyTimeout;
        this.quietPeriod = quietPeriod;
    }

    @Override
    public String kind() {
        return "external";
    }

    @Override
    public void start(StreamAccess stream) throws InterruptedException {
        if (readyUrl.isPresent()) {
            awaitReady(readyUrl.get());
        }
        refresh();
        poller.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                // Caught whatever it is: an exception leaving a scheduled task would end the polling silently.
                log.warn("reading the lake {} failed; trying again: {}", lake.root(), e.toString());
            }
        }, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void awaitReady(URI url) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("the pipeline under test is not ready: " + url + " gave " + last + " for "
                + readyTimeout.toSeconds() + " s");
    }

    @Override
    public PipelineProgress progress() {
        Counts c = counts;
        boolean quiet = System.nanoTime() - c.changedNanos() >= quietPeriod.toNanos();
        // Every invalid record of the reference layout becomes a dead letter: the lake cannot tell them apart.
        return new PipelineProgress(c.rows(), c.deadLetters(), c.deadLetters(), 0, quiet, Map.of(), Double.NaN,
                null);
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.empty();
    }

    @Override
    public PipelineFigures stop() {
        poller.shutdownNow();
        return new PipelineFigures(null, null, null, Instant.now(), 0, null, null);
    }

    @Override
    public LakeLayout lake() {
        return lake;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    /** Reads the lake's counts now; the poller does it every half second. */
    synchronized void refresh() {
        counts = read(counts);
    }

    private Counts read(Counts before) {
        long rows = 0;
        for (EventFamily family : EventFamily.values()) {
            rows += rows(lake.tablePath(family));
        }
        long dead = rows(lake.deadLetterTablePath());
        if (rows == before.rows() && dead == before.deadLetters()) {
            return before;
        }
        return new Counts(rows, dead, System.nanoTime());
    }

    /** The rows of a table's current snapshot by its files' statistics; 0 while it does not exist. */
    private long rows(String path) {
        DeltaLog deltaLog = logs.computeIfAbsent(path, p -> DeltaLog.forTable(hadoopConf, p));
        Snapshot snapshot = deltaLog.update();
        if (snapshot.getVersion() < 0) {
            return 0;
        }
        long rows = 0;
        List<String> missing = new ArrayList<>();
        try (CloseableIterator<AddFile> files = snapshot.scan().getFiles()) {
            while (files.hasNext()) {
                AddFile f = files.next();
                JsonNode records = f.getStats() == null ? null : readStats(f.getStats()).get("numRecords");
                if (records == null) {
                    missing.add(f.getPath());
                } else {
                    rows += records.asLong();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the files of " + path + ": " + e.getMessage(), e);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(path + ": " + missing.size() + " files have no numRecords statistics (e.g. "
                    + missing.get(0) + "); the run counts the rows a pipeline committed from them");
        }
        return rows;
    }

    private static JsonNode readStats(String stats) {
        try {
            return JSON.readTree(stats);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable file statistics " + stats + ": " + e.getMessage(), e);
        }
    }
}
