package io.fleetbench.telemetry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.fleetbench.telemetry.InvalidEventException.Reason;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes events as one flat JSON object per record and decodes them back, validating every field.
 *
 * <p>Wire format: {@code {"type":"car_telemetry","event_id":"...","device_id":"...","seq":1,...}}:
 * the family's wire name under {@code type}, then every column of its {@link EventSchema} under
 * its snake_case name; timestamps are epoch milliseconds. Decoding rejects a missing, duplicated or
 * out-of-range field with an {@link InvalidEventException} that names it.
 *
 * <p>Schema versions: records of versions 1 to {@value EventSchema#NEWEST_VERSION} decode; a later
 * version is rejected as {@link Reason#UNSUPPORTED_SCHEMA_VERSION}, since its fields may mean
 * something this build cannot know. An optional field of a later version than the record's is
 * invalid. A field that no version of the family's schema defines is kept, not rejected: the event
 * carries all such fields as one JSON object in {@link TelemetryEvent#extras()} (values re-serialized
 * by Jackson, in the order received), and encoding writes them back after the schema's fields.
 * Instances are thread-safe.
 */
public final class JsonCodec {
    /** The largest record a Kinesis stream accepts by default, and so the largest this codec decodes by default. */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private static final String TYPE_FIELD = "type";
    private static final String EVENT_TIME_FIELD = "event_time";
    private static final String SCHEMA_VERSION_FIELD = "schema_version";
    private static final Map<EventFamily, byte[][]> DIRECT_FIELD_NAMES = directFieldNames();
    private static final ThreadLocal<DirectBuffer> DIRECT_BUFFER = ThreadLocal.withInitial(DirectBuffer::new);
    private final JsonFactory factory = new JsonFactory();
    private final int maxRecordBytes;

    /** A codec that decodes records of up to {@value #MAX_RECORD_BYTES} bytes. */
    public JsonCodec() {
        this(MAX_RECORD_BYTES);
    }

    /**
     * A codec that decodes records of up to {@code maxRecordBytes} bytes and rejects larger ones as
     * {@link Reason#OVERSIZED} without parsing them.
     *
     * @param maxRecordBytes the largest record decoded; at least 1
     */
    public JsonCodec(int maxRecordBytes) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1, found " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The largest record this codec decodes, in bytes. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** Encodes an event as UTF-8 JSON. */
    public byte[] encode(TelemetryEvent event) {
        return encode(event, event.eventTimeMillis(), event.schemaVersion());
    }

    /**
     * Encodes an event with its device time and schema version replaced, the way a device with a
     * drifting clock or newer firmware would send it. Optional fields are written only from the
     * version that added them on: from schema version {@value EventSchema#FIRMWARE_VERSION_SINCE},
     * {@value EventSchema#FIRMWARE_VERSION_FIELD} is the event's own, or, for an event raised above its
     * own version that has none, {@code v<schemaVersion>.0.0}.
     *
     * @param eventTimeMillis the device time to write under {@code event_time}, epoch milliseconds
     * @param schemaVersion   the version to write under {@code schema_version}
     */
    public byte[] encode(TelemetryEvent event, long eventTimeMillis, int schemaVersion) {
        byte[] direct = encodeDirect(event, eventTimeMillis, schemaVersion);
        return direct != null ? direct : encodeWithJackson(event, eventTimeMillis, schemaVersion);
    }

    /**
     * Writes the same bytes as {@link #encodeWithJackson} without a generator, for events whose
     * strings need no escaping and whose numbers are finite (every event a fleet generates);
     * returns null for anything else, which then takes the Jackson path. Doubles are written with
     * {@link Double#toString(double)}, as Jackson's generator does by default.
     */
    private static byte[] encodeDirect(TelemetryEvent event, long eventTimeMillis, int schemaVersion) {
        EventFamily family = event.family();
        byte[][] names = DIRECT_FIELD_NAMES.get(family);
        List<Column> columns = EventSchema.of(family).columns();
        if (event.extras() != null) {
            return null;
        }
        DirectBuffer out = DIRECT_BUFFER.get();
        out.reset();
        out.write(names[0]);
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.nullable()) {
                String v = optionalValue(c, event, schemaVersion);
                if (v != null) {
                    out.write(names[i + 1]);
                    if (!out.writePlainString(v)) {
                        return null;
                    }
                }
                continue;
            }
            out.write(names[i + 1]);
            String name = c.name();
            if (name.equals(EVENT_TIME_FIELD)) {
                out.writeLong(eventTimeMillis);
            } else if (name.equals(SCHEMA_VERSION_FIELD)) {
                out.writeLong(schemaVersion);
            } else {
                switch (c.type()) {
                    case STRING -> {
                        if (!out.writePlainString(c.stringValue(event))) {
                            return null;
                        }
                    }
                    case INT, LONG, TIMESTAMP_MILLIS -> out.writeLong(c.longValue(event));
                    case DOUBLE -> {
                        double d = c.doubleValue(event);
                        if (!Double.isFinite(d)) {
                            return null;
                        }
                        out.writeAscii(Double.toString(d));
                    }
                }
            }
        }
        out.writeByte('}');
        return out.toByteArray();
    }

    /**
     * The value an optional column is written with, or null to leave the field out: none before the
     * version that added it; the event's own from then on; for the firmware version of an event
     * raised above its own version, a stand-in named after the version.
     */
    private static String optionalValue(Column c, TelemetryEvent event, int schemaVersion) {
        if (c.holdsUnknownFields() || schemaVersion < c.since()) {
            return null;
        }
        String v = c.stringValue(event);
        if (v == null && schemaVersion != event.schemaVersion() && c.name().equals(EventSchema.FIRMWARE_VERSION_FIELD)) {
            return "v" + schemaVersion + ".0.0";
        }
        return v;
    }

    /**
     * Per family, the bytes before each value: {@code {"type":"<wire name>"}, then
     * {@code ,"<column>":} per column.
     */
    private static Map<EventFamily, byte[][]> directFieldNames() {
        Map<EventFamily, byte[][]> byFamily = new EnumMap<>(EventFamily.class);
        for (EventFamily f : EventFamily.values()) {
            List<Column> columns = EventSchema.of(f).columns();
            byte[][] names = new byte[columns.size() + 1][];
            names[0] = ascii("{\"" + TYPE_FIELD + "\":\"" + f.wireName() + "\"");
            for (int i = 0; i < columns.size(); i++) {
                names[i + 1] = ascii(",\"" + columns.get(i).name() + "\":");
            }
            byFamily.put(f, names);
        }
        return byFamily;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A growable per-thread output buffer for {@link #encodeDirect}. */
    private static final class DirectBuffer {
        private byte[] buf = new byte[512];
        private int len;

        void reset() {
            len = 0;
        }

        void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        void writeByte(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void write(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void writeAscii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) s.charAt(i);
            }
        }

        /** Writes a quoted string if every character is printable ASCII other than a quote or backslash. */
        boolean writePlainString(String s) {
            int n = s.length();
            ensure(n + 2);
            int p = len;
            buf[p++] = '"';
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                if (ch < 0x20 || ch >= 0x7F || ch == '"' || ch == '\\') {
                    return false;
                }
                buf[p++] = (byte) ch;
            }
            buf[p++] = '"';
            len = p;
            return true;
        }

        void writeLong(long v) {
            if (v == Long.MIN_VALUE) {
                writeAscii(Long.toString(v));
                return;
            }
            ensure(20);
            if (v < 0) {
                buf[len++] = '-';
                v = -v;
            }
            int digits = 1;
            for (long t = v; t >= 10; t /= 10) {
                digits++;
            }
            int p = len + digits;
            len = p;
            do {
                buf[--p] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** The reference encoding with Jackson's generator; {@link #encodeDirect} must match it byte for byte. */
    private byte[] encodeWithJackson(TelemetryEvent event, long eventTimeMillis, int schemaVersion) {
        EventSchema schema = EventSchema.of(event.family());
        try (ByteArrayBuilder out = new ByteArrayBuilder(256);
             JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField(TYPE_FIELD, event.family().wireName());
            for (Column c : schema.columns()) {
                if (c.nullable()) {
                    String v = optionalValue(c, event, schemaVersion);
                    if (v != null) {
                        g.writeStringField(c.name(), v);
                    }
                    continue;
                }
                g.writeFieldName(c.name());
                switch (c.name()) {
                    case EVENT_TIME_FIELD -> g.writeNumber(eventTimeMillis);
                    case SCHEMA_VERSION_FIELD -> g.writeNumber(schemaVersion);
                    default -> {
                        switch (c.type()) {
                            case STRING -> g.writeString(c.stringValue(event));
                            case INT, LONG, TIMESTAMP_MILLIS -> g.writeNumber(c.longValue(event));
                            case DOUBLE -> g.writeNumber(c.doubleValue(event));
                        }
                    }
                }
            }
            if (event.extras() != null) {
                writeExtras(g, event);
            }
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory cannot fail", e);
        }
    }

    /** Writes the fields kept in {@link TelemetryEvent#extras()} back as fields of the record. */
    private void writeExtras(JsonGenerator g, TelemetryEvent event) throws IOException {
        try (JsonParser p = factory.createParser(event.extras())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("event " + event.eventId() + ": extras must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                g.writeFieldName(p.currentName());
                p.nextToken();
                g.copyCurrentStructure(p);
            }
        } catch (StreamReadException e) {
            throw new IllegalArgumentException("event " + event.eventId() + ": extras must be a JSON object, "
                    + "found invalid JSON at column " + e.getLocation().getColumnNr(), e);
        }
    }

    /** Decodes and validates one record. */
    public TelemetryEvent decode(byte[] record) throws InvalidEventException {
        if (record.length > maxRecordBytes) {
            throw new InvalidEventException(Reason.OVERSIZED,
                    "record is " + record.length + " bytes, the limit is " + maxRecordBytes);
        }
        try (JsonParser p = factory.createParser(record)) {
            return decode(p);
        } catch (StreamReadException e) {
            // Jackson's own message quotes the offending characters; payloads never reach a message.
            String what = e instanceof JsonEOFException ? "unexpected end of input" : "not valid JSON";
            throw new InvalidEventException(Reason.MALFORMED_JSON,
                    "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + what);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    private TelemetryEvent decode(JsonParser p) throws IOException, InvalidEventException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidEventException(Reason.MALFORMED_JSON, "expected a JSON object");
        }
        // The type must come first: the schema it selects decides how every other field is read.
        if (p.nextToken() != JsonToken.FIELD_NAME || !TYPE_FIELD.equals(p.currentName())) {
            throw new InvalidEventException(Reason.MISSING_FIELD, "expected \"type\" as the first field");
        }
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            throw new InvalidEventException(Reason.INVALID_VALUE, "field \"type\": expected a string, found " + p.currentToken());
        }
        String type = p.getText();
        EventFamily family = EventFamily.fromWireName(type).orElseThrow(() -> new InvalidEventException(
                Reason.UNKNOWN_EVENT_TYPE, "unknown event type \"" + abbreviate(type) + "\""));
        EventSchema schema = EventSchema.of(family);
        int n = schema.columns().size();
        EventSchema.Values values = new EventSchema.Values(n);
        boolean[] seen = new boolean[n];
        UnknownFields unknown = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int i = schema.indexOf(name);
            if (i < 0 || schema.columns().get(i).holdsUnknownFields()) {
                if (TYPE_FIELD.equals(name)) {
                    throw new InvalidEventException(Reason.INVALID_VALUE, type + ": field \"type\" appears twice");
                }
                if (unknown == null) {
                    unknown = new UnknownFields(factory);
                }
                unknown.keep(type, name, p);
                continue;
            }
            if (seen[i]) {
                throw new InvalidEventException(Reason.INVALID_VALUE, type + ": field \"" + name + "\" appears twice");
            }
            seen[i] = true;
            readValue(p, p.nextToken(), type, schema.columns().get(i), i, values);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new InvalidEventException(Reason.MALFORMED_JSON, "expected a field name or the end of the object");
        }
        if (p.nextToken() != null) {
            throw new InvalidEventException(Reason.MALFORMED_JSON, "trailing content after the JSON object");
        }
        for (int i = 0; i < n; i++) {
            Column c = schema.columns().get(i);
            if (!seen[i] && !c.nullable()) {
                if (c.name().equals(SCHEMA_VERSION_FIELD)) {
                    throw new InvalidEventException(Reason.UNSUPPORTED_SCHEMA_VERSION, type
                            + ": field \"schema_version\" is missing; expected 1 to " + EventSchema.NEWEST_VERSION);
                }
                throw new InvalidEventException(Reason.MISSING_FIELD, type + ": field \"" + c.name() + "\" is missing");
            }
        }
        long version = values.int64(schema.indexOf(SCHEMA_VERSION_FIELD));
        for (int i = 0; i < n; i++) {
            Column c = schema.columns().get(i);
            if (c.since() > version && values.string(i) != null) {
                throw new InvalidEventException(Reason.INVALID_VALUE, type + ": field \"" + c.name() + "\" belongs to"
                        + " schema version " + c.since() + " and later, found in a record of version " + version);
            }
        }
        if (unknown != null) {
            values.setString(schema.indexOf(EventSchema.EXTRAS_COLUMN), unknown.json());
        }
        return schema.create(values);
    }

    private static void readValue(JsonParser p, JsonToken t, String type, Column c, int i, EventSchema.Values values)
            throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_NULL && c.nullable()) {
            // An optional field written as null is an absent one.
            return;
        }
        switch (c.type()) {
            case STRING -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw wrongType(type, c, "a string", t);
                }
                String s = p.getText();
                if (s.length() < c.min() || s.length() > c.max()) {
                    throw new InvalidEventException(Reason.INVALID_VALUE, type + ": field \"" + c.name()
                            + "\" must have " + (long) c.min() + " to " + (long) c.max()
                            + " characters, found " + s.length());
                }
                values.setString(i, s);
            }
            case INT, LONG, TIMESTAMP_MILLIS -> {
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    throw wrongType(type, c, "an integer", t);
                }
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new InvalidEventException(Reason.INVALID_VALUE,
                            type + ": field \"" + c.name() + "\" does not fit in 64 bits");
                }
                long v = p.getLongValue();
                if (v < c.min() || v > c.max()) {
                    if (c.name().equals(SCHEMA_VERSION_FIELD)) {
                        throw new InvalidEventException(Reason.UNSUPPORTED_SCHEMA_VERSION, type + ": schema version "
                                + v + " is not supported; this build decodes versions 1 to " + EventSchema.NEWEST_VERSION);
                    }
                    throw new InvalidEventException(Reason.INVALID_VALUE, type + ": field \"" + c.name() + "\" must be in ["
                            + (long) c.min() + ", " + (long) c.max() + "], found " + v);
                }
                values.setLong(i, v);
            }
            case DOUBLE -> {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw wrongType(type, c, "a number", t);
                }
                double v = p.getDoubleValue();
                if (!(v >= c.min() && v <= c.max())) {
                    throw new InvalidEventException(Reason.INVALID_VALUE, type + ": field \"" + c.name()
                            + "\" must be in [" + c.min() + ", " + c.max() + "], found " + v);
                }
                values.setDouble(i, v);
            }
        }
    }

    private static InvalidEventException wrongType(String type, Column c, String expected, JsonToken found) {
        return new InvalidEventException(Reason.INVALID_VALUE,
                type + ": field \"" + c.name() + "\" must be " + expected + ", found " + describe(found));
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> t.toString();
        };
    }

    /** The unknown fields of one record, copied into a JSON object as they are read. */
    private static final class UnknownFields {
        private final StringWriter json = new StringWriter();
        private final JsonGenerator g;
        private final Set<String> names = new HashSet<>();

        UnknownFields(JsonFactory factory) throws IOException {
            g = factory.createGenerator(json);
            g.writeStartObject();
        }

        /** Copies the field whose name the parser is at, and its value, whatever its shape. */
        void keep(String type, String name, JsonParser p) throws IOException, InvalidEventException {
            if (!names.add(name)) {
                throw new InvalidEventException(Reason.INVALID_VALUE,
                        type + ": field \"" + abbreviate(name) + "\" appears twice");
            }
            g.writeFieldName(name);
            p.nextToken();
            g.copyCurrentStructure(p);
        }

        String json() throws IOException {
            g.writeEndObject();
            g.close();
            return json.toString();
        }
    }

    /** Names from a bad record may be long or hostile; quote at most a short prefix. */
    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
