package io.fleetbench.compactor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delta file statistics (numRecords, minValues, maxValues, nullCount) taken from a Parquet footer,
 * for the flat top-level columns whose types Delta states bounds for.
 */
final class FooterStats {
    /** Strings are cut to this many characters, like Delta's own writers do. */
    static final int STRING_PREFIX_LENGTH = 32;

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private FooterStats() {
    }

    /**
     * The statistics as a quoted, escaped JSON string literal, as delta-standalone needs it: it writes
     * the AddFile's {@code stats} raw into the log (delta-io/connectors#380).
     */
    static String escapedJson(ParquetMetadata footer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(json(footer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String json(ParquetMetadata footer) {
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
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("numRecords", rows);
            g.writeObjectFieldStart("minValues");
            for (Map.Entry<String, Statistics<?>> e : merged.entrySet()) {
                writeBound(g, e.getKey(), primitive(schema, e.getKey()), e.getValue(), true);
            }
            g.writeEndObject();
            g.writeObjectFieldStart("maxValues");
            for (Map.Entry<String, Statistics<?>> e : merged.entrySet()) {
                writeBound(g, e.getKey(), primitive(schema, e.getKey()), e.getValue(), false);
            }
            g.writeEndObject();
            g.writeObjectFieldStart("nullCount");
            for (Map.Entry<String, Statistics<?>> e : merged.entrySet()) {
                if (e.getValue().isNumNullsSet()) {
                    g.writeNumberField(e.getKey(), e.getValue().getNumNulls());
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static PrimitiveType primitive(MessageType schema, String name) {
        ColumnDescriptor d = schema.getColumnDescription(new String[] {name});
        return d.getPrimitiveType();
    }

    private static void writeBound(JsonGenerator g, String name, PrimitiveType type, Statistics<?> s, boolean min)
            throws IOException {
        if (s.isEmpty() || !s.hasNonNullValue()) {
            return;
        }
        Object v = min ? s.genericGetMin() : s.genericGetMax();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        switch (type.getPrimitiveTypeName()) {
            case INT32 -> {
                if (logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation) {
                    g.writeNumberField(name, (Integer) v);
                }
            }
            case INT64 -> {
                if (logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation) {
                    g.writeNumberField(name, (Long) v);
                } else if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                        && ts.isAdjustedToUTC()) {
                    g.writeStringField(name, TIMESTAMP.format(toInstant((Long) v, ts.getUnit())));
                }
            }
            case DOUBLE -> {
                double d = (Double) v;
                if (!Double.isNaN(d)) {
                    g.writeNumberField(name, d);
                }
            }
            case FLOAT -> {
                float f = (Float) v;
                if (!Float.isNaN(f)) {
                    g.writeNumberField(name, f);
                }
            }
            case BINARY -> {
                if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
                    String str = ((Binary) v).toStringUsingUTF8();
                    // A cut prefix is still a lower bound, but no longer an upper bound.
                    if (str.length() <= STRING_PREFIX_LENGTH) {
                        g.writeStringField(name, str);
                    } else if (min) {
                        int end = Character.isHighSurrogate(str.charAt(STRING_PREFIX_LENGTH - 1))
                                ? STRING_PREFIX_LENGTH - 1 : STRING_PREFIX_LENGTH;
                        g.writeStringField(name, str.substring(0, end));
                    }
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
