package io.fleetbench.profile;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

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
        assertTrue(error("target: https\n").contains("target must be kinesis or http"), error("target: https\n"));
        String notHttp = error("http: {format: event}\n");
        assertTrue(notHttp.startsWith("p.yaml:4: http applies with target: http"), notHttp);
        String format = error("target: http\nhttp:\n  format: xml\n");
        assertTrue(format.contains("http.format must be one of [event, batch, kinesis]"), format);
        String batching = error("target: http\nhttp:\n  format: event\n  batching: {cars: {size: 10}}\n");
        assertTrue(batching.contains("http.batching must be one event per request with format event"), batching);
        String ttl = error("target: http\nhttp:\n  requestTimeout: 30s\n  eventTtl: 30s\n");
        assertTrue(ttl.contains("http.eventTtl must be longer than http.requestTimeout"), ttl);
        String scheme = error("target: http\nhttp:\n  url: ftp://example.com/x\n");
        assertTrue(scheme.contains("http.url must be an absolute http:// or https:// URL"), scheme);
        String secret = error("target: http\nhttp:\n  auth: {apiKey: {env: A, file: /k}}\n");
        assertTrue(secret.contains("names its secret by exactly one of env (a variable) and file, found both"), secret);
        String two = error("target: http\nhttp:\n  auth: {apiKey: {env: A}, bearer: {env: B}}\n");
        assertTrue(two.contains("http.auth takes at most one of apiKey, bearer, sigv4"), two);
        String region = error("target: http\nhttp:\n  auth: {sigv4: {}}\n");
        assertTrue(region.contains("http.auth.sigv4.region is required"), region);
        String own = error("target: http\nhttp:\n  url: http://127.0.0.1:9/x\n  endpoint: {maxBufferedEvents: 1000}\n");
        assertTrue(own.contains("http.endpoint applies to the run's own ingestion endpoint"), own);
        String shares = error("target: http\nhttp:\n  endpoint: {faults: {slow: 0.6, errorAfterWrite: 0.6}}\n");
        assertTrue(shares.contains("http.endpoint.faults shares must add up to at most 1"), shares);
        String ca = error("target: http\nhttp:\n  url: http://127.0.0.1:9/x\n  caFile: /ca.pem\n");
        assertTrue(ca.contains("http.caFile applies to an https url"), ca);
    }

    @Test
    void theShippedHttpProfilesLoad() throws Exception {
        for (String name : new String[] {"http-smoke", "http-overload", "http-api-gateway"}) {
            LoadProfile p = loader.load(Path.of("..", "loadprofiles", name + ".yaml"));
            assertEquals(LoadProfile.Target.HTTP, p.target(), name);
        }
    }
}
