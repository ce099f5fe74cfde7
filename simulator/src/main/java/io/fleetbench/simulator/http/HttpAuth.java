package io.fleetbench.simulator.http;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How each request of the HTTP target proves who sends it. */
public interface HttpAuth {

    /** The headers to add to one request about to go out. */
    List<Map.Entry<String, String>> headers(String method, URI uri, List<Map.Entry<String, String>> headers,
                                            byte[] body, Instant now);

    /** What this auth is, without any secret. */
    String describe();

    /** No authentication. */
    static HttpAuth none() {
        return new HttpAuth() {
            @Override
            public List<Map.Entry<String, String>> headers(String method, URI uri, List<Map.Entry<String, String>> h,
                                                           byte[] body, Instant now) {
                return List.of();
            }

            @Override
            public String describe() {
                return "none";
            }
        };
    }
}
