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
    private final Map<EventFamily, TableState<SinkRecord>> tables = new EnumMap<>(EventFamily.class);
    private final TableState<DeadLetter> deadLetters;
    /** Every table's state, event tables first, in the order they are flushed. */
    private final List<TableState<?>> all = new ArrayList<>();
    private SourcePosition lastAppended;
    private boolean closed;

    /** What differs between the tables: how their rows are positioned, sized, written and counted. */
    private interface RowKind<R> {
        SourcePosition position(R row);

        long estimatedBytes(R row);

        List<EventFileWriter.WrittenFile> write(List<R> rows);

        /** The rows, in these files, became visible in the table at {@code committedAtMillis}. */
        void committed(List<R> rows, List<EventFileWriter.WrittenFile> files, long committedAtMillis);
    }

    private static final class TableState<R> {
        final DeltaTable table;
        final RowKind<R> kind;
        TableProgress progress;
        final List<R> rows = new ArrayList<>();
        SourcePosition highest;
        long bytes;
        Instant oldest;

        TableState(DeltaTable table, RowKind<R> kind, TableProgress progress) {
            this.table = table;
            this.kind = kind;
            this.progress = progress;
        }
    }

    DeltaShardWriter(String appId, LakeSinkConfig config, Clock clock, SinkMetrics metrics,
                     Map<EventFamily, DeltaTable> tablesByFamily, Map<EventFamily, EventFileWriter> fileWriters,
                     Map<EventFamily, TableProgress> progress, DeltaTable deadLetterTable,
                     DeadLetterFileWriter deadLetterFiles, TableProgress deadLetterProgress) {
        this.appId = appId;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        for (EventFamily f : EventFamily.values()) {
            TableState<SinkRecord> t = new TableState<>(tablesByFamily.get(f), eventRows(f, fileWriters.get(f)),
                    progress.get(f));
            tables.put(f, t);
            all.add(t);
        }
        deadLetters = new TableState<>(deadLetterTable, deadLetterRows(deadLetterFiles), deadLetterProgress);
        all.add(deadLetters);
    }

    private RowKind<SinkRecord> eventRows(EventFamily family, EventFileWriter files) {
        String name = family.wireName();
        return new RowKind<>() {
            @Override
            public SourcePosition position(SinkRecord row) {
                return row.position();
            }

            @Override
            public long estimatedBytes(SinkRecord row) {
                return DeltaShardWriter.estimatedBytes(row.event());
            }

            @Override
            public List<EventFileWriter.WrittenFile> write(List<SinkRecord> rows) {
                Map<Partition, List<TelemetryEvent>> partitions = new LinkedHashMap<>();
                for (SinkRecord r : rows) {
                    partitions.computeIfAbsent(Partition.of(r.event()), k -> new ArrayList<>()).add(r.event());
                }
                List<EventFileWriter.WrittenFile> written = new ArrayList<>();
                partitions.forEach((p, events) -> written.addAll(files.write(p, events)));
                return written;
            }

            @Override
            public void committed(List<SinkRecord> rows, List<EventFileWriter.WrittenFile> files,
                                  long committedAtMillis) {
                for (EventFileWriter.WrittenFile f : files) {
                    metrics.fileWritten(name, f.rows(), f.sizeBytes());
                }
                for (SinkRecord r : rows) {
                    metrics.visibleAfter(name, committedAtMillis - r.event().producedAtMillis());
                }
            }
        };
    }

    private RowKind<DeadLetter> deadLetterRows(DeadLetterFileWriter files) {
        return new RowKind<>() {
            @Override
            public SourcePosition position(DeadLetter row) {
                return row.position();
            }

            @Override
            public long estimatedBytes(DeadLetter row) {
                return 200L + row.raw().length + 2L * row.message().length();
            }

            @Override
            public List<EventFileWriter.WrittenFile> write(List<DeadLetter> rows) {
                return files.write(rows);
            }

            @Override
            public void committed(List<DeadLetter> rows, List<EventFileWriter.WrittenFile> files,
                                  long committedAtMillis) {
                for (DeadLetter d : rows) {
                    metrics.deadLetterCommitted(d.reason());
                }
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
        return append(tables.get(record.event().family()), record);
    }

    @Override
    public boolean appendDeadLetter(DeadLetter deadLetter) {
        checkOpen();
        return append(deadLetters, deadLetter);
    }

    private <R> boolean append(TableState<R> t, R row) {
        SourcePosition p = t.kind.position(row);
        if (t.progress.covers(p)) {
            metrics.droppedAsCommitted(t.table.name());
            return false;
        }
        if (lastAppended != null && p.compareTo(lastAppended) <= 0) {
            throw new PositionRegressionException("append to " + appId, lastAppended, p);
        }
        lastAppended = p;
        t.rows.add(row);
        t.highest = p;
        long size = t.kind.estimatedBytes(row);
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
        for (TableState<?> t : all) {
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
        for (TableState<?> t : all) {
            if (t.rows.isEmpty()) {
                continue;
            }
            Optional<SourcePosition> committed = flush(t);
            if (committed.isPresent() && (highest.isEmpty() || committed.get().compareTo(highest.get()) > 0)) {
                highest = committed;
            }
        }
        return highest;
    }

    /** Commits one table's buffer, reconciling with other writers' commits; returns the table's position after. */
    private <R> Optional<SourcePosition> flush(TableState<R> t) {
        String name = t.table.name();
        for (int reconciled = 0; ; reconciled++) {
            long started = System.nanoTime();
            TableProgress next = t.progress.advanceTo(t.highest);
            List<EventFileWriter.WrittenFile> written = t.kind.write(t.rows);
            try {
                commit(t, next, written);
            } catch (SourceTakenOverException conflict) {
                // The written files were never committed: no reader sees them, and vacuum removes them.
                reconcile(t, conflict);
                if (t.rows.isEmpty()) {
                    return t.progress.position();
                }
                if (reconciled + 1 >= MAX_RECONCILE_ATTEMPTS) {
                    throw conflict;
                }
                continue;
            }
            // Counted once committed: the rows metrics are what readers of the table can see.
            t.kind.committed(t.rows, written, clock.millis());
            t.progress = next;
            metrics.committed(name, Duration.ofNanos(System.nanoTime() - started));
            discard(t);
            return next.position();
        }
    }

    /**
     * Takes over the progress another writer committed for the source and drops the buffered records
     * it covers. Positions never move backwards: a table holding less than this writer read is an error.
     */
    private <R> void reconcile(TableState<R> t, SourceTakenOverException conflict) {
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
        for (R r : t.rows) {
            if (found.covers(t.kind.position(r))) {
                dropped++;
                droppedBytes += t.kind.estimatedBytes(r);
                metrics.droppedAsCommitted(t.table.name());
            }
        }
        t.rows.removeIf(r -> found.covers(t.kind.position(r)));
        t.bytes -= droppedBytes;
        metrics.bufferedBytesChanged(-droppedBytes);
        LOG.info("table {}: another writer committed {} up to {} (txn version {}); dropped {} buffered records it holds,"
                        + " {} left to commit", t.table.name(), appId, found.position().orElseThrow(), found.txnVersion(),
                dropped, t.rows.size());
        t.progress = found;
        if (t.rows.isEmpty()) {
            discard(t);
        }
    }

    private void commit(TableState<?> t, TableProgress next, List<EventFileWriter.WrittenFile> files) {
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
            all.forEach(this::discard);
        }
    }

    private void discard(TableState<?> t) {
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
            size += c.type() != ColumnType.STRING ? 8 : c.isNull(event) ? 0 : 40 + 2L * c.stringValue(event).length();
        }
        return size;
    }
}
