package io.fleetbench.runner.audit;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.EventSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an audit counts while it reads the lake, row by row, against the {@link ExpectedEvents} of the
 * run: which events are in the event tables, which more than once, and, in a second pass over the
 * rows of those repeated events only, at which stream positions. Memory: two bits per event, plus the
 * positions of repeated events, plus a few examples; never the event ids.
 *
 * <p>Rows whose event id is not the fleet's are counted as foreign; rows of the fleet that no manifest
 * reaches (a device's sequence number above every recorded one) are counted apart, with their own
 * bitmap-free tally, since they are either unexpected or, with an incomplete manifest, sent after its
 * last flush.
 */
final class LakeTally {
    /** How many example rows or events a verdict names of each kind. */
    static final int EXAMPLES = 10;

    private final ExpectedEvents expected;
    private final EventBitmap seen;
    private final EventBitmap repeated;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<Long, List<String>> positions = new HashMap<>();
    private long foreignRows;
    private final List<String> foreignExamples = new ArrayList<>();
    private long beyondManifestRows;
    private final List<String> beyondManifestExamples = new ArrayList<>();

    LakeTally(ExpectedEvents expected) {
        this.expected = expected;
        this.seen = new EventBitmap(expected.size());
        this.repeated = new EventBitmap(expected.size());
    }

    /** The counts of one event table. */
    static final class Table {
        final String name;
        final String path;
        long rows;
        long repeats;
        long files;
        long bytes;
        long newerSchemaRows;
        boolean positions;

        Table(String name, String path) {
            this.name = name;
            this.path = path;
        }
    }

    /** Starts counting a table; rows then go to it. */
    Table table(String name, String path, boolean hasPositions) {
        Table t = tables.computeIfAbsent(name, n -> new Table(n, path));
        t.positions = hasPositions;
        return t;
    }

    Map<String, Table> tables() {
        return tables;
    }

    /** First pass: one row of an event table. */
    void row(Table table, String eventId, int schemaVersion) {
        table.rows++;
        if (schemaVersion > EventSchema.CURRENT_VERSION) {
            table.newerSchemaRows++;
        }
        long key = expected.ids().decode(eventId);
        if (key == EventIds.FOREIGN) {
            foreignRows++;
            if (foreignExamples.size() < EXAMPLES) {
                foreignExamples.add(String.valueOf(eventId));
            }
            return;
        }
        long index = expected.index(key);
        if (index < 0) {
            beyondManifestRows++;
            if (beyondManifestExamples.size() < EXAMPLES) {
                beyondManifestExamples.add(ExpectedEvents.describe(key));
            }
            return;
        }
        if (seen.getAndSet(index)) {
            repeated.set(index);
            table.repeats++;
        }
    }

    /** Whether any event was seen more than once: a second pass for positions is needed. */
    boolean anyRepeated() {
        return tables.values().stream().anyMatch(t -> t.repeats > 0);
    }

    /**
     * Second pass: the stream position of a row, kept only if its event is in the lake more than once.
     *
     * @param position {@code shard/sequence/sub-sequence}, or null if the table does not keep positions
     */
    void position(String eventId, String position) {
        long key = expected.ids().decode(eventId);
        if (key == EventIds.FOREIGN) {
            return;
        }
        long index = expected.index(key);
        if (index >= 0 && repeated.get(index)) {
            positions.computeIfAbsent(index, i -> new ArrayList<>(2)).add(position);
        }
    }

    EventBitmap seen() {
        return seen;
    }

    /** The positions of every repeated event, by index. */
    Map<Long, List<String>> repeatedPositions() {
        return positions;
    }

    long foreignRows() {
        return foreignRows;
    }

    List<String> foreignExamples() {
        return foreignExamples;
    }

    long beyondManifestRows() {
        return beyondManifestRows;
    }

    List<String> beyondManifestExamples() {
        return beyondManifestExamples;
    }
}
