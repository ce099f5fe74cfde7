package io.fleetbench.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fleetbench.report.cost.CostReport;
import io.fleetbench.telemetry.ShardLoadReport;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did and found, written as {@code runs/<id>/report.json} so that runs can be compared
 * by programs. Field names are snake_case in the JSON; times are in seconds, rates in events/s.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
        String runId,
        String profile,
        String profileFile,
        String startedAt,
        double durationSeconds,
        Producer producer,
        Load load,
        ShardLoadReport shardLoad,
        Pipeline pipeline,
        List<Table> tables,
        Lake lake,
        Audit audit,
        List<ThresholdResult> thresholds,
        Aborted aborted,
        CostReport cost,
        Health health,
        Infrastructure infrastructure,
        List<EmulatorRestart> restarts,
        Http http) {

    /** A report of a run whose fleet sent straight into the stream. */
    public RunReport(String runId, String profile, String profileFile, String startedAt, double durationSeconds,
                     Producer producer, Load load, ShardLoadReport shardLoad, Pipeline pipeline, List<Table> tables,
                     Lake lake, Audit audit, List<ThresholdResult> thresholds, Aborted aborted, CostReport cost,
                     Health health, Infrastructure infrastructure, List<EmulatorRestart> restarts) {
        this(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline, tables, lake,
                audit, thresholds, aborted, cost, health, infrastructure, restarts, null);
    }

    /** A report without thresholds judged. */
    public RunReport(String runId, String profile, String profileFile, String startedAt, double durationSeconds,
                     Producer producer, Load load, ShardLoadReport shardLoad, Pipeline pipeline, List<Table> tables,
                     Lake lake, Audit audit) {
        this(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline, tables, lake,
                audit, null, null, null, null, null, null);
    }

    /** A report with thresholds judged, or none (null), and without cost. */
    public RunReport(String runId, String profile, String profileFile, String startedAt, double durationSeconds,
                     Producer producer, Load load, ShardLoadReport shardLoad, Pipeline pipeline, List<Table> tables,
                     Lake lake, Audit audit, List<ThresholdResult> thresholds) {
        this(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline, tables, lake,
                audit, thresholds, null, null, null, null, null);
    }

    /** This report with the profile's thresholds judged. */
    public RunReport withThresholds(List<ThresholdResult> results) {
        return new RunReport(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline,
                tables, lake, audit, List.copyOf(results), aborted, cost, health, infrastructure, restarts, http);
    }

    /** This report with what its load would cost on AWS. */
    public RunReport withCost(CostReport estimate) {
        return new RunReport(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline,
                tables, lake, audit, thresholds, aborted, estimate, health, infrastructure, restarts, http);
    }

    /** This report of a run whose load an abortOnFail threshold stopped; null for a run that was not stopped. */
    public RunReport withAborted(Aborted by) {
        return new RunReport(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline,
                tables, lake, audit, thresholds, by, cost, health, infrastructure, restarts, http);
    }

    /** This report with the process's health at the start and the end of the load. */
    public RunReport withHealth(Health figures) {
        return new RunReport(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline,
                tables, lake, audit, thresholds, aborted, cost, figures, infrastructure, restarts, http);
    }

    /** This report with the infrastructure faults the run injected; null for a run without any. */
    public RunReport withInfrastructure(Infrastructure faults) {
        return new RunReport(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline,
                tables, lake, audit, thresholds, aborted, cost, health, faults, restarts, http);
    }

    /** This report with the emulators restarted while the load ran; null or empty for none. */
    public RunReport withRestarts(List<EmulatorRestart> done) {
        return new RunReport(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline,
                tables, lake, audit, thresholds, aborted, cost, health, infrastructure,
                done == null || done.isEmpty() ? null : List.copyOf(done), http);
    }

    /** This report with what the fleet's HTTP requests met; null for a run that sent straight into the stream. */
    public RunReport withHttp(Http figures) {
        return new RunReport(runId, profile, profileFile, startedAt, durationSeconds, producer, load, shardLoad, pipeline,
                tables, lake, audit, thresholds, aborted, cost, health, infrastructure, restarts, figures);
    }

    /**
     * The inputs of the cost model ({@link io.fleetbench.report.cost.CostModel}) that this run measured, with what
     * only the run knows.
     *
     * @param checkpoints       KCL checkpoints written, or null without a consumer
     * @param activeSeconds     seconds the consumer worked (send and drain), or null without a consumer
     * @param failoverMillis    the consumer's failover time
     * @param assignmentMillis  the consumer's lease assignment interval
     * @return the inputs, or null when the report has no shard load or no event was put
     */
    public CostReport.Inputs costInputs(Long checkpoints, Double activeSeconds, long failoverMillis,
                                         long assignmentMillis) {
        RunReport r = this;
        ShardLoadReport s = r.shardLoad();
        if (s == null || r.producer() == null) {
            return null;
        }
        long events = 0;
        long eventBytes = 0;
        long records = 0;
        long bytes = 0;
        long units = 0;
        for (ShardLoadReport.ShardLoad l : s.shards()) {
            events += l.userRecords();
            eventBytes += l.userBytes();
            records += l.records();
            bytes += l.bytes();
            units += l.payloadUnits();
        }
        if (events == 0 || r.producer().sustainedRate() <= 0) {
            return null;
        }
        Long commits = r.pipeline() != null && r.pipeline().sink() != null ? r.pipeline().sink().commits() : null;
        Long lakeBytes = null;
        Long lakeRows = null;
        if (r.tables() != null && !r.tables().isEmpty()) {
            lakeRows = r.tables().stream().mapToLong(RunReport.Table::rows).sum();
            lakeBytes = r.lake() != null && r.lake().all() != null ? r.lake().all().bytes()
                    : r.tables().stream().mapToLong(RunReport.Table::bytes).sum();
        }
        int streamShards = r.pipeline() != null ? r.pipeline().shards() : s.shards().size();
        return new CostReport.Inputs(r.producer().sustainedRate(), events, eventBytes, s.aggregation(), records, bytes,
                units, streamShards, activeSeconds, commits, checkpoints, lakeBytes, lakeRows, failoverMillis,
                assignmentMillis, s.shards().stream().map(ShardLoadReport.ShardLoad::peak).toList());
    }

    /** Whether a threshold was judged and failed, at the end or while the load ran (which stopped it). */
    public boolean thresholdFailed() {
        return aborted != null || thresholds != null && thresholds.stream().anyMatch(t -> !t.passed());
    }

    /**
     * One threshold of the profile judged against this report: the metric as the profile named it, the
     * condition, the value observed (null when the report has none, e.g. the stage did not run, which
     * fails the threshold) and whether it passed.
     */
    public record ThresholdResult(String metric, String condition, Double observed, boolean passed) {
    }

    /**
     * The abortOnFail threshold that stopped the load: the metric as the profile named it, the condition,
     * the value it had so far when it failed, and when, in seconds since the load started.
     */
    public record Aborted(String threshold, String condition, double observed, double atSeconds) {
    }

    /**
     * What the simulator sent and Kinesis acknowledged. Once drained, {@code sent == acknowledged + failed +
     * ambiguous}: {@code failed} events were given up on after attempts that all failed for sure (not in the
     * stream), {@code ambiguous} ones after at least one attempt that timed out or lost its connection (in the
     * stream once or not at all), and {@code acknowledgedAfterAmbiguous} of the acknowledged were accepted after
     * such an attempt (possibly in the stream twice). {@code manifest} tells how the producer's acknowledgement
     * manifest was written; absent in reports of runs without one and of older builds. {@code reaggregated} counts
     * events sent again, aggregated by the stream's new shards, because the stream was resharded under an
     * aggregate they were in (a KPL-aware consumer drops such an aggregate); 0 in reports of older builds.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Producer(double targetRate, double sustainedRate, long generated, long sent, long acknowledged,
                           long failed, Map<String, Long> failedByReason, long retried, long shortfall, long inFlight,
                           double putLatencyP50Ms, double putLatencyP99Ms, double putLatencyMaxMs,
                           long acknowledgedAfterAmbiguous, long ambiguous, Manifest manifest, long reaggregated) {
        /** The producer's figures of a run whose stream was not resharded under an aggregate. */
        public Producer(double targetRate, double sustainedRate, long generated, long sent, long acknowledged,
                        long failed, Map<String, Long> failedByReason, long retried, long shortfall, long inFlight,
                        double putLatencyP50Ms, double putLatencyP99Ms, double putLatencyMaxMs,
                        long acknowledgedAfterAmbiguous, long ambiguous, Manifest manifest) {
            this(targetRate, sustainedRate, generated, sent, acknowledged, failed, failedByReason, retried, shortfall,
                    inFlight, putLatencyP50Ms, putLatencyP99Ms, putLatencyMaxMs, acknowledgedAfterAmbiguous, ambiguous,
                    manifest, 0);
        }

        /** The producer's figures without ambiguous outcomes or a manifest. */
        public Producer(double targetRate, double sustainedRate, long generated, long sent, long acknowledged,
                        long failed, Map<String, Long> failedByReason, long retried, long shortfall, long inFlight,
                        double putLatencyP50Ms, double putLatencyP99Ms, double putLatencyMaxMs) {
            this(targetRate, sustainedRate, generated, sent, acknowledged, failed, failedByReason, retried, shortfall,
                    inFlight, putLatencyP50Ms, putLatencyP99Ms, putLatencyMaxMs, 0, 0, null);
        }
    }

    /**
     * The producer's acknowledgement manifest in the run folder: which events it had acknowledged, which
     * stayed ambiguous and which failed, per device. {@code complete} when its last write came after the
     * drain, with every event sent decided; otherwise it holds what was decided up to its last write, or is
     * missing if none succeeded ({@code writes} 0). {@code problem} is why a write failed, if one did.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(String file, boolean complete, long writes, long bytes, double lastWriteMs,
                           double longestWriteMs, String problem) {
        /** Whether the run folder holds a manifest of every event sent. */
        public boolean usable() {
            return complete && writes > 0;
        }
    }

    /**
     * Whether the simulator held the load's target, and where it did not: shortfall counts events
     * that were due but not sent at their intended time (k6's dropped_iterations).
     */
    public record Load(String kind, boolean heldTarget, long due, long shortfall, double shortfallShare,
                       List<Stage> stages, MaxRateSearch maxRateSearch) {
    }

    /** One stage of the load shape and its shortfall; rates are the targets at its start and end. */
    public record Stage(int stage, double startSeconds, double endSeconds, double fromRate, double toRate,
                        long shortfall) {
    }

    /** The outcome of a maximum-rate search: the highest step rate that held, and every step judged. */
    public record MaxRateSearch(double sustainedRate, String stoppedBy, List<SearchStep> steps) {
    }

    /** One step of a maximum-rate search. */
    public record SearchStep(int step, double rate, long due, long shortfall, double putLatencyP99Ms, boolean held) {
    }

    /**
     * How the pipeline behind the stream kept up. {@code kind} is the pipeline under test: {@code reference}
     * (fleetbench's own, started by the run) or {@code external} (a team's own, seen through its lake alone,
     * so without lease, sink or compaction figures); {@code compaction} is absent when the profile turned it off.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pipeline(String kind, String stream, int shards, String streamEmulator, Double timeToFirstLeaseSeconds,
                           Double timeToFirstRowSeconds, double drainSeconds, long rowsCommitted,
                           long invalidRecords, double committedRowsPerSecond, Sink sink, Compaction compaction) {
    }

    /**
     * How the lake sink committed, over every table: Delta commits (claims of shards included), the
     * shards, files and bytes an average commit carried, the slowest writer flushes, and the producer
     * duplicates its writers recognised, kept or dropped ({@code sink.dropDuplicates}); and the writers'
     * busy time (appending, finishing files, committing; absent in reports of older builds), in all, and per
     * row committed to the event tables in microseconds over the rows committed from the middle of the load
     * on, so that the start-up's class loading and JIT compilation are left out (over the whole run when
     * no row came after the middle; absent when no row was committed). {@code droppedAsCommitted}: records read
     * again that the writers dropped because their tables already held them (a shard read again from an older
     * checkpoint, after a lost lease or a lost lease table); absent in reports of older builds.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sink(long commits, double sourcesPerCommit, double filesPerCommit, double bytesPerCommit,
                       double flushLatencyP99Ms, long duplicatesKept, long duplicatesDropped, Double busySeconds,
                       Double busyUsPerRow, Long droppedAsCommitted) {
        /** A sink's figures without the records dropped as committed. */
        public Sink(long commits, double sourcesPerCommit, double filesPerCommit, double bytesPerCommit,
                    double flushLatencyP99Ms, long duplicatesKept, long duplicatesDropped, Double busySeconds,
                    Double busyUsPerRow) {
            this(commits, sourcesPerCommit, filesPerCommit, bytesPerCommit, flushLatencyP99Ms, duplicatesKept,
                    duplicatesDropped, busySeconds, busyUsPerRow, null);
        }
    }

    /**
     * What the compactor behind the sink did over the run, every table together: its settings, its
     * passes (the last one after the drain), the commits and bins it made, the files and bytes it
     * replaced and wrote, the commits refused by a concurrent commit (each planned again), the table
     * passes that failed, and the time it spent.
     */
    public record Compaction(double intervalSeconds, long targetFileBytes, double closedAfterSeconds,
                             boolean includeOpenPartitions, long passes, long commits, long bins, long filesRemoved,
                             long filesAdded, long bytesRead, long bytesWritten, long conflicts, long failedTables,
                             double busySeconds) {
    }

    /** One Delta table as the independent reader saw it. */
    public record Table(String name, String path, long rows, long distinctEventIds, long duplicateEventIds,
                        long files, long bytes, Freshness freshness) {
    }

    /**
     * The file sizes of the lake's tables (every Delta table under the run's lake, dead letters included)
     * after the drain and the compactor's last pass, as {@code fleetbench table health} reads them: per
     * table and over all of them, for all partitions and for the closed ones only. A file is small below
     * a quarter of its table's target file size. A partition is closed when no file has been added to it
     * for {@code closedAfterSeconds} ({@code compaction.closedAfter}) at {@code closedAsOf}: the start of the
     * compactor's last pass, so that a closed partition is one that pass was free to compact; without one,
     * when the figures were read. {@code problems} names the tables whose health could not be read.
     */
    public record Lake(double closedAfterSeconds, String closedAsOf, Partitions all, Partitions closed,
                       List<LakeTable> tables, List<String> problems) {
        public Lake {
            tables = List.copyOf(tables);
            problems = problems == null ? List.of() : List.copyOf(problems);
        }
    }

    /**
     * One table's file sizes; {@code targetFileBytes} is the target file size of the table (the
     * compactor's), and files below {@code smallFileBytes}, a quarter of it, are small.
     */
    public record LakeTable(String name, String path, long version, long targetFileBytes, long smallFileBytes,
                            Partitions all, Partitions closed) {
    }

    /**
     * The data files of a set of partitions: how many, their bytes, the small ones among them and their
     * bytes, and the share of the bytes in small files (0 without files).
     */
    public record Partitions(long partitions, long files, long bytes, long smallFiles, long smallBytes,
                             double smallBytesShare) {
        /** No partitions. */
        public static final Partitions NONE = new Partitions(0, 0, 0, 0, 0, 0);

        /** These partitions and others together. */
        public Partitions plus(Partitions o) {
            long b = bytes + o.bytes;
            long s = smallBytes + o.smallBytes;
            return new Partitions(partitions + o.partitions, files + o.files, b, smallFiles + o.smallFiles, s,
                    b == 0 ? 0 : (double) s / b);
        }
    }

    /**
     * The run's own process at the start and at the end of the load, to show that a long run stays flat:
     * each window is the mean over its seconds of the live samples.
     *
     * @param start the second tenth of the load (after the first tenth's warm-up)
     * @param end   the last tenth of the load
     */
    public record Health(HealthWindow start, HealthWindow end) {
    }

    /**
     * The process over one window of the load.
     *
     * @param fromSeconds        the window's start, seconds into the load
     * @param toSeconds          its end
     * @param heapAfterGcMiB     the old generation's size after the latest collection ({@code jvm.gc.live.data.size})
     * @param threads            live threads
     * @param openFiles          open file descriptors
     * @param commitLatencyP50Ms the lake sink's commit latency, median over the window; null without a sink
     * @param commitLatencyP99Ms the same, 99th percentile
     */
    public record HealthWindow(double fromSeconds, double toSeconds, Double heapAfterGcMiB, Double threads,
                               Double openFiles, Double commitLatencyP50Ms, Double commitLatencyP99Ms) {
    }

    /**
     * The infrastructure faults injected on the Kinesis API path (the profile's {@code infrastructure} section, by the
     * local proxy): what was asked for, and how many calls each kind of fault hit, every kind listed in a fixed order
     * ({@code stall}, {@code latency}, {@code reset_before}, {@code reset_after}, {@code internal_failure},
     * {@code service_unavailable}; 0 if none). A call is counted once per kind that hit it: a stalled call that was
     * then also delayed and reset counts under all three.
     *
     * @param faults   the faults asked for, as the run printed them at its start
     * @param callsHit calls each kind of fault hit
     */
    public record Infrastructure(String faults, Map<String, Long> callsHit) {
        public Infrastructure {
            callsHit = Collections.unmodifiableMap(new LinkedHashMap<>(callsHit));
        }

        /** Calls the kind of fault hit ({@code reset_after}, ...); 0 for a kind the report does not list. */
        public long hits(String fault) {
            return callsHit.getOrDefault(fault, 0L);
        }
    }

    /**
     * An emulator of the local stack killed and started again while the load ran ({@code infrastructure.restarts}).
     *
     * @param emulator           {@code dynalite} or {@code kinesalite}
     * @param atSeconds          when it was killed, seconds after the load's start
     * @param restartSeconds     from the kill until its port answered again
     * @param outageSeconds      from the start of the fault until the pipeline could go on: for dynalite, until the KCL
     *                           held a lease of every shard again (or, if it did not while the run lasted, until the
     *                           lease table was back); for kinesalite, the hold of every Kinesis call, until the stream
     *                           was back and the checkpoints reset
     * @param streamLossEvents   kinesalite: the fleet's events that were in the stream and were destroyed with it, as
     *                           recorded in {@code streamLossManifest}; null for dynalite
     * @param streamLossManifest kinesalite: the stream-loss manifest's file name in the run folder; null for dynalite
     * @param heldCalls          kinesalite: the Kinesis calls held while it restarted; null for dynalite
     * @param recovery           what was done to let the pipeline go on, as an operator would
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EmulatorRestart(String emulator, double atSeconds, double restartSeconds, double outageSeconds,
                                  Long streamLossEvents, String streamLossManifest, Integer heldCalls, String recovery) {
    }

    /** End-to-end freshness of a table's rows: from production to the commit that made them visible. */
    public record Freshness(double p50Ms, double p99Ms, double p999Ms, double maxMs) {
    }

    /**
     * The exact audit: the events in the lake compared, as sets, with what the producers recorded in their
     * acknowledgement manifests (see {@code docs/audit.md}).
     *
     * @param passed                  no lost, unexpected, pipeline-duplicated or foreign rows, dead letters as
     *                                expected, and the producer's accounts balance
     * @param manifestComplete        whether every producer finished and wrote its last manifest; if not (a
     *                                killed run), events sent after its last flush are {@code notInManifest}
     * @param acknowledged            events the manifests record as acknowledged
     * @param rowsInLake              rows of the event tables
     * @param distinctEvents          distinct events of the fleet among them that the manifests reach (each device's
     *                                sequence numbers up to its highest recorded one)
     * @param lost                    acknowledged events not in the lake (dead letters by design aside), except those
     *                                lost with the stream
     * @param lostWithStream          acknowledged events not in the lake that were in the stream when a fault
     *                                destroyed its contents (an emulator restarted): the fault's loss, not the pipeline's
     * @param unexpected              events in the lake never acknowledged, nor ambiguous
     * @param ambiguous               events given up on after an attempt whose outcome was unknown
     * @param ambiguousLanded         of those, the ones in the lake
     * @param notInManifest           events in the lake that an incomplete manifest does not record (rows, for
     *                                sequence numbers above every recorded one)
     * @param foreignRows             rows whose event id is not this fleet's
     * @param duplicated              rows repeating an event at the same stream position (pipeline duplicates),
     *                                also in the dead-letter table
     * @param producerResends         rows repeating an event at another stream position (producer re-sends)
     * @param resendsByCause          those, by cause: {@code resent_after_ambiguous}, {@code duplicate_fault},
     *                                {@code reaggregated_after_reshard}, {@code ambiguous_attempts},
     *                                {@code not_recorded}
     * @param deadLetters             records in the dead-letter table (distinct stream positions)
     * @param expectedDeadLettersMin  acknowledged events sent malformed, or with a schema version the pipeline
     *                                cannot decode
     * @param expectedDeadLettersMax  the same, counting ambiguous ones and re-sends
     * @param invalidRecords          what the consumer counted as invalid; null when not known
     * @param newerSchemaRows         rows of a schema version above the current one
     * @param producerAccountsBalance whether sent = acknowledged + failed + ambiguous held at the end
     * @param lostExamples            a few lost events, as {@code car-000017 #58}
     * @param unexpectedExamples      a few unexpected events
     * @param problems                why it failed, one sentence each
     */
    public record Audit(boolean passed, boolean manifestComplete, long acknowledged, long rowsInLake,
                        long distinctEvents, long lost, long lostWithStream, long unexpected, long ambiguous, long ambiguousLanded,
                        long notInManifest, long foreignRows, long duplicated, long producerResends,
                        Map<String, Long> resendsByCause, long deadLetters, long expectedDeadLettersMin,
                        long expectedDeadLettersMax, Long invalidRecords, long newerSchemaRows,
                        boolean producerAccountsBalance, List<String> lostExamples, List<String> unexpectedExamples,
                        List<String> problems) {
    }

    /**
     * What the fleet's HTTP requests met ({@code target: http}), and the run's own ingestion endpoint when it had one.
     *
     * @param url               where the requests went
     * @param format            the body format: event, batch or kinesis
     * @param version           the HTTP version: 1.1 or 2
     * @param requests          requests sent, retries included
     * @param requestsByOutcome requests by the status code that answered them, or {@code timeout},
     *                          {@code connection_lost}, {@code connection_failed}
     * @param status2xx         requests answered 2xx
     * @param status4xx         requests answered 4xx (429 included)
     * @param status5xx         requests answered 5xx (503 included)
     * @param connectionErrors  requests that timed out, lost their connection or never connected
     * @param connectionsOpened connections opened over the run
     * @param ingest            the run's own ingestion endpoint's figures; null when the requests went elsewhere
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Http(String url, String format, String version, long requests, Map<String, Long> requestsByOutcome,
                       long status2xx, long status4xx, long status5xx, long connectionErrors, long connectionsOpened,
                       Ingest ingest) {
        public Http {
            requestsByOutcome = Collections.unmodifiableMap(new java.util.TreeMap<>(requestsByOutcome));
        }
    }

    /**
     * The run's own ingestion endpoint ({@code fleetbench ingest} in front of the stream).
     *
     * @param requestsByStatus  requests it answered, by status code
     * @param rejectedByReason  events it refused, by reason: invalid, too_large, unauthorized, backpressure
     * @param backpressure      events it pushed back with {@code Retry-After}, nothing of them written: 503 because it had
     *                          no room (its buffer of undecided events or its producer full, or it was stopping), or 429
     *                          from an injected fault; the fleet retries them
     */
    public record Ingest(Map<String, Long> requestsByStatus, Map<String, Long> rejectedByReason, long backpressure) {
        public Ingest {
            requestsByStatus = Collections.unmodifiableMap(new java.util.TreeMap<>(requestsByStatus));
            rejectedByReason = Collections.unmodifiableMap(new java.util.TreeMap<>(rejectedByReason));
        }
    }
}
