package io.fleetbench.lakesink;

import io.fleetbench.sink.SourcePosition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The source position that travels in a commit's {@code userMetadata}, beside the source's
 * {@code txn} action: {@code {"appId":...,"txnVersion":...,"position":"<sequence>/<subSequence>"}}.
 * The position is left out of the commit that claims a source which never committed data. A commit
 * that carries several sources holds a JSON array of marks, one per source.
 */
record CommitMark(String appId, long txnVersion, Optional<SourcePosition> position) {
    private static final JsonFactory JSON = new JsonFactory();

    /** This mark alone, as a JSON object. */
    String toJson() {
        String array = toJson(List.of(this));
        return array.substring(1, array.length() - 1);
    }

    /** The marks of the sources of one commit, as a JSON array. */
    static String toJson(List<CommitMark> marks) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (CommitMark m : marks) {
                g.writeStartObject();
                g.writeStringField("appId", m.appId);
                g.writeNumberField("txnVersion", m.txnVersion);
                if (m.position.isPresent()) {
                    g.writeStringField("position", m.position.get().toString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads the marks of a commit back, from an array or a single mark; entries that are not ours (other
     * writers' metadata, or a position in another form) are left out.
     */
    static List<CommitMark> parseAll(String userMetadata) {
        List<CommitMark> marks = new ArrayList<>();
        try (JsonParser p = JSON.createParser(userMetadata)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                read(p).ifPresent(marks::add);
            } else if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    read(p).ifPresent(marks::add);
                }
            }
        } catch (IOException e) {
            return marks;
        }
        return marks;
    }

    /** Reads a single mark back; other writers' metadata (not ours, not JSON, or a position in another form) yields empty. */
    static Optional<CommitMark> parse(String userMetadata) {
        try (JsonParser p = JSON.createParser(userMetadata)) {
            return p.nextToken() == JsonToken.START_OBJECT ? read(p) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads one mark object, its start already consumed, to its end. */
    private static Optional<CommitMark> read(JsonParser p) throws IOException {
        String appId = null;
        Long version = null;
        String position = null;
        boolean sawPosition = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "appId" -> appId = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "txnVersion" -> version = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                case "position" -> {
                    sawPosition = true;
                    position = value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                default -> p.skipChildren();
            }
        }
        if (appId == null || version == null || (sawPosition && position == null)) {
            return Optional.empty();
        }
        if (position == null) {
            return Optional.of(new CommitMark(appId, version, Optional.empty()));
        }
        try {
            return Optional.of(new CommitMark(appId, version, Optional.of(SourcePosition.parse(position))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
