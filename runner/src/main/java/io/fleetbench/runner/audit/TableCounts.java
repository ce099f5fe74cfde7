package io.fleetbench.runner.audit;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one Delta table holds, as read by {@link LakeCounts}.
 *
 * @param tablePath          the table
 * @param exists             whether the table exists; a missing table holds nothing
 * @param version            the snapshot version read, -1 if the table does not exist
 * @param rows               rows in the snapshot
 * @param distinctEventIds   distinct {@code event_id} values
 * @param duplicateEventIds  rows beyond the first for each {@code event_id} ({@code rows - distinctEventIds})
 * @param files              data files in the snapshot
 * @param bytes              total size of those files
 * @param rowsBySchemaVersion rows per {@code schema_version} value, in version order
 */
public record TableCounts(
        String tablePath,
        boolean exists,
        long version,
        long rows,
        long distinctEventIds,
        long duplicateEventIds,
        long files,
        long bytes,
        Map<Integer, Long> rowsBySchemaVersion) {

    public TableCounts {
        rowsBySchemaVersion = Collections.unmodifiableMap(new TreeMap<>(rowsBySchemaVersion));
    }

    /** Rows whose schema version is above {@code version}. */
    public long rowsAboveSchemaVersion(int version) {
        return rowsBySchemaVersion.entrySet().stream().filter(e -> e.getKey() > version)
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** The audit of a table that does not exist. */
    public static TableCounts missing(String tablePath) {
        return new TableCounts(tablePath, false, -1, 0, 0, 0, 0, 0, Map.of());
    }
}
