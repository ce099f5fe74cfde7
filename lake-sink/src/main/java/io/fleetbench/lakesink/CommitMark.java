package io.fleetbench.lakesink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The source position that travels in a commit's {@code userMetadata}, beside the source's
 * {@code txn} action: {@code {"appId":...,"txnVersion":...,"position":"<sequence>/<subSequence>"}}.
 * The position is left out of the commit that claims a source which never committed data.
 */
record CommitMark(String appId, long txnVersion, Optional<SourcePosition> position) {
    private static final JsonFactory JSON = new JsonFactory();

    String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("appId", appId);
            g.writeNumberField("txnVersion", txnVersion);
            if (position.isPresent()) {
                g.writeStringField("position", position.get().toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Reads a mark back; other writers' metadata (not ours, not JSON, or a position in another form) yields empty. */
    static Optional<CommitMark> parse(String userMetadata) {
        String appId = null;
        Long version = null;
        String position = null;
        boolean sawPosition = false;
        try (JsonParser p = JSON.createParser(userMetadata)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
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
        } catch (IOException e) {
            return Optional.empty();
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
