package io.fleetbench.lakesink.dlq;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.fleetbench.lake.KernelTableReader;
import io.fleetbench.lakesink.Provenance;
import io.fleetbench.sink.SourcePosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the rows of a dead-letter table (as the lake sink writes it) with delta-kernel, one row at a
 * time, reading only the columns asked for.
 */
final class DeadLetterTable {
    static final String RAW = "raw";
    static final String REASON = "reason";
    static final String MESSAGE = "message";
    static final String STREAM = "stream";
    static final String SHARD = Provenance.SHARD;
    static final String SEQUENCE_NUMBER = Provenance.SEQUENCE_NUMBER;
    static final String SUB_SEQUENCE_NUMBER = Provenance.SUB_SEQUENCE_NUMBER;
    /** The columns every dead-letter table has, in the order the sink writes them. */
    static final List<String> COLUMNS = List.of(RAW, REASON, MESSAGE, STREAM, SHARD, SEQUENCE_NUMBER,
            SUB_SEQUENCE_NUMBER, "arrived_at");

    /**
     * One dead letter, with the columns that were read; the others are null.
     *
     * @param raw      the record's bytes as received
     * @param reason   why it was rejected when it arrived
     * @param message  the rejection message (never quotes the payload)
     * @param stream   the source stream
     * @param shard    the source shard
     * @param position the record's position in its shard
     */
    record Letter(byte[] raw, String reason, String message, String stream, String shard, SourcePosition position) {
    }

    private final Engine engine;
    private final String path;
    private final Snapshot snapshot;

    /**
     * Opens the latest snapshot of the table.
     *
     * @throws NoDeadLetterTableException if there is no Delta table at the path, or it lacks a dead-letter column
     */
    DeadLetterTable(Engine engine, String path) {
        this.engine = engine;
        this.path = path;
        try {
            this.snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
        } catch (TableNotFoundException e) {
            throw new NoDeadLetterTableException("no Delta table at " + path + " (expected a folder with _delta_log)");
        }
        List<String> found = snapshot.getSchema().fieldNames();
        if (!found.containsAll(COLUMNS)) {
            throw new NoDeadLetterTableException("table " + path + " is not a dead-letter table: expected columns "
                    + COLUMNS + ", found " + found);
        }
    }

    /** The snapshot version read. */
    long version() {
        return snapshot.getVersion();
    }

    /** Calls {@code each} with every row, reading only {@code columns} (a subset of {@link #COLUMNS}). */
    void forEach(List<String> columns, Consumer<Letter> each) {
        StructType readSchema = new StructType();
        for (String c : columns) {
            readSchema = readSchema.add(snapshot.getSchema().get(c));
        }
        try {
            KernelTableReader.scan(engine, snapshot, readSchema, batch -> rows(batch, each));
        } catch (IOException e) {
            throw new UncheckedIOException("reading dead-letter table " + path, e);
        }
    }

    private static void rows(KernelTableReader.Rows batch, Consumer<Letter> each) {
        List<StructField> fields = batch.schema().fields();
        List<ColumnVector> vectors = new ArrayList<>();
        for (int c = 0; c < fields.size(); c++) {
            vectors.add(batch.column(c));
        }
        batch.forEach(r -> {
            byte[] raw = null;
            String reason = null;
            String message = null;
            String stream = null;
            String shard = null;
            String sequence = null;
            long subSequence = 0;
            for (int c = 0; c < fields.size(); c++) {
                ColumnVector v = vectors.get(c);
                if (v.isNullAt(r)) {
                    continue;
                }
                switch (fields.get(c).getName()) {
                    case RAW -> raw = v.getBinary(r);
                    case REASON -> reason = v.getString(r);
                    case MESSAGE -> message = v.getString(r);
                    case STREAM -> stream = v.getString(r);
                    case SHARD -> shard = v.getString(r);
                    case SEQUENCE_NUMBER -> sequence = v.getString(r);
                    case SUB_SEQUENCE_NUMBER -> subSequence = v.getLong(r);
                    default -> {
                        // arrived_at: no caller needs it.
                    }
                }
            }
            SourcePosition position = sequence == null ? null : SourcePosition.of(sequence, subSequence);
            each.accept(new Letter(raw, reason, message, stream, shard, position));
        });
    }
}
