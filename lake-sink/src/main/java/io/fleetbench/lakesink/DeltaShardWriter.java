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

/** Buffers one source's records per table and partition, and commits them with the source's progress. */
final class DeltaShardWriter implements ShardWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaShardWriter.class);

    /** Commit attempts per table and flush when a failed commit is found not to have landed. */
    static final int MAX_COMMIT_ATTEMPTS = 3;

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
        final Map<Partition, List<TelemetryEvent>> rows = new LinkedHashMap<>();
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
        t.rows.computeIfAbsent(Partition.of(record.event()), k -> new ArrayList<>()).add(record.event());
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

    @Override
    public Optional<SourcePosition> flush() {
        checkOpen();
        Optional<SourcePosition> highest = Optional.empty();
        for (Map.Entry<EventFamily, TableState> e : tables.entrySet()) {
            TableState t = e.getValue();
            if (t.rows.isEmpty()) {
                continue;
            }
            long started = System.nanoTime();
            TableProgress next = t.progress.advanceTo(t.highest);
            List<EventFileWriter.WrittenFile> written = new ArrayList<>();
            for (Map.Entry<Partition, List<TelemetryEvent>> p : t.rows.entrySet()) {
                written.addAll(t.files.write(p.getKey(), p.getValue()));
            }
            commit(t, next, written);
            // Counted once committed: the rows metric is what readers of the table can see.
            for (EventFileWriter.WrittenFile f : written) {
                metrics.fileWritten(e.getKey(), f.rows(), f.sizeBytes());
            }
            t.progress = next;
            metrics.committed(e.getKey(), Duration.ofNanos(System.nanoTime() - started));
            discard(t);
            highest = next.position();
        }
        return highest;
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
