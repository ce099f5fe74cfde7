package io.fleetbench.simulator.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each {@link HttpAuth} adds to a request, and that no secret leaks into what it says of itself. */
class HttpAuthTest {
    private static final String SECRET = "s3cr3t-SENTINEL-7f9d";
    private static final URI INGEST = URI.create("https://ingest.example.com/v1/telemetry?fleet=a");
    private static final List<Map.Entry<String, String>> JSON = List.of(Map.entry("content-type", "application/json"));
    private static final byte[] BODY = "{\"device\":\"car-1\",\"speed\":42}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");

    @Test
    void noneAddsNothing() {
        assertEquals(List.of(), HttpAuth.none().headers("POST", INGEST, JSON, BODY, NOW));
        assertEquals("none", HttpAuth.none().describe());
    }

    @Test
    void apiKeyAddsItsHeaderAsTheSameListEveryCall() {
        HttpAuth auth = HttpAuth.apiKey("x-api-key", Secret.of(SECRET, "env FLEET_API_KEY"));
        List<Map.Entry<String, String>> first = auth.headers("POST", INGEST, JSON, BODY, NOW);
        assertEquals(List.of(Map.entry("x-api-key", SECRET)), first);
        assertSame(first, auth.headers("PUT", URI.create("https://other.example.com/"), List.of(), new byte[0],
                NOW.plusSeconds(60)));
    }

    @Test
    void bearerAddsAuthorizationAsTheSameListEveryCall() {
        HttpAuth auth = HttpAuth.bearer(Secret.of(SECRET, "file /run/secrets/token"));
        List<Map.Entry<String, String>> first = auth.headers("POST", INGEST, JSON, BODY, NOW);
        assertEquals(List.of(Map.entry("Authorization", "Bearer " + SECRET)), first);
        assertSame(first, auth.headers("POST", INGEST, JSON, BODY, NOW.plusSeconds(1)));
    }

    @Test
    void describeAndToStringNameTheSourceNeverTheSecret() {
        Secret secret = Secret.of(SECRET, "env FLEET_API_KEY");
        HttpAuth apiKey = HttpAuth.apiKey("x-api-key", secret);
        HttpAuth bearer = HttpAuth.bearer(Secret.of(SECRET, "file /x/token"));
        HttpAuth sigV4 = HttpAuth.sigV4("eu-west-1", "execute-api", new Provider(credentials("AKIDTEST", null)));

        assertEquals("api key in header x-api-key (from env FLEET_API_KEY)", apiKey.describe());
        assertEquals("bearer token (from file /x/token)", bearer.describe());
        assertEquals("AWS SigV4 for execute-api in eu-west-1", sigV4.describe());
        for (Object shown : List.of(secret, apiKey, bearer, sigV4)) {
            assertFalse(shown.toString().contains(SECRET), shown.getClass().getSimpleName() + ": " + shown);
        }
        for (HttpAuth auth : List.of(apiKey, bearer, sigV4)) {
            assertFalse(auth.describe().contains(SECRET), auth.describe());
        }
    }

    @Test
    void anUnsetVariableIsNamed() {
        String name = "FLEETBENCH_TEST_UNSET_" + UUID.randomUUID().toString().replace('-', '_');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Secret.fromEnv(name));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-token");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Secret.fromFile(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aFileIsReadWithoutItsTrailingNewlineAndMustHoldSomething(@TempDir Path dir) throws IOException {
        Path token = Files.writeString(dir.resolve("token"), SECRET + "\n");
        Secret secret = Secret.fromFile(token);
        assertEquals(SECRET, secret.value());
        assertEquals("file " + token, secret.source());

        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Secret.fromFile(empty));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void aHeaderNameMustBeAToken() {
        for (String bad : List.of("", "x api key", "x-api-key:", "x-äpi-key")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HttpAuth.apiKey(bad, Secret.of(SECRET, "env K")));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void aSecretThatWouldBreakTheHeaderIsRefusedWithoutShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpAuth.bearer(Secret.of(SECRET + "\r\nX-Injected: 1", "file /x/token")));
        assertTrue(e.getMessage().contains("file /x/token"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void sigV4NeedsARegionAndAService() {
        Provider provider = new Provider(credentials("AKIDTEST", null));
        assertThrows(IllegalArgumentException.class, () -> HttpAuth.sigV4(" ", "execute-api", provider));
        assertThrows(IllegalArgumentException.class, () -> HttpAuth.sigV4("eu-west-1", "", provider));
    }

    @Test
    void sigV4WithoutCredentialsSaysForWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpAuth.sigV4("eu-west-1", "execute-api", new Provider()));
        assertTrue(e.getMessage().contains("AWS SigV4 for execute-api in eu-west-1"), e.getMessage());
    }

    @Test
    void sigV4SignsTheBody() {
        HttpAuth auth = HttpAuth.sigV4("eu-west-1", "execute-api", new Provider(credentials("AKIDTEST", null)));
        byte[] changed = BODY.clone();
        changed[changed.length - 2]++;

        String signed = authorization(auth.headers("POST", INGEST, JSON, BODY, NOW));
        assertEquals(signed, authorization(auth.headers("POST", INGEST, JSON, BODY.clone(), NOW)));
        assertNotEquals(signed, authorization(auth.headers("POST", INGEST, JSON, changed, NOW)));
    }

    @Test
    void sigV4SignsTheHostWithItsPortOnlyWhenNotTheDefault() {
        HttpAuth auth = HttpAuth.sigV4("eu-west-1", "execute-api", new Provider(credentials("AKIDTEST", null)));
        String plain = authorization(auth.headers("POST", URI.create("https://ingest.example.com/v1"), JSON, BODY, NOW));

        assertEquals(plain,
                authorization(auth.headers("POST", URI.create("https://ingest.example.com:443/v1"), JSON, BODY, NOW)));
        assertNotEquals(plain,
                authorization(auth.headers("POST", URI.create("https://ingest.example.com:8443/v1"), JSON, BODY, NOW)));
    }

    @Test
    void sigV4AddsOnlyWhatItSigned() {
        HttpAuth auth = HttpAuth.sigV4("eu-west-1", "execute-api",
                new Provider(AwsSessionCredentialsIdentity.create("ASIATEST", "secret", "token-1")));
        List<String> names = auth.headers("POST", INGEST, JSON, BODY, NOW).stream().map(Map.Entry::getKey)
                .map(n -> n.toLowerCase(Locale.ROOT)).sorted().toList();
        assertEquals(List.of("authorization", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"), names);
    }

    @Test
    void sigV4RefreshesCredentialsNearTheirExpiry() {
        Instant expiry = NOW.plus(Duration.ofHours(1));
        Provider provider = new Provider(credentials("AKIDFIRST", expiry), credentials("AKIDSECOND", null));
        HttpAuth auth = HttpAuth.sigV4("eu-west-1", "execute-api", provider);

        Instant wellBefore = expiry.minus(HttpAuth.SigV4.REFRESH_AHEAD).minusSeconds(1);
        assertTrue(authorization(auth.headers("POST", INGEST, JSON, BODY, wellBefore)).contains("AKIDFIRST/"));
        assertEquals(1, provider.resolved);

        // Near expiry the old credentials still sign this request while the new ones are fetched.
        Instant near = expiry.minusSeconds(60);
        assertTrue(authorization(auth.headers("POST", INGEST, JSON, BODY, near)).contains("AKIDFIRST/"));
        assertEquals(2, provider.resolved);
        assertTrue(authorization(auth.headers("POST", INGEST, JSON, BODY, near)).contains("AKIDSECOND/"));
        assertEquals(2, provider.resolved);
    }

    @Test
    void sigV4WaitsForNewCredentialsOnceTheOldHaveExpired() {
        Instant expiry = NOW.plus(Duration.ofHours(1));
        Provider provider = new Provider(credentials("AKIDFIRST", expiry), credentials("AKIDSECOND", null));
        HttpAuth auth = HttpAuth.sigV4("eu-west-1", "execute-api", provider);

        assertTrue(authorization(auth.headers("POST", INGEST, JSON, BODY, expiry.plusSeconds(1))).contains("AKIDSECOND/"));
    }

    private static String authorization(List<Map.Entry<String, String>> headers) {
        List<String> values = headers.stream().filter(h -> h.getKey().equals("Authorization"))
                .map(Map.Entry::getValue).toList();
        assertEquals(1, values.size(), "Authorization headers in " + headers);
        return values.get(0);
    }

    private static Credentials credentials(String accessKeyId, Instant expiry) {
        return new Credentials(accessKeyId, "secret-of-" + accessKeyId, Optional.ofNullable(expiry));
    }

    /** Credentials with an expiry, which the SDK's builders for the identity interface do not take. */
    private record Credentials(String accessKeyId, String secretAccessKey, Optional<Instant> expirationTime)
            implements AwsCredentialsIdentity {
    }

    /** Hands out the given credentials one by one, the last for ever; none at all fails as a provider would. */
    private static final class Provider implements IdentityProvider<AwsCredentialsIdentity> {
        private final Deque<AwsCredentialsIdentity> next;
        int resolved;

        Provider(AwsCredentialsIdentity... credentials) {
            next = new ArrayDeque<>(List.of(credentials));
        }

        @Override
        public Class<AwsCredentialsIdentity> identityType() {
            return AwsCredentialsIdentity.class;
        }

        @Override
        public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(ResolveIdentityRequest request) {
            resolved++;
            if (next.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalStateException("Unable to load credentials"));
            }
            return CompletableFuture.completedFuture(next.size() > 1 ? next.poll() : next.peek());
        }
    }
}
