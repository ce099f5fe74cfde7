package io.fleetbench.simulator.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a Kinesis PutRecords answer body as API Gateway's Kinesis integration passes it back. */
final class PutRecordsAnswer {
    private static final JsonFactory JSON = new JsonFactory();

    private PutRecordsAnswer() {
    }

    /**
     * Each record's {@code ErrorCode} (null where it was written) in order, from a body such as
     * {@code {"FailedRecordCount":1,"Records":[{"SequenceNumber":"...","ShardId":"..."},{"ErrorCode":"...",...}]}};
     * empty when the body has no {@code Records} array or no record failed ({@code FailedRecordCount} 0 or absent),
     * or cannot be read as such: an endpoint that answers 2xx with its own body took the whole request.
     */
    static List<String> errorCodes(byte[] body) {
        List<String> codes = new ArrayList<>();
        boolean anyFailed = false;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return List.of();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("Records".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        String code = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken v = p.nextToken();
                            if ("ErrorCode".equals(name) && v == JsonToken.VALUE_STRING) {
                                code = p.getText();
                            } else {
                                p.skipChildren();
                            }
                        }
                        anyFailed |= code != null;
                        codes.add(code);
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return anyFailed ? codes : List.of();
    }
}
