package io.fleetbench.ingest;

import io.fleetbench.telemetry.InvalidEventException;
import io.vertx.core.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request body the endpoint refuses whole, none of its events put: the status to answer, the reason to count it
 * under, and a JSON body that says what was wrong and where (the event's index, the field), never quoting the payload.
 */
public final class IngestRejection extends Exception {
    // The codec names the field it rejects as: field "name".
    private static final Pattern FIELD = Pattern.compile("field \"([^\"]+)\"");

    private final int status;
    private final RejectReason reason;
    private final transient JsonObject body;
    private int events = 1;

    private IngestRejection(int status, RejectReason reason, JsonObject body) {
        super(body.getString("message"), null, false, false);
        this.status = status;
        this.reason = reason;
        this.body = body;
    }

    /**
     * Event {@code index} (from 0, in the order sent) is not valid: 400 with
     * {@code {"error":"invalid event","index":3,"reason":"missing_field","field":"speed_kmh","message":"..."}};
     * {@code field} is there when the codec's message names one.
     */
    static IngestRejection invalidEvent(int index, InvalidEventException e) {
        return invalidEvent(index, e.reason().label(), e.getMessage());
    }

    /** Event {@code index} is not valid for a reason outside the codec, such as a record's missing partition key. */
    static IngestRejection invalidEvent(int index, String reason, String message) {
        JsonObject body = new JsonObject().put("error", "invalid event").put("index", index).put("reason", reason);
        Matcher m = FIELD.matcher(message);
        if (m.find()) {
            body.put("field", m.group(1));
        }
        return new IngestRejection(400, RejectReason.INVALID, body.put("message", message));
    }

    /** The body as a whole is not what the endpoint takes: 400 with {@code {"error":"invalid body","message":...}}. */
    static IngestRejection invalidBody(String message) {
        return new IngestRejection(400, RejectReason.INVALID,
                new JsonObject().put("error", "invalid body").put("message", message));
    }

    /** More events than one request may carry: 413 naming the limit. */
    static IngestRejection tooManyEvents(int limit, int found) {
        return new IngestRejection(413, RejectReason.TOO_LARGE, new JsonObject().put("error", "too many events")
                .put("limit", limit).put("found", found)
                .put("message", "a request may carry at most " + limit + " events, found " + found)).counting(found);
    }

    /** This rejection, of a body found to carry {@code events} events. */
    IngestRejection counting(int events) {
        this.events = events;
        return this;
    }

    /** The HTTP status to answer. */
    public int status() {
        return status;
    }

    /** The reason to count the refused events under. */
    public RejectReason reason() {
        return reason;
    }

    /** The events refused: as many as the body was found to carry, or 1 if it was not read that far. */
    public int events() {
        return events;
    }

    /** The JSON body to answer. */
    public JsonObject body() {
        return body.copy();
    }
}
