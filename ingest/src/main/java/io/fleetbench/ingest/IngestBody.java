package io.fleetbench.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads a request body into validated events, in one of three formats:
 * <ol>
 *   <li>{@link Format#EVENT}: one event, a JSON object as the telemetry codec writes it ({@code {"type":...}});</li>
 *   <li>{@link Format#BATCH}: a device's batch, a JSON array of such objects;</li>
 *   <li>{@link Format#PUT_RECORDS}: the body of a Kinesis PutRecords call as API Gateway's Kinesis service
 *   integration passes it on, {@code {"StreamName":"...","Records":[{"Data":"<base64 of the event JSON>",
 *   "PartitionKey":"..."}]}}.</li>
 * </ol>
 * The content type {@code application/x-amz-json-1.1} means PutRecords; with {@code application/json} the body's
 * shape decides: an array is a batch, an object with a top-level {@code Records} field is PutRecords, any other
 * object one event.
 *
 * <p>Every event is decoded with the project's {@link JsonCodec}, and the whole body is refused at the first invalid
 * one (by its index, from 0). An event's bytes are kept exactly as sent: a batch element is cut out of the body by
 * the parser's byte offsets of its braces, never re-encoded, so its event id and fields reach the stream
 * byte-identical. Instances are thread-safe.
 */
public final class IngestBody {
    /** The content type of one event or a batch; also accepted for a PutRecords body. */
    public static final String JSON = "application/json";
    /** The content type of a Kinesis PutRecords body, as API Gateway and the AWS SDKs send it. */
    public static final String AMZ_JSON = "application/x-amz-json-1.1";

    /** The three body formats. */
    public enum Format {
        /** One event as a JSON object. */
        EVENT,
        /** A JSON array of events. */
        BATCH,
        /** A Kinesis PutRecords request body, each record's data the base64 of an event. */
        PUT_RECORDS
    }

    private final JsonFactory factory = new JsonFactory();
    private final JsonCodec codec = new JsonCodec();
    private final String streamName;
    private final int maxEvents;

    /**
     * @param streamName the stream the endpoint puts into: a PutRecords body that names another is refused
     * @param maxEvents  the most events one body may carry
     */
    public IngestBody(String streamName, int maxEvents) {
        this.streamName = streamName;
        this.maxEvents = maxEvents;
    }

    /**
     * Whether a request's {@code Content-Type} is one the endpoint takes ({@value #JSON} or {@value #AMZ_JSON},
     * with any parameters such as {@code charset=utf-8}).
     */
    public static boolean accepts(String contentType) {
        String type = mediaType(contentType);
        return JSON.equals(type) || AMZ_JSON.equals(type);
    }

    /**
     * Reads and validates a body.
     *
     * @param contentType the request's, as {@link #accepts} takes it
     * @return the events in the order sent; at least one
     * @throws IngestRejection naming what was wrong and where; no event of the body is to be put
     */
    public List<IngestEvent> parse(String contentType, byte[] body) throws IngestRejection {
        Format format = format(contentType, body);
        return switch (format) {
            case EVENT -> List.of(validate(0, event(body), null));
            case BATCH -> batch(body);
            case PUT_RECORDS -> putRecords(body);
        };
    }

    /** Which format a body is in, by its content type and its shape. */
    Format format(String contentType, byte[] body) throws IngestRejection {
        if (AMZ_JSON.equals(mediaType(contentType))) {
            return Format.PUT_RECORDS;
        }
        try (JsonParser p = factory.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                return Format.BATCH;
            }
            if (first != JsonToken.START_OBJECT) {
                throw IngestRejection.invalidBody("expected a JSON object (one event or a PutRecords body) or an"
                        + " array of events, found " + (first == null ? "an empty body" : describe(first)));
            }
            // An event's first field is its type (the codec requires it); a PutRecords body has Records at the top.
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if ("type".equals(name)) {
                    return Format.EVENT;
                }
                if ("Records".equals(name)) {
                    return Format.PUT_RECORDS;
                }
                p.nextToken();
                p.skipChildren();
            }
            return Format.EVENT;
        } catch (StreamReadException e) {
            // Malformed: the codec says where, as for an event.
            return Format.EVENT;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    /** A one-event body without the whitespace around the object, or the body as it is if it is not one object. */
    private byte[] event(byte[] body) {
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return body;
            }
            int start = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            int end = (int) p.currentTokenLocation().getByteOffset() + 1;
            return p.nextToken() == null ? Arrays.copyOfRange(body, start, end) : body;
        } catch (StreamReadException e) {
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    private List<IngestEvent> batch(byte[] body) throws IngestRejection {
        List<int[]> slices = new ArrayList<>();
        try (JsonParser p = factory.createParser(body)) {
            p.nextToken();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw IngestRejection.invalidBody("the array of events is not closed");
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                // A scalar element is kept empty; the codec then refuses it as not an object.
                int end = t == JsonToken.START_OBJECT ? (int) p.currentTokenLocation().getByteOffset() + 1 : start;
                slices.add(new int[] {start, end});
            }
            if (p.nextToken() != null) {
                throw IngestRejection.invalidBody("trailing content after the array of events");
            }
        } catch (StreamReadException e) {
            throw IngestRejection.invalidBody("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + " after " + slices.size() + " events");
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        requireCount(slices.size());
        List<IngestEvent> events = new ArrayList<>(slices.size());
        try {
            for (int i = 0; i < slices.size(); i++) {
                int[] s = slices.get(i);
                events.add(validate(i, Arrays.copyOfRange(body, s[0], s[1]), null));
            }
        } catch (IngestRejection r) {
            throw r.counting(slices.size());
        }
        return events;
    }

    private List<IngestEvent> putRecords(byte[] body) throws IngestRejection {
        List<PutRecord> records = null;
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw IngestRejection.invalidBody("expected a PutRecords body, a JSON object with \"Records\"");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("StreamName".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw IngestRejection.invalidBody("field \"StreamName\" must be a string, found "
                                + describe(value));
                    }
                    if (!streamName.equals(p.getText())) {
                        throw IngestRejection.invalidBody("field \"StreamName\" names another stream than "
                                + streamName + ", the one this endpoint puts into");
                    }
                } else if ("Records".equals(name)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw IngestRejection.invalidBody("field \"Records\" must be an array, found "
                                + describe(value));
                    }
                    records = records(p);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw IngestRejection.invalidBody("trailing content after the PutRecords body");
            }
        } catch (StreamReadException e) {
            throw IngestRejection.invalidBody("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        if (records == null) {
            throw IngestRejection.invalidBody("field \"Records\" is missing from the PutRecords body");
        }
        requireCount(records.size());
        List<IngestEvent> events = new ArrayList<>(records.size());
        try {
            for (int i = 0; i < records.size(); i++) {
                PutRecord r = records.get(i);
                if (r.problem != null) {
                    throw IngestRejection.invalidEvent(i, r.problemReason, "Records[" + i + "]: " + r.problem);
                }
                events.add(validate(i, r.data, r.partitionKey));
            }
        } catch (IngestRejection r) {
            throw r.counting(records.size());
        }
        return events;
    }

    /** The records of a PutRecords body, the parser at the array's start; each kept with its first problem. */
    private static List<PutRecord> records(JsonParser p) throws IOException {
        List<PutRecord> records = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            PutRecord r = new PutRecord();
            records.add(r);
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                r.problem(InvalidEventException.Reason.MALFORMED_JSON, "expected a JSON object, found " + describe(t));
                continue;
            }
            String data = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "Data" -> data = string(p, value, r, "Data");
                    case "PartitionKey" -> r.partitionKey = string(p, value, r, "PartitionKey");
                    // The producer routes by the partition key's hash; a key of the client's own would be dropped.
                    case "ExplicitHashKey" -> r.problem(InvalidEventException.Reason.INVALID_VALUE,
                            "field \"ExplicitHashKey\" is not supported: records are routed by their partition key");
                    default -> p.skipChildren();
                }
            }
            if (data == null) {
                r.problem(InvalidEventException.Reason.MISSING_FIELD, "field \"Data\" is missing");
            } else if (r.partitionKey == null) {
                r.problem(InvalidEventException.Reason.MISSING_FIELD, "field \"PartitionKey\" is missing");
            } else {
                try {
                    r.data = Base64.getDecoder().decode(data);
                } catch (IllegalArgumentException e) {
                    r.problem(InvalidEventException.Reason.INVALID_VALUE, "field \"Data\" is not valid base64: "
                            + e.getMessage());
                }
            }
        }
        return records;
    }

    private static String string(JsonParser p, JsonToken value, PutRecord r, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            r.problem(InvalidEventException.Reason.INVALID_VALUE, "field \"" + field + "\" must be a string, found "
                    + describe(value));
            return null;
        }
        return p.getText();
    }

    private void requireCount(int count) throws IngestRejection {
        if (count == 0) {
            throw IngestRejection.invalidBody("the body carries no events");
        }
        if (count > maxEvents) {
            throw IngestRejection.tooManyEvents(maxEvents, count);
        }
    }

    /**
     * Decodes one event and checks that it fits in a Kinesis record under its partition key.
     *
     * @param partitionKey the record's own, or null for the event's device id
     */
    private IngestEvent validate(int index, byte[] data, String partitionKey) throws IngestRejection {
        TelemetryEvent event;
        try {
            event = codec.decode(data);
        } catch (InvalidEventException e) {
            throw IngestRejection.invalidEvent(index, e);
        }
        String key = partitionKey != null ? partitionKey : event.deviceId();
        String keyName = partitionKey != null ? "field \"PartitionKey\"" : "field \"device_id\" (the partition key)";
        if (key.isEmpty() || key.length() > KinesisProducer.MAX_PARTITION_KEY_LENGTH) {
            throw IngestRejection.invalidEvent(index, InvalidEventException.Reason.INVALID_VALUE.label(), keyName
                    + " must have 1 to " + KinesisProducer.MAX_PARTITION_KEY_LENGTH + " characters, found "
                    + key.length());
        }
        int size = data.length + key.getBytes(StandardCharsets.UTF_8).length;
        if (size > KinesisProducer.MAX_RECORD_BYTES) {
            throw IngestRejection.invalidEvent(index, InvalidEventException.Reason.OVERSIZED.label(), "the event and "
                    + keyName + " take " + size + " bytes, more than a Kinesis record's "
                    + KinesisProducer.MAX_RECORD_BYTES);
        }
        return new IngestEvent(data, key);
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    /** One record of a PutRecords body, as read. */
    private static final class PutRecord {
        byte[] data;
        String partitionKey;
        String problem;
        String problemReason;

        void problem(InvalidEventException.Reason reason, String message) {
            if (problem == null) {
                problem = message;
                problemReason = reason.label();
            }
        }
    }
}
