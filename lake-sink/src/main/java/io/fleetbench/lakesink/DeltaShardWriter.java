package io.fleetbench.lakesink;

import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.ColumnType;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Buffers one source's records per table and partition, and commits them with the source's progress.
 *
 * <p>When another writer committed for the source since this one read the table (a KCL lease move
 * races an in-flight flush of the previous owner), the commit is refused by the source's {@code txn}
 * version. The writer then re-reads the source's progress, drops the buffered records the table now
 * holds, and commits the rest, if any, from the new version: like kafka-delta-ingest's
 * {@code ConflictingOffsets}. The writer cannot tell whether it is the new or the stale owner, and
 * need not: every commit is guarded by the {@code txn} version and carries only records above the
 * position it read, so each record lands once whichever writer commits it. The caller tells the two
 * apart by its lease (see the consumer's record processor).
 */
final class DeltaShardWriter implements ShardWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaShardWriter.class);

    /** Commit attempts per table and flush when a failed commit is found not to have landed. */
    static final int MAX_COMMIT_ATTEMPTS = 3;
    /**
     * Times per table and flush that the writer re-reads its progress after another writer committed
     * for the source; each one takes another writer's commit, so more mean a writer that keeps committing.
     */
    static final int MAX_RECONCILE_ATTEMPTS = 3;

    private final String appId;
    private final LakeSinkConfig config;
    private final Clock clock;
    private final SinkMetrics metrics;
    private final Map<EventFamily, TableState> tables = new EnumMap<>(EventFamily.class);
    private SourcePosition lastAppended;
    private boolean closed;

    private static final class TableState {
        final DeltaTable table;
        final EventFileWriter files;
        TableProgress progress;
        final Map<Partition, List<SinkRecord>> rows = new LinkedHashMap<>();
        SourcePosition highest;
        long bytes;
        Instant oldest;

        TableState(DeltaTable table, EventFileWriter files, TableProgress progress) {
            this.table = table;
            this.files = files;
            this.progress = progress;
        }
    }

    DeltaShardWriter(String appId, LakeSinkConfig config, Clock clock, SinkMetrics metrics,
                     Map<EventFamily, DeltaTable> tablesByFamily, Map<EventFamily, EventFileWriter> fileWriters,
                     Map<EventFamily, TableProgress> progress) {
        this.appId = appId;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        for (EventFamily f : EventFamily.values()) {
            tables.put(f, new TableState(tablesByFamily.get(f), fileWriters.get(f), progress.get(f)));
        }
    }

    /** What this writer holds as committed for a table (for tests and diagnostics). */
    TableProgress progress(EventFamily family) {
        return tables.get(family).progress;
    }

    @Override
    public boolean append(SinkRecord record) {
        checkOpen();
        TableState t = tables.get(record.event().family());
        SourcePosition p = record.position();
        if (t.progress.covers(p)) {
            metrics.droppedAsCommitted(record.event().family());
            return false;
        }
        if (lastAppended != null && p.compareTo(lastAppended) <= 0) {
            throw new PositionRegressionException("append to " + appId, lastAppended, p);
        }
        lastAppended = p;
        t.rows.computeIfAbsent(Partition.of(record.event()), k -> new ArrayList<>()).add(record);
        t.highest = p;
        long size = estimatedBytes(record.event());
        t.bytes += size;
        metrics.bufferedBytesChanged(size);
        if (t.oldest == null) {
            t.oldest = clock.instant();
        }
        return true;
    }

    @Override
    public boolean flushDue() {
        checkOpen();
        long bytes = 0;
        Instant oldest = null;
        for (TableState t : tables.values()) {
            bytes += t.bytes;
            if (t.oldest != null && (oldest == null || t.oldest.isBefore(oldest))) {
                oldest = t.oldest;
            }
        }
        return bytes >= config.maxBufferedBytes()
                || (oldest != null && !clock.instant().isBefore(oldest.plus(config.maxBufferLatency())));
    }

    /**
     * {@inheritDoc}
     *
     * @throws SourceTakenOverException if other writers committed for the source on every one of
     *                                  {@value #MAX_RECONCILE_ATTEMPTS} attempts; the buffer then holds
     *                                  only what the table does not, and a later flush may retry
     */
    @Override
    public Optional<SourcePosition> flush() {
        checkOpen();
        Optional<SourcePosition> highest = Optional.empty();
        for (Map.Entry<EventFamily, TableState> e : tables.entrySet()) {
            TableState t = e.getValue();
            if (t.rows.isEmpty()) {
                continue;
            }
            Optional<SourcePosition> committed = flush(e.getKey(), t);
            if (committed.isPresent() && (highest.isEmpty() || committed.get().compareTo(highest.get()) > 0)) {
                highest = committed;
            }
        }
        return highest;
    }

    /** Commits one table's buffer, reconciling with other writers' commits; returns the table's position after. */
    private Optional<SourcePosition> flush(EventFamily family, TableState t) {
        for (int reconciled = 0; ; reconciled++) {
            long started = System.nanoTime();
            TableProgress next = t.progress.advanceTo(t.highest);
            List<EventFileWriter.WrittenFile> written = new ArrayList<>();
            for (Map.Entry<Partition, List<SinkRecord>> p : t.rows.entrySet()) {
                written.addAll(t.files.write(p.getKey(), p.getValue().stream().map(SinkRecord::event).toList()));
            }
            try {
                commit(t, next, written);
            } catch (SourceTakenOverException conflict) {
                // The written files were never committed: no reader sees them, and vacuum removes them.
                reconcile(family, t, conflict);
                if (t.rows.isEmpty()) {
                    return t.progress.position();
                }
                if (reconciled + 1 >= MAX_RECONCILE_ATTEMPTS) {
                    throw conflict;
                }
                continue;
            }
            // Counted once committed: the rows metric is what readers of the table can see.
            for (EventFileWriter.WrittenFile f : written) {
                metrics.fileWritten(family, f.rows(), f.sizeBytes());
            }
            long committedAt = clock.millis();
            for (List<SinkRecord> partition : t.rows.values()) {
                for (SinkRecord r : partition) {
                    metrics.visibleAfter(family, committedAt - r.event().producedAtMillis());
                }
            }
            t.progress = next;
            metrics.committed(family, Duration.ofNanos(System.nanoTime() - started));
            discard(t);
            return next.position();
        }
    }

    /**
     * Takes over the progress another writer committed for the source and drops the buffered records
     * it covers. Positions never move backwards: a table holding less than this writer read is an error.
     */
    private void reconcile(EventFamily family, TableState t, SourceTakenOverException conflict) {
        TableProgress found = t.table.readProgress(appId);
        if (found.txnVersion() <= t.progress.txnVersion()
                || (t.progress.position().isPresent() && !found.covers(t.progress.position().get()))) {
            throw new IllegalStateException("table " + t.table.name() + ": expected " + appId
                    + " to have moved past txn version " + t.progress.txnVersion() + " at "
                    + t.progress.position().map(SourcePosition::toString).orElse("no position") + ", found version "
                    + found.txnVersion() + " at " + found.position().map(SourcePosition::toString).orElse("no position"),
                    conflict);
        }
        int dropped = 0;
        long droppedBytes = 0;
        for (List<SinkRecord> records : t.rows.values()) {
            for (SinkRecord r : records) {
                if (found.covers(r.position())) {
                    dropped++;
                    droppedBytes += estimatedBytes(r.event());
                    metrics.droppedAsCommitted(family);
                }
            }
            records.removeIf(r -> found.covers(r.position()));
        }
        t.rows.values().removeIf(List::isEmpty);
        t.bytes -= droppedBytes;
        metrics.bufferedBytesChanged(-droppedBytes);
        LOG.info("table {}: another writer committed {} up to {} (txn version {}); dropped {} buffered records it holds,"
                        + " {} left to commit", t.table.name(), appId, found.position().orElseThrow(), found.txnVersion(),
                dropped, t.rows.values().stream().mapToInt(List::size).sum());
        t.progress = found;
        if (t.rows.isEmpty()) {
            discard(t);
        }
    }

    private void commit(TableState t, TableProgress next, List<EventFileWriter.WrittenFile> files) {
        for (int attempt = 1; ; attempt++) {
            try {
                t.table.commit(appId, t.progress, next, files, clock.millis());
                return;
            } catch (SourceTakenOverException e) {
                throw e;
            } catch (RuntimeException e) {
                // The commit may have landed before it failed (e.g. in the checkpoint after it).
                TableProgress found = t.table.readProgress(appId);
                if (t.progress.resolve(t.table.name(), appId, next, found) == TableProgress.Outcome.LANDED) {
                    LOG.warn("table {}: commit of {} at txn version {} threw but had landed", t.table.name(), appId,
                            next.txnVersion(), e);
                    return;
                }
                if (attempt >= MAX_COMMIT_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("table {}: commit of {} at txn version {} did not land (attempt {} of {}), retrying",
                        t.table.name(), appId, next.txnVersion(), attempt, MAX_COMMIT_ATTEMPTS, e);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            tables.values().forEach(this::discard);
        }
    }

    private void discard(TableState t) {
        metrics.bufferedBytesChanged(-t.bytes);
        t.rows.clear();
        t.bytes = 0;
        t.oldest = null;
        t.highest = null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("writer for " + appId + " is closed");
        }
    }

    /** A rough in-memory size of an event, for the buffer limit: 8 bytes a number, 2 a character. */
    static long estimatedBytes(TelemetryEvent event) {
        long size = 16;
        for (Column c : EventSchema.of(event.family()).columns()) {
            size += c.type() == ColumnType.STRING ? 40 + 2L * c.stringValue(event).length() : 8;
        }
        return size;
    }
}
