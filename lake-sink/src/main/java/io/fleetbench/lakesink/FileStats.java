package io.fleetbench.lakesink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Per-column statistics of one data file, in the JSON form of an AddFile's {@code stats}
 * (numRecords, minValues, maxValues, nullCount), so readers can skip files. Bounds are over the
 * non-null values; a column with only nulls in the file has none, and its nullCount equals numRecords.
 */
final class FileStats implements RowFormat.RowStats<TelemetryEvent> {
    /** Strings are cut to this many characters, like Delta's own writers do. */
    static final int STRING_PREFIX_LENGTH = 32;

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private final List<Column> columns;
    private final long[] minLong;
    private final long[] maxLong;
    private final double[] minDouble;
    private final double[] maxDouble;
    private final String[] minString;
    private final String[] maxString;
    private final boolean[] sawNaN;
    private final long[] nulls;
    private long rows;

    FileStats(EventSchema schema) {
        columns = schema.columns();
        int n = columns.size();
        minLong = new long[n];
        maxLong = new long[n];
        minDouble = new double[n];
        maxDouble = new double[n];
        minString = new String[n];
        maxString = new String[n];
        sawNaN = new boolean[n];
        nulls = new long[n];
    }

    @Override
    public void add(TelemetryEvent event) {
        rows++;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.isNull(event)) {
                nulls[i]++;
                continue;
            }
            boolean first = rows - nulls[i] == 1;
            switch (c.type()) {
                case STRING -> {
                    String v = c.stringValue(event);
                    if (first || v.compareTo(minString[i]) < 0) {
                        minString[i] = v;
                    }
                    if (first || v.compareTo(maxString[i]) > 0) {
                        maxString[i] = v;
                    }
                }
                case INT, LONG, TIMESTAMP_MILLIS -> {
                    long v = c.longValue(event);
                    minLong[i] = first ? v : Math.min(minLong[i], v);
                    maxLong[i] = first ? v : Math.max(maxLong[i], v);
                }
                case DOUBLE -> {
                    double v = c.doubleValue(event);
                    sawNaN[i] |= Double.isNaN(v);
                    minDouble[i] = first ? v : Math.min(minDouble[i], v);
                    maxDouble[i] = first ? v : Math.max(maxDouble[i], v);
                }
            }
        }
    }

    long rows() {
        return rows;
    }

    /**
     * The statistics as a quoted, escaped JSON string literal, as delta-standalone needs it: it writes
     * the AddFile's {@code stats} raw into the log (delta-io/connectors#380).
     */
    @Override
    public String toEscapedJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The statistics as a JSON object; columns whose bounds cannot be stated exactly are left out. */
    String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("numRecords", rows);
            if (rows > 0) {
                writeBounds(g, "minValues", true);
                writeBounds(g, "maxValues", false);
            }
            g.writeObjectFieldStart("nullCount");
            for (int i = 0; i < columns.size(); i++) {
                g.writeNumberField(columns.get(i).name(), nulls[i]);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private void writeBounds(JsonGenerator g, String field, boolean min) throws IOException {
        g.writeObjectFieldStart(field);
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (nulls[i] == rows) {
                continue;
            }
            switch (c.type()) {
                case STRING -> {
                    String v = min ? minString[i] : maxString[i];
                    // A cut prefix is still a lower bound, but no longer an upper bound.
                    if (v.length() <= STRING_PREFIX_LENGTH) {
                        g.writeStringField(c.name(), v);
                    } else if (min) {
                        g.writeStringField(c.name(), prefix(v));
                    }
                }
                case INT, LONG -> g.writeNumberField(c.name(), min ? minLong[i] : maxLong[i]);
                case TIMESTAMP_MILLIS -> g.writeStringField(c.name(),
                        TIMESTAMP.format(Instant.ofEpochMilli(min ? minLong[i] : maxLong[i])));
                case DOUBLE -> {
                    if (!sawNaN[i]) {
                        g.writeNumberField(c.name(), min ? minDouble[i] : maxDouble[i]);
                    }
                }
            }
        }
        g.writeEndObject();
    }

    private static String prefix(String v) {
        int end = STRING_PREFIX_LENGTH;
        if (Character.isHighSurrogate(v.charAt(end - 1))) {
            end--;
        }
        return v.substring(0, end);
    }
}
