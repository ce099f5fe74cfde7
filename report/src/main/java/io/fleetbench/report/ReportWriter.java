package io.fleetbench.report;

import io.fleetbench.telemetry.ByteSize;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.fleetbench.report.cost.CostReport;
import io.fleetbench.report.cost.CostText;
import io.fleetbench.telemetry.ShardLoadReport;
import io.fleetbench.telemetry.ShardSizing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes a run's report twice: {@code report.json} for programs and {@code summary.txt} for people. */
public final class ReportWriter {
    // Reading ignores fields it does not know: reports of newer builds stay comparable with older ones.
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReportWriter() {
    }

    /** Writes both files into the run folder and returns the summary text. */
    public static String write(RunReport report, Path runDir) throws IOException {
        JSON.writeValue(runDir.resolve("report.json").toFile(), report);
        String summary = summary(report);
        Files.writeString(runDir.resolve("summary.txt"), summary);
        return summary;
    }

    /** Writes an audit's verdict into a run folder and returns its text. */
    public static String write(AuditReport audit, Path runDir) throws IOException {
        JSON.writeValue(runDir.resolve(AuditReport.JSON_FILE).toFile(), audit);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "audit of %s: lake %s, %d manifest(s), %.1f s (%,.0f rows/s)%n",
                audit.runFolder(), audit.lake(), audit.manifests().size(), audit.seconds(), audit.rowsPerSecond()));
        for (RunReport.Table t : audit.tables()) {
            b.append(String.format(Locale.ROOT, "table %s: %,d rows, %,d distinct events, %,d files, %,d bytes%n",
                    t.name(), t.rows(), t.distinctEventIds(), t.files(), t.bytes()));
        }
        audit(b, audit.audit());
        Files.writeString(runDir.resolve(AuditReport.TEXT_FILE), b.toString());
        return b.toString();
    }

    /** Reads an audit's verdict written by {@link #write(AuditReport, Path)}. */
    public static AuditReport readAudit(Path json) throws IOException {
        return JSON.readValue(json.toFile(), AuditReport.class);
    }

    /** The report as {@code report.json} holds it. */
    public static String json(RunReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the report of run " + report.runId() + " as JSON", e);
        }
    }

    /** Reads a report written by {@link #write}. */
    public static RunReport read(Path reportJson) throws IOException {
        return JSON.readValue(reportJson.toFile(), RunReport.class);
    }

    /** A line on the events whose attempts timed out or lost their connection, if there were any. */
    private static void ambiguous(StringBuilder b, RunReport.Producer p) {
        if (p.ambiguous() == 0 && p.acknowledgedAfterAmbiguous() == 0) {
            return;
        }
        b.append(String.format(Locale.ROOT, "producer ambiguous: %,d given up on after an attempt that timed out or lost"
                        + " its connection (each in the stream once or not at all); %,d acknowledged after such an"
                        + " attempt (each possibly in the stream twice)%n", p.ambiguous(),
                p.acknowledgedAfterAmbiguous()));
    }

    /** A line on the events sent again because the stream was resharded under their aggregate, if there were any. */
    private static void reaggregated(StringBuilder b, RunReport.Producer p) {
        if (p.reaggregated() == 0) {
            return;
        }
        b.append(String.format(Locale.ROOT, "producer re-aggregated: %,d events sent again, aggregated by the stream's"
                + " new shards: their aggregate landed in a shard whose hash-key range does not hold them all, which a"
                + " KPL-aware consumer drops%n", p.reaggregated()));
    }

    /** A line on the acknowledgement manifest, saying so when it is missing or stale. */
    private static void manifest(StringBuilder b, RunReport.Manifest m) {
        if (m == null) {
            return;
        }
        if (m.usable()) {
            b.append(String.format(Locale.ROOT, "manifest: %s, complete, %s, written %,d times (the longest write"
                    + " %.0f ms)%n", m.file(), ByteSize.format(m.bytes()), m.writes(), m.longestWriteMs()));
        } else {
            b.append(String.format(Locale.ROOT, "manifest: %s %s%s%n", m.file(), m.writes() == 0 ? "is MISSING"
                            : "is STALE: it holds what was decided up to its last write during the run, not every event sent",
                    m.problem() == null ? "" : " (" + m.problem() + ")"));
        }
    }

    /** The infrastructure faults' words in the summary, by their label in the report. */
    private static final Map<String, String> FAULT_WORDS = Map.of("stall", "held by the stall", "latency", "delayed",
            "reset_before", "reset before forwarding", "reset_after", "reset after forwarding",
            "internal_failure", "HTTP 500", "service_unavailable", "HTTP 503");

    /** A line on the infrastructure faults injected, if any were asked for: what, and the calls each hit. */
    private static void infrastructure(StringBuilder b, RunReport.Infrastructure f) {
        if (f == null) {
            return;
        }
        StringBuilder hits = new StringBuilder();
        f.callsHit().forEach((fault, n) -> {
            if (n > 0) {
                hits.append(hits.isEmpty() ? "" : ", ").append(FAULT_WORDS.getOrDefault(fault, fault.replace('_', ' ')))
                        .append(String.format(Locale.ROOT, " %,d", n));
            }
        });
        b.append(String.format(Locale.ROOT, "infrastructure faults: %s; calls hit: %s%n", f.faults(),
                hits.isEmpty() ? "none" : hits));
    }

    /** Lines on the fleet's HTTP requests and the run's own ingestion endpoint, for a run with {@code target: http}. */
    private static void http(StringBuilder b, RunReport.Http h) {
        if (h == null) {
            return;
        }
        b.append(String.format(Locale.ROOT, "http: %s (%s, HTTP/%s): %,d requests, %,d 2xx, %,d 4xx, %,d 5xx,"
                        + " %,d connection errors, %,d connections opened; by outcome %s%n", h.url(), h.format(),
                h.version(), h.requests(), h.status2xx(), h.status4xx(), h.status5xx(), h.connectionErrors(),
                h.connectionsOpened(), h.requestsByOutcome()));
        RunReport.Ingest i = h.ingest();
        if (i != null) {
            b.append(String.format(Locale.ROOT, "ingest: answered %s; %,d events pushed back, nothing written (503 for want"
                    + " of room, or an injected 429); events refused by reason %s%n", i.requestsByStatus(), i.backpressure(), i.rejectedByReason()));
        }
    }

    static String summary(RunReport r) {
        StringBuilder b = new StringBuilder();
        RunReport.Producer p = r.producer();
        RunReport.Pipeline l = r.pipeline();
        b.append(String.format(Locale.ROOT, "run %s: profile %s, %.1f s%n", r.runId(), r.profile(), r.durationSeconds()));
        b.append(String.format(Locale.ROOT,
                "producer: target %,.0f/s, sustained %,.0f/s; sent %,d, acknowledged %,d, failed %,d, shortfall %,d; "
                        + "put latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                p.targetRate(), p.sustainedRate(), p.sent(), p.acknowledged(), p.failed(), p.shortfall(),
                p.putLatencyP50Ms(), p.putLatencyP99Ms(), p.putLatencyMaxMs()));
        ambiguous(b, p);
        reaggregated(b, p);
        manifest(b, p.manifest());
        infrastructure(b, r.infrastructure());
        http(b, r.http());
        if (r.load() != null) {
            load(b, r.load());
        }
        if (r.shardLoad() != null) {
            shardLoad(b, r.shardLoad());
        }
        if (l == null) {
            cost(b, r.cost());
            aborted(b, r.aborted(), "drained");
            thresholds(b, r.thresholds());
            return b.toString();
        }
        boolean external = "external".equals(l.kind());
        b.append(String.format(Locale.ROOT,
                "pipeline%s: stream %s (%d shards, %s); %sfirst row after %s of the run; "
                        + "drain %.1f s; %,d rows committed, %,d %s%n",
                external ? " (external, seen through its lake)" : "", l.stream(), l.shards(), l.streamEmulator(),
                external ? "" : "first lease after " + seconds(l.timeToFirstLeaseSeconds()) + ", ",
                seconds(l.timeToFirstRowSeconds()), l.drainSeconds(), l.rowsCommitted(), l.invalidRecords(),
                external ? "dead letters" : "invalid records"));
        RunReport.Sink k = l.sink();
        if (k != null) {
            b.append(String.format(Locale.ROOT, "sink: %,d Delta commits carrying %.1f shards, %.1f files and %,.0f bytes"
                            + " on average; flush p99 %.0f ms; producer duplicates recognised: %,d kept, %,d dropped%n",
                    k.commits(), k.sourcesPerCommit(), k.filesPerCommit(), k.bytesPerCommit(), k.flushLatencyP99Ms(),
                    k.duplicatesKept(), k.duplicatesDropped()));
            if (k.droppedAsCommitted() != null && k.droppedAsCommitted() > 0) {
                b.append(String.format(Locale.ROOT, "sink: %,d records read again and dropped, their tables held them"
                        + " already%n", k.droppedAsCommitted()));
            }
            if (k.busySeconds() != null) {
                b.append(String.format(Locale.ROOT, "sink busy: %.2f s, %s per row committed%n", k.busySeconds(),
                        k.busyUsPerRow() == null ? "n/a" : String.format(Locale.ROOT, "%.2f us", k.busyUsPerRow())));
            }
        }
        RunReport.Compaction c = l.compaction();
        if (c != null) {
            b.append(String.format(Locale.ROOT, "compaction: %,d passes every %.0f s toward %s files (%s): %,d commits of %,d bins,"
                            + " %,d files -> %,d, %,d bytes read, %,d written; %,d conflicts planned again%s; busy %.1f s%n",
                    c.passes(), c.intervalSeconds(), c.targetFileBytes() % (1L << 20) == 0
                            ? (c.targetFileBytes() >> 20) + " MiB" : c.targetFileBytes() + " B",
                    c.includeOpenPartitions() ? "open partitions too"
                            : String.format(Locale.ROOT, "partitions closed for %.0f s", c.closedAfterSeconds()),
                    c.commits(), c.bins(), c.filesRemoved(), c.filesAdded(), c.bytesRead(), c.bytesWritten(),
                    c.conflicts(), c.failedTables() == 0 ? "" : String.format(Locale.ROOT, "; %,d table passes FAILED",
                            c.failedTables()), c.busySeconds()));
        }
        for (RunReport.Table t : r.tables()) {
            b.append(String.format(Locale.ROOT, "table %s: %,d rows, %,d distinct event ids, %,d files, %,d bytes%s%n",
                    t.name(), t.rows(), t.distinctEventIds(), t.files(), t.bytes(), freshness(t.freshness())));
        }
        if (r.lake() != null) {
            lake(b, r.lake());
        }
        health(b, r.health());
        restarts(b, r.restarts());
        if (r.audit() != null) {
            audit(b, r.audit());
        }
        cost(b, r.cost());
        aborted(b, r.aborted(), "drained and audited");
        thresholds(b, r.thresholds());
        return b.toString();
    }

    /**
     * The audit's lines: the verdict with the set comparison, then duplicates by cause, dead letters, and
     * the problems found.
     */
    public static void audit(StringBuilder b, RunReport.Audit a) {
        b.append(String.format(Locale.ROOT, "audit: %s: %,d acknowledged, %,d distinct events in %,d rows, %,d lost,"
                        + " %,d unexpected, %,d duplicated by the pipeline, %,d producer re-sends%s%n",
                a.passed() ? "PASSED" : "FAILED", a.acknowledged(), a.distinctEvents(), a.rowsInLake(), a.lost(),
                a.unexpected(), a.duplicated(), a.producerResends(), causes(a.resendsByCause())));
        if (a.lostWithStream() > 0) {
            b.append(String.format(Locale.ROOT, "  lost with the stream (in it when a fault destroyed its contents): %,d%n",
                    a.lostWithStream()));
        }
        if (a.ambiguous() > 0) {
            b.append(String.format(Locale.ROOT, "  ambiguous (given up after an attempt of unknown outcome): %,d,"
                    + " of which %,d landed%n", a.ambiguous(), a.ambiguousLanded()));
        }
        if (!a.manifestComplete()) {
            b.append(String.format(Locale.ROOT, "  the acknowledgement manifest is incomplete (the run did not finish):"
                    + " judged up to its last flush; %,d events in the lake were sent after it%n", a.notInManifest()));
        }
        if (a.expectedDeadLettersMax() > 0 || a.deadLetters() > 0) {
            b.append(String.format(Locale.ROOT, "  dead letters: %,d (expected %s)%s%n", a.deadLetters(),
                    a.expectedDeadLettersMin() == a.expectedDeadLettersMax()
                            ? String.format(Locale.ROOT, "%,d", a.expectedDeadLettersMin())
                            : String.format(Locale.ROOT, "%,d to %,d", a.expectedDeadLettersMin(), a.expectedDeadLettersMax()),
                    a.invalidRecords() == null ? "" : String.format(Locale.ROOT, "; the consumer counted %,d invalid",
                            a.invalidRecords())));
        }
        if (a.newerSchemaRows() > 0) {
            b.append(String.format(Locale.ROOT, "  rows of a newer schema version: %,d%n", a.newerSchemaRows()));
        }
        for (String problem : a.problems()) {
            b.append("  - ").append(problem).append(System.lineSeparator());
        }
    }

    /** The emulators killed and restarted while the load ran, one line each. */
    private static void restarts(StringBuilder b, java.util.List<RunReport.EmulatorRestart> restarts) {
        if (restarts == null) {
            return;
        }
        for (RunReport.EmulatorRestart e : restarts) {
            b.append(String.format(Locale.ROOT, "fault: %s killed at %.1f s of the load and restarted in %.1f s; %s",
                    e.emulator(), e.atSeconds(), e.restartSeconds(), e.recovery()));
            if (e.streamLossEvents() != null) {
                b.append(String.format(Locale.ROOT, "; %,d events were in the stream it destroyed (%s)",
                        e.streamLossEvents(), e.streamLossManifest()));
            }
            b.append(System.lineSeparator());
        }
    }

    private static void health(StringBuilder b, RunReport.Health h) {
        if (h == null) {
            return;
        }
        RunReport.HealthWindow s = h.start();
        RunReport.HealthWindow e = h.end();
        b.append(String.format(Locale.ROOT, "process, %.0f-%.0f s of the load -> %.0f-%.0f s: heap after GC %s -> %s MiB,"
                        + " threads %s -> %s, open files %s -> %s, commit latency p50 %s -> %s ms, p99 %s -> %s ms%n",
                s.fromSeconds(), s.toSeconds(), e.fromSeconds(), e.toSeconds(), figure(s.heapAfterGcMiB()),
                figure(e.heapAfterGcMiB()), figure(s.threads()), figure(e.threads()), figure(s.openFiles()),
                figure(e.openFiles()), figure(s.commitLatencyP50Ms()), figure(e.commitLatencyP50Ms()),
                figure(s.commitLatencyP99Ms()), figure(e.commitLatencyP99Ms())));
    }

    private static String figure(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String causes(Map<String, Long> byCause) {
        if (byCause == null || byCause.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (");
        byCause.forEach((cause, n) -> s.append(s.length() > 2 ? ", " : "").append(cause.replace('_', ' '))
                .append(String.format(Locale.ROOT, " %,d", n)));
        return s.append(')').toString();
    }

    private static void cost(StringBuilder b, CostReport cost) {
        if (cost != null) {
            b.append(CostText.summary(cost));
        }
    }

    /** The abortOnFail threshold that stopped the load, if one did; {@code after} says what became of what was sent. */
    private static void aborted(StringBuilder b, RunReport.Aborted a, String after) {
        if (a != null) {
            b.append(String.format(Locale.ROOT, "aborted: %s %s FAILED while the load ran, observed %s at %.1f s:"
                            + " the load was stopped there; what was sent was %s%n",
                    a.threshold(), a.condition(), number(a.observed()), a.atSeconds(), after));
        }
    }

    /** Each threshold with its outcome and the value observed; one without a value failed. */
    private static void thresholds(StringBuilder b, java.util.List<RunReport.ThresholdResult> results) {
        if (results == null || results.isEmpty()) {
            return;
        }
        long failed = results.stream().filter(t -> !t.passed()).count();
        b.append(String.format(Locale.ROOT, "thresholds: %s%n", failed == 0
                ? "all " + results.size() + " PASSED" : failed + " of " + results.size() + " FAILED"));
        for (RunReport.ThresholdResult t : results) {
            b.append(String.format(Locale.ROOT, "  - %s %s: %s, observed %s%n", t.metric(), t.condition(),
                    t.passed() ? "passed" : "FAILED", t.observed() == null ? "no value" : number(t.observed())));
        }
    }

    /** A whole number as such, any other to six significant digits; never in exponent form. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** The small files left in the lake: over every table, then table by table; all partitions, then closed ones. */
    private static void lake(StringBuilder b, RunReport.Lake k) {
        b.append(String.format(Locale.ROOT, "lake: %s of the bytes in small files (below a quarter of the table's target"
                        + " file size), %s in closed partitions (no file added for %.0f s at %s)%n",
                percent(k.all().smallBytesShare()), percent(k.closed().smallBytesShare()), k.closedAfterSeconds(),
                k.closedAsOf()));
        for (RunReport.LakeTable t : k.tables()) {
            b.append(String.format(Locale.ROOT, "  %s (target %s): all %s; closed %s%n", t.name(),
                    ByteSize.format(t.targetFileBytes()), partitions(t.all()), partitions(t.closed())));
        }
        b.append(String.format(Locale.ROOT, "  total: all %s; closed %s%n", partitions(k.all()), partitions(k.closed())));
        for (String problem : k.problems()) {
            b.append("  - ").append(problem).append(System.lineSeparator());
        }
    }

    private static String partitions(RunReport.Partitions p) {
        return String.format(Locale.ROOT, "%s, %s, %,d bytes, %s of %,d bytes (%s)", count(p.partitions(), "partition"),
                count(p.files(), "file"), p.bytes(), count(p.smallFiles(), "small file"), p.smallBytes(),
                percent(p.smallBytesShare()));
    }

    /** A count and its noun, plural unless the count is one. */
    private static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** Shortfall is stated, never hidden: how much, and which stages fell short. */
    private static void load(StringBuilder b, RunReport.Load d) {
        if (d.heldTarget()) {
            b.append(String.format(Locale.ROOT, "load: %s; held the target: every one of %,d due events sent on time%n",
                    d.kind(), d.due()));
        } else {
            b.append(String.format(Locale.ROOT, "load: %s; FELL SHORT of the target: %,d of %,d due events not sent (%.2f %%)%n",
                    d.kind(), d.shortfall(), d.due(), 100 * d.shortfallShare()));
            for (RunReport.Stage st : d.stages()) {
                if (st.shortfall() > 0) {
                    b.append(String.format(Locale.ROOT, "  - stage %d (%.0f-%.0f s, %,.0f -> %,.0f events/s): %,d short%n",
                            st.stage(), st.startSeconds(), st.endSeconds(), st.fromRate(), st.toRate(), st.shortfall()));
                }
            }
        }
        RunReport.MaxRateSearch m = d.maxRateSearch();
        if (m != null) {
            b.append(String.format(Locale.ROOT, "max-rate search: sustained %,.0f events/s; %s%n", m.sustainedRate(),
                    m.stoppedBy().isEmpty() ? "stopped before a step failed" : m.stoppedBy()));
            for (RunReport.SearchStep st : m.steps()) {
                b.append(String.format(Locale.ROOT, "  - step %d at %,.0f events/s: %,d due, %,d short, put p99 %.1f ms: %s%n",
                        st.step(), st.rate(), st.due(), st.shortfall(), st.putLatencyP99Ms(), st.held() ? "held" : "FELL SHORT"));
            }
        }
    }

    private static void shardLoad(StringBuilder b, ShardLoadReport s) {
        b.append(String.format(Locale.ROOT,
                "shards: peak %,d records/s and %,d bytes/s on one shard (AWS limits %,d and %,d); the load needs %d shards"
                        + " at each shard's busiest second with %.0f%% headroom (%d without aggregation, %d with)%n",
                s.peakRecordsPerSecond(), s.peakBytesPerSecond(), s.recordsPerSecondLimit(), s.bytesPerSecondLimit(),
                s.shardsNeeded(), 100 * (1 - ShardSizing.HEADROOM), s.shardsNeededWithoutAggregation(),
                s.shardsNeededWithAggregation()));
        if (!s.throttledShards().isEmpty()) {
            b.append("shards: AWS would throttle ").append(String.join(", ", s.throttledShards()))
                    .append(System.lineSeparator());
        }
    }

    private static String freshness(RunReport.Freshness f) {
        return f == null ? "" : String.format(Locale.ROOT, "; visible %.0f ms after production at p50, %.0f ms at p99",
                f.p50Ms(), f.p99Ms());
    }

    private static String seconds(Double s) {
        return s == null ? "never" : String.format(Locale.ROOT, "%.1f s", s);
    }
}
