package io.fleetbench.ingest;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which credentials a request carries decide 401, 403 or acceptance; secrets never show in a description. */
class IngestCredentialsTest {

    @Test
    void withoutCredentialsEveryRequestIsAccepted() {
        assertEquals(IngestCredentials.Verdict.ACCEPTED, IngestCredentials.none().check(headers(Map.of())));
    }

    @Test
    void apiKeysAreReadFromTheirHeaderWhateverItsCase() {
        IngestCredentials keys = IngestCredentials.apiKeys("X-API-Key", Set.of("key-one", "key-two"));
        assertEquals(IngestCredentials.Verdict.MISSING, keys.check(headers(Map.of())));
        assertEquals(IngestCredentials.Verdict.MISSING, keys.check(headers(Map.of("x-api-key", ""))));
        assertEquals(IngestCredentials.Verdict.WRONG, keys.check(headers(Map.of("x-api-key", "key-three"))));
        assertEquals(IngestCredentials.Verdict.WRONG, keys.check(headers(Map.of("x-api-key", "key-one "))));
        assertEquals(IngestCredentials.Verdict.ACCEPTED, keys.check(headers(Map.of("X-Api-Key", "key-two"))));
        assertEquals(IngestCredentials.Verdict.MISSING, keys.check(headers(Map.of("authorization", "Bearer key-one"))));
    }

    @Test
    void bearerTokensAreReadFromAuthorization() {
        IngestCredentials tokens = IngestCredentials.bearerTokens(Set.of("t0ken"));
        assertEquals(IngestCredentials.Verdict.ACCEPTED, tokens.check(headers(Map.of("Authorization", "Bearer t0ken"))));
        assertEquals(IngestCredentials.Verdict.ACCEPTED, tokens.check(headers(Map.of("authorization", "bearer t0ken"))));
        assertEquals(IngestCredentials.Verdict.WRONG, tokens.check(headers(Map.of("authorization", "Bearer t0ke"))));
        assertEquals(IngestCredentials.Verdict.MISSING, tokens.check(headers(Map.of("authorization", "Basic dDBrZW4="))));
        assertEquals(IngestCredentials.Verdict.MISSING, tokens.check(headers(Map.of("x-api-key", "t0ken"))));
        assertEquals("Bearer realm=\"fleetbench\"", tokens.challenge());
    }

    @Test
    void secretsNeverShowAndEmptyOnesAreRefused() {
        IngestCredentials keys = IngestCredentials.apiKeys(IngestCredentials.DEFAULT_API_KEY_HEADER, Set.of("s3cret"));
        assertFalse(keys.toString().contains("s3cret"), keys.toString());
        assertFalse(IngestCredentials.bearerTokens(Set.of("s3cret")).toString().contains("s3cret"));
        assertThrows(IllegalArgumentException.class, () -> IngestCredentials.bearerTokens(Set.of()));
        assertThrows(IllegalArgumentException.class, () -> IngestCredentials.apiKeys("x-api-key", Set.of(" ")));
    }

    /** Headers looked up by name, case-insensitively, as Vert.x's are. */
    private static java.util.function.Function<String, String> headers(Map<String, String> headers) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        return byName::get;
    }
}
