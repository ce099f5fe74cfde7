package io.fleetbench.compactor;

import io.fleetbench.lake.FileStatsJson;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delta file statistics (numRecords, minValues, maxValues, nullCount) taken from a Parquet footer,
 * for the flat top-level columns whose types Delta states bounds for.
 */
final class FooterStats {
    private FooterStats() {
    }

    /** The statistics as an escaped JSON string, as the AddFile's {@code stats} needs them. */
    static String escapedJson(ParquetMetadata footer) {
        return stats(footer).toEscapedJson();
    }

    private static FileStatsJson stats(ParquetMetadata footer) {
        MessageType schema = footer.getFileMetaData().getSchema();
        long rows = 0;
        Map<String, Statistics<?>> merged = new LinkedHashMap<>();
        for (BlockMetaData block : footer.getBlocks()) {
            rows += block.getRowCount();
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                if (chunk.getPath().size() != 1) {
                    continue;
                }
                String name = chunk.getPath().toArray()[0];
                Statistics<?> s = chunk.getStatistics();
                merged.merge(name, s.copy(), (a, b) -> {
                    a.mergeStatistics(b);
                    return a;
                });
            }
        }
        FileStatsJson json = new FileStatsJson(rows);
        for (Map.Entry<String, Statistics<?>> e : merged.entrySet()) {
            Statistics<?> s = e.getValue();
            if (!s.isEmpty() && s.hasNonNullValue()) {
                bounds(json, e.getKey(), primitive(schema, e.getKey()), s.genericGetMin(), s.genericGetMax());
            }
            if (s.isNumNullsSet()) {
                json.nullCount(e.getKey(), s.getNumNulls());
            }
        }
        return json;
    }

    private static PrimitiveType primitive(MessageType schema, String name) {
        ColumnDescriptor d = schema.getColumnDescription(new String[] {name});
        return d.getPrimitiveType();
    }

    private static void bounds(FileStatsJson json, String name, PrimitiveType type, Object min, Object max) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        switch (type.getPrimitiveTypeName()) {
            case INT32 -> {
                if (logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation) {
                    json.bounds(name, (long) (Integer) min, (long) (Integer) max);
                }
            }
            case INT64 -> {
                if (logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation) {
                    json.bounds(name, (long) (Long) min, (long) (Long) max);
                } else if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                        && ts.isAdjustedToUTC()) {
                    json.bounds(name, toInstant((Long) min, ts.getUnit()), toInstant((Long) max, ts.getUnit()));
                }
            }
            case DOUBLE -> json.bounds(name, (double) (Double) min, (double) (Double) max);
            case FLOAT -> json.bounds(name, (float) (Float) min, (float) (Float) max);
            case BINARY -> {
                if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
                    json.bounds(name, ((Binary) min).toStringUsingUTF8(), ((Binary) max).toStringUsingUTF8());
                }
            }
            default -> {
                // Other types carry no bounds in the stats: readers then simply do not skip on them.
            }
        }
    }

    private static Instant toInstant(long v, LogicalTypeAnnotation.TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> Instant.ofEpochMilli(v);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
        };
    }
}
