package io.fleetbench.profile;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code target} and the {@code http} section: read, defaulted, and refused with file, line and key. */
class HttpProfileTest {
    private static final String HEAD = "name: x\nduration: 1m\nrate: 100\n";
    private final ProfileLoader loader = new ProfileLoader();

    private LoadProfile parse(String section) throws ProfileException {
        return loader.parse("p.yaml", HEAD + section);
    }

    private String error(String section) {
        return assertThrows(ProfileException.class, () -> loader.parse("p.yaml", HEAD + section)).getMessage();
    }

    @Test
    void withoutATargetTheFleetPutsIntoTheStream() throws ProfileException {
        LoadProfile p = parse("");
        assertEquals(LoadProfile.Target.KINESIS, p.target());
        assertNull(p.http().url());
    }

    @Test
    void anHttpTargetHasADefaultForEveryOption() throws ProfileException {
        LoadProfile.Http h = parse("target: http\n").http();
        assertNull(h.url(), "the run's own endpoint");
        assertEquals("batch", h.format());
        assertEquals("1.1", h.version());
        assertEquals(256, h.maxConnections());
        assertEquals(512, h.maxInFlightRequests());
        assertEquals(Duration.ofSeconds(10), h.requestTimeout());
        assertEquals(Duration.ofSeconds(30), h.eventTtl());
        assertEquals(1, h.batching().cars().size());
        assertEquals(Duration.ZERO, h.batching().bikes().interval());
        assertEquals(20_000, h.endpoint().maxBufferedEvents());
        assertFalse(h.endpoint().faults().any());
        String summary = ProfileSummary.describe(parse("target: http\n"));
        assertTrue(summary.contains("; http to the run's own ingestion endpoint (buffer 20000 events): batch bodies over"
                + " HTTP/1.1, 256 connections, cars 1 event a request, bikes 1 event a request, auth none;"), summary);
        assertFalse(ProfileSummary.describe(parse("")).contains("http to"));
    }

    @Test
    void readsEveryOption() throws ProfileException {
        LoadProfile.Http h = parse("""
                target: http
                http:
                  url: https://api.example.com/prod/records
                  format: kinesis
                  version: "2"
                  maxConnections: 8
                  requestTimeout: 2s
                  eventTtl: 20s
                  batching: {cars: {size: 20}, bikes: {size: 5, interval: 1s}}
                  caFile: /etc/ca.pem
                  auth: {sigv4: {region: eu-west-1}}
                """).http();
        assertEquals(URI.create("https://api.example.com/prod/records"), h.url());
        assertEquals("kinesis", h.format());
        assertEquals("2", h.version());
        assertEquals(20, h.batching().cars().size());
        assertEquals(Duration.ofSeconds(5), h.batching().cars().interval(), "a batch's default interval");
        assertEquals(Duration.ofSeconds(1), h.batching().bikes().interval());
        assertEquals("execute-api", h.auth().sigv4().service());
    }

    @Test
    void refusesWhatCannotWorkNamingTheKeyAndLine() {
        String http = "target: http\nhttp:\n";
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("target: https\n", "target must be kinesis or http");
        refused.put("http: {format: event}\n", "p.yaml:4: http applies with target: http");
        refused.put(http + "  format: xml\n", "http.format must be one of [event, batch, kinesis]");
        refused.put(http + "  format: event\n  batching: {cars: {size: 10}}\n",
                "http.batching must be one event per request with format event");
        refused.put(http + "  requestTimeout: 30s\n  eventTtl: 30s\n",
                "http.eventTtl must be longer than http.requestTimeout");
        refused.put(http + "  url: ftp://example.com/x\n", "http.url must be an absolute http:// or https:// URL");
        refused.put(http + "  auth: {apiKey: {env: A, file: /k}}\n",
                "names its secret by exactly one of env (a variable) and file, found both");
        refused.put(http + "  auth: {apiKey: {env: A}, bearer: {env: B}}\n",
                "http.auth takes at most one of apiKey, bearer, sigv4");
        refused.put(http + "  auth: {sigv4: {}}\n", "http.auth.sigv4.region is required");
        refused.put(http + "  url: http://127.0.0.1:9/x\n  endpoint: {maxBufferedEvents: 1000}\n",
                "http.endpoint applies to the run's own ingestion endpoint");
        refused.put(http + "  endpoint: {faults: {slow: 0.6, errorAfterWrite: 0.6}}\n",
                "http.endpoint.faults shares must add up to at most 1");
        refused.put(http + "  url: http://127.0.0.1:9/x\n  caFile: /ca.pem\n", "http.caFile applies to an https url");
        refused.forEach((yaml, expected) -> {
            String m = error(yaml);
            assertTrue(m.contains(expected), "for\n" + yaml + "expected \"" + expected + "\" in: " + m);
        });
    }

    @Test
    void theShippedHttpProfilesLoad() throws Exception {
        for (String name : new String[] {"http-smoke", "http-overload", "http-api-gateway"}) {
            LoadProfile p = loader.load(Path.of("..", "loadprofiles", name + ".yaml"));
            assertEquals(LoadProfile.Target.HTTP, p.target(), name);
        }
    }
}
