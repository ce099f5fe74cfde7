package io.fleetbench.lake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of one data file in the JSON form of an AddFile's {@code stats} (numRecords,
 * minValues, maxValues, nullCount), which readers such as delta-kernel use to skip files. Columns keep
 * the order in which they were given.
 *
 * <p>A bound is left out where it cannot be stated exactly: a NaN, or the upper bound of a string longer
 * than {@value #STRING_PREFIX_LENGTH} characters. Without rows there are no bounds, and without columns
 * only numRecords is written.
 */
public final class FileStatsJson {
    /** Strings are cut to this many characters, like Delta's own writers do. */
    public static final int STRING_PREFIX_LENGTH = 32;

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    /** A piece of JSON written to a generator. */
    @FunctionalInterface
    private interface JsonPart {
        void write(JsonGenerator g) throws IOException;
    }

    private final long numRecords;
    private final List<JsonPart> minValues = new ArrayList<>();
    private final List<JsonPart> maxValues = new ArrayList<>();
    private final Map<String, Long> nullCounts = new LinkedHashMap<>();

    /** Statistics of a file of {@code numRecords} rows, with no columns yet. */
    public FileStatsJson(long numRecords) {
        this.numRecords = numRecords;
    }

    /** The bounds of an integer column (Delta's byte, short, integer and long). */
    public FileStatsJson bounds(String column, long min, long max) {
        return add(g -> g.writeNumberField(column, min), g -> g.writeNumberField(column, max));
    }

    /** The bounds of a double column; a NaN bound is left out. */
    public FileStatsJson bounds(String column, double min, double max) {
        return add(Double.isNaN(min) ? null : g -> g.writeNumberField(column, min),
                Double.isNaN(max) ? null : g -> g.writeNumberField(column, max));
    }

    /** The bounds of a float column, written as floats; a NaN bound is left out. */
    public FileStatsJson bounds(String column, float min, float max) {
        return add(Float.isNaN(min) ? null : g -> g.writeNumberField(column, min),
                Float.isNaN(max) ? null : g -> g.writeNumberField(column, max));
    }

    /**
     * The bounds of a string column. A string longer than {@value #STRING_PREFIX_LENGTH} characters is
     * cut to that length: a cut prefix is still a lower bound, but no longer an upper bound, so such a
     * maximum is left out.
     */
    public FileStatsJson bounds(String column, String min, String max) {
        String lower = min.length() <= STRING_PREFIX_LENGTH ? min : prefix(min);
        return add(g -> g.writeStringField(column, lower),
                max.length() <= STRING_PREFIX_LENGTH ? g -> g.writeStringField(column, max) : null);
    }

    /** The bounds of a timestamp column, written in milliseconds as Delta's own writers do. */
    public FileStatsJson bounds(String column, Instant min, Instant max) {
        String lower = TIMESTAMP.format(min);
        String upper = TIMESTAMP.format(max);
        return add(g -> g.writeStringField(column, lower), g -> g.writeStringField(column, upper));
    }

    /** Adds a column's bounds; a null one is left out. */
    private FileStatsJson add(JsonPart min, JsonPart max) {
        if (min != null) {
            minValues.add(min);
        }
        if (max != null) {
            maxValues.add(max);
        }
        return this;
    }

    /** How many of the file's rows are null in a column. */
    public FileStatsJson nullCount(String column, long nulls) {
        nullCounts.put(column, nulls);
        return this;
    }

    /**
     * The statistics as a quoted, escaped JSON string literal, as delta-standalone needs it: it writes
     * the AddFile's {@code stats} raw into the log (delta-io/connectors#380).
     */
    public String toEscapedJson() {
        return write(g -> g.writeString(toJson()));
    }

    /** The statistics as a JSON object. */
    public String toJson() {
        boolean columns = !nullCounts.isEmpty() || !minValues.isEmpty() || !maxValues.isEmpty();
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("numRecords", numRecords);
            if (columns && numRecords > 0) {
                writeObject(g, "minValues", minValues);
                writeObject(g, "maxValues", maxValues);
            }
            if (columns) {
                g.writeObjectFieldStart("nullCount");
                for (Map.Entry<String, Long> e : nullCounts.entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private static void writeObject(JsonGenerator g, String field, List<JsonPart> fields) throws IOException {
        g.writeObjectFieldStart(field);
        for (JsonPart f : fields) {
            f.write(g);
        }
        g.writeEndObject();
    }

    private static String write(JsonPart body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String prefix(String v) {
        int end = STRING_PREFIX_LENGTH;
        if (Character.isHighSurrogate(v.charAt(end - 1))) {
            end--;
        }
        return v.substring(0, end);
    }
}
