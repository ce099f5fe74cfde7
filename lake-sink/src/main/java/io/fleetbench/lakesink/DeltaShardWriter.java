package io.fleetbench.lakesink;

import io.fleetbench.sink.DeadLetter;
import io.fleetbench.sink.PositionRegressionException;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.sink.SourceTakenOverException;

import io.fleetbench.lake.CommitOutcome;
import io.fleetbench.lake.DeltaCommit;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes one source's records into a Parquet file per table and partition as they come, and commits
 * them with the source's progress.
 *
 * <p>The sink claimed the source in every table when it opened this writer (see
 * {@link DeltaTable#claim}), so a commit refused by the source's {@code txn} version means a newer
 * writer has claimed it since: this writer is a stale owner. It deletes its uncommitted files, closes
 * and throws {@link SourceTakenOverException}; the new owner reads the records again from the last
 * checkpoint and drops the ones the tables hold. Each record thus lands once whichever writer commits
 * it, and no writer ever has to take part of its files back.
 *
 * <p>A commit that throws may have landed (e.g. the failure was in the checkpoint after it): the
 * writer reads the source's {@code txn} version back and retries only a commit that did not land.
 */
final class DeltaShardWriter implements ShardWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaShardWriter.class);

    /** Commit attempts per table and flush when a failed commit is found not to have landed. */
    static final int MAX_COMMIT_ATTEMPTS = 3;

    private final String appId;
    private final LakeSinkConfig config;
    private final Clock clock;
    private final SinkMetrics metrics;
    private final BusyTime busy;
    private final MemoryBudget memory;
    private final Map<EventFamily, TableState<SinkRecord>> tables = new EnumMap<>(EventFamily.class);
    private final TableState<DeadLetter> deadLetters;
    /** Every table's state, event tables first, in the order they are committed. */
    private final List<TableState<?>> all = new ArrayList<>();
    private final RecentEventIds recentIds;
    private SourcePosition lastAppended;
    private long publishedBuffered;
    private long publishedUncommitted;
    private boolean closed;

    /** What a table counts about its uncommitted rows, reported once they are committed. */
    private interface Tally<R> {
        void add(R row);

        void committed(long committedAtMillis);

        void clear();
    }

    private static final class TableState<R> {
        final DeltaTable table;
        final PartitionedFiles<R> files;
        final Tally<R> tally;
        TableProgress progress;
        SourcePosition highest;
        Instant oldest;

        TableState(DeltaTable table, PartitionedFiles<R> files, Tally<R> tally, TableProgress progress) {
            this.table = table;
            this.files = files;
            this.tally = tally;
            this.progress = progress;
        }

        void reset() {
            highest = null;
            oldest = null;
            tally.clear();
        }
    }

    /**
     * @param appId the source's {@code txn} application id in every table
     * @param shard the shard every event row records as its {@link Provenance}
     */
    DeltaShardWriter(String appId, String shard, LakeSinkConfig config, Configuration conf, Clock clock,
                     SinkMetrics metrics, BusyTime busy, MemoryBudget memory,
                     Map<EventFamily, DeltaTable> tablesByFamily, Map<EventFamily, TableProgress> progress,
                     DeltaTable deadLetterTable, TableProgress deadLetterProgress) {
        this.appId = appId;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.busy = busy;
        this.memory = memory;
        for (EventFamily f : EventFamily.values()) {
            DeltaTable table = tablesByFamily.get(f);
            TableState<SinkRecord> t = new TableState<>(table, new PartitionedFiles<>(
                    new EventFormat(EventSchema.of(f), shard), conf, table.root(), config.targetFileBytes(),
                    config.rowGroupBytes()), freshness(table.name()), progress.get(f));
            tables.put(f, t);
            all.add(t);
        }
        deadLetters = new TableState<>(deadLetterTable, new PartitionedFiles<>(new DeadLetterFormat(), conf,
                deadLetterTable.root(), config.targetFileBytes(), config.rowGroupBytes()), reasons(),
                deadLetterProgress);
        all.add(deadLetters);
        recentIds = config.duplicateWindow() > 0 ? new RecentEventIds(config.duplicateWindow()) : null;
    }

    /** Events count their freshness: from production to the commit that made them visible. */
    private Tally<SinkRecord> freshness(String table) {
        ProducedTimes produced = new ProducedTimes();
        return new Tally<>() {
            @Override
            public void add(SinkRecord row) {
                produced.add(row.event().producedAtMillis());
            }

            @Override
            public void committed(long committedAtMillis) {
                produced.committed(committedAtMillis, (millis, rows) -> metrics.visibleAfter(table, millis, rows));
            }

            @Override
            public void clear() {
                produced.clear();
            }
        };
    }

    /** Dead letters are counted by reason. */
    private Tally<DeadLetter> reasons() {
        Map<String, Long> byReason = new TreeMap<>();
        return new Tally<>() {
            @Override
            public void add(DeadLetter row) {
                byReason.merge(row.reason(), 1L, Long::sum);
            }

            @Override
            public void committed(long committedAtMillis) {
                byReason.forEach(metrics::deadLettersCommitted);
                byReason.clear();
            }

            @Override
            public void clear() {
                byReason.clear();
            }
        };
    }

    /** What this writer holds as committed for a table (for tests and diagnostics). */
    TableProgress progress(EventFamily family) {
        return tables.get(family).progress;
    }

    /** What this writer holds as committed for the dead-letter table (for tests and diagnostics). */
    TableProgress deadLetterProgress() {
        return deadLetters.progress;
    }

    @Override
    public boolean append(SinkRecord record) {
        checkOpen();
        long started = busy.start();
        try {
            return appendEvent(record);
        } finally {
            busy.end(started);
        }
    }

    private boolean appendEvent(SinkRecord record) {
        TelemetryEvent event = record.event();
        TableState<SinkRecord> t = tables.get(event.family());
        SourcePosition p = record.position();
        if (t.progress.covers(p)) {
            metrics.droppedAsCommitted(t.table.name());
            if (recentIds != null) {
                recentIds.seenBefore(event.eventId());
            }
            return false;
        }
        advance(p);
        if (recentIds != null && recentIds.seenBefore(event.eventId())) {
            metrics.duplicate(t.table.name(), config.dropDuplicates());
            if (config.dropDuplicates()) {
                return false;
            }
        }
        add(t, record, p);
        return true;
    }

    @Override
    public boolean appendDeadLetter(DeadLetter deadLetter) {
        checkOpen();
        long started = busy.start();
        try {
            return appendDead(deadLetter);
        } finally {
            busy.end(started);
        }
    }

    private boolean appendDead(DeadLetter deadLetter) {
        SourcePosition p = deadLetter.position();
        if (deadLetters.progress.covers(p)) {
            metrics.droppedAsCommitted(deadLetters.table.name());
            return false;
        }
        advance(p);
        add(deadLetters, deadLetter, p);
        return true;
    }

    private void advance(SourcePosition p) {
        if (lastAppended != null && p.compareTo(lastAppended) <= 0) {
            throw new PositionRegressionException("append to " + appId, lastAppended, p);
        }
        lastAppended = p;
    }

    private <R> void add(TableState<R> t, R row, SourcePosition p) {
        t.files.append(row);
        t.tally.add(row);
        t.highest = p;
        if (t.oldest == null) {
            t.oldest = clock.instant();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Due when the oldest uncommitted record reached the allowed latency, or when the sink's writers
     * together exhausted the memory budget and this one holds anything in memory.
     */
    @Override
    public boolean flushDue() {
        checkOpen();
        long buffered = publish();
        Instant oldest = null;
        for (TableState<?> t : all) {
            if (t.oldest != null && (oldest == null || t.oldest.isBefore(oldest))) {
                oldest = t.oldest;
            }
        }
        if (oldest != null && !clock.instant().isBefore(oldest.plus(config.maxBufferLatency()))) {
            return true;
        }
        return buffered > 0 && memory.exhausted();
    }

    /** Publishes this writer's buffered and uncommitted bytes to the sink's budget; returns the buffered bytes. */
    private long publish() {
        long buffered = 0;
        long uncommitted = 0;
        for (TableState<?> t : all) {
            buffered += t.files.bufferedBytes();
            uncommitted += t.files.uncommittedBytes();
        }
        memory.add(buffered - publishedBuffered, uncommitted - publishedUncommitted);
        publishedBuffered = buffered;
        publishedUncommitted = uncommitted;
        return buffered;
    }

    /**
     * {@inheritDoc}
     *
     * @throws SourceTakenOverException if a newer writer claimed the source: this writer deleted what it
     *                                  had not committed and is closed
     */
    @Override
    public Optional<SourcePosition> flush() {
        checkOpen();
        long started = busy.startCpu();
        Optional<SourcePosition> highest = Optional.empty();
        try {
            for (TableState<?> t : all) {
                if (t.files.isEmpty()) {
                    continue;
                }
                SourcePosition committed = flush(t);
                if (highest.isEmpty() || committed.compareTo(highest.get()) > 0) {
                    highest = Optional.of(committed);
                }
            }
        } finally {
            if (!closed) {
                publish();
            }
            busy.endCpu(started);
        }
        return highest;
    }

    /** Finishes one table's files and commits them; returns the table's position after. */
    private <R> SourcePosition flush(TableState<R> t) {
        String name = t.table.name();
        long started = System.nanoTime();
        long rows = t.files.rows();
        TableProgress next = t.progress.advanceTo(t.highest);
        List<WrittenFile> written = t.files.finishAll();
        try {
            commit(t, next, written);
        } catch (SourceTakenOverException e) {
            LOG.info("table {}: a newer writer claimed {}; discarding {} uncommitted rows, the new owner reads them again",
                    name, appId, rows);
            for (WrittenFile f : written) {
                t.table.deleteUncommitted(f);
            }
            close();
            throw e;
        } catch (RuntimeException e) {
            // Unresolved: the files may be in the table, so they stay (if not, vacuum removes them); the rest goes.
            close();
            throw e;
        }
        long committedAt = clock.millis();
        long bytes = 0;
        for (WrittenFile f : written) {
            bytes += f.sizeBytes();
            metrics.fileCommitted(name, f.sizeBytes());
        }
        metrics.committed(name, written.size(), rows, bytes, Duration.ofNanos(System.nanoTime() - started));
        t.tally.committed(committedAt);
        t.progress = next;
        t.reset();
        return next.position().orElseThrow();
    }

    private void commit(TableState<?> t, TableProgress next, List<WrittenFile> files) {
        String name = t.table.name();
        for (int attempt = 1; ; attempt++) {
            CommitOutcome outcome = DeltaCommit.attempt(
                    () -> t.table.commit(appId, t.progress, next, files, clock.millis()),
                    failure -> t.table.resolve(appId, t.progress, next, failure));
            if (outcome instanceof CommitOutcome.Committed c) {
                if (c.failure().isPresent()) {
                    metrics.commitResolved(name, true);
                    LOG.warn("table {}: commit of {} at txn version {} threw but had landed at table version {}", name,
                            appId, next.txnVersion(), c.version(), c.failure().get());
                }
                return;
            }
            if (outcome instanceof CommitOutcome.Conflict c) {
                throw c.cause();
            }
            RuntimeException e = ((CommitOutcome.NotLanded) outcome).cause();
            metrics.commitResolved(name, false);
            if (attempt >= MAX_COMMIT_ATTEMPTS) {
                throw e;
            }
            LOG.warn("table {}: commit of {} at txn version {} did not land (attempt {} of {}), retrying", name, appId,
                    next.txnVersion(), attempt, MAX_COMMIT_ATTEMPTS, e);
        }
    }

    /** Deletes what was not committed and gives the writer's share of the memory budget back. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (TableState<?> t : all) {
                t.files.abort();
                t.reset();
            }
            memory.add(-publishedBuffered, -publishedUncommitted);
            publishedBuffered = 0;
            publishedUncommitted = 0;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("writer for " + appId + " is closed");
        }
    }
}
