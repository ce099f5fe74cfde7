package io.fleetbench.lakesink;

import java.util.Map;

/**
 * A finished Parquet data file below a table root, not yet committed: what its AddFile action needs.
 *
 * @param partitionValues the partition columns' values
 * @param relativePath    the path below the table root
 * @param sizeBytes       the file's size
 * @param rows            the rows in it
 * @param escapedStats    its statistics as an escaped JSON string (see {@link io.fleetbench.lake.FileStatsJson#toEscapedJson()})
 */
record WrittenFile(Map<String, String> partitionValues, String relativePath, long sizeBytes, long rows,
                   String escapedStats) {
}
