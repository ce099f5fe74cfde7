package io.fleetbench.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Who may post events: anyone ({@link #none()}), holders of an API key sent in a header ({@link #apiKeys}), or
 * holders of a bearer token ({@link #bearerTokens}). The secrets are taken as plain strings and kept only as
 * SHA-256 digests, which are compared in constant time: comparing digests of equal length keeps neither a secret's
 * length nor its matching prefix observable in the answer's timing. {@link #toString()} names the scheme and the
 * number of secrets, never a secret.
 */
public final class IngestCredentials {
    /** The header an API key is sent in unless another is named. */
    public static final String DEFAULT_API_KEY_HEADER = "x-api-key";

    /** What a request's credentials were found to be. */
    public enum Verdict {
        /** Accepted. */
        ACCEPTED,
        /** The request carries none: 401. */
        MISSING,
        /** The request carries some that are not accepted: 403. */
        WRONG
    }

    private enum Scheme { NONE, API_KEY, BEARER }

    private final Scheme scheme;
    private final String header;
    private final List<byte[]> digests;

    private IngestCredentials(Scheme scheme, String header, List<byte[]> digests) {
        this.scheme = scheme;
        this.header = header;
        this.digests = digests;
    }

    /** No authentication: every request is accepted. */
    public static IngestCredentials none() {
        return new IngestCredentials(Scheme.NONE, null, List.of());
    }

    /**
     * API keys sent in a header, such as {@code x-api-key: <key>}.
     *
     * @param header the header's name, case-insensitive; {@link #DEFAULT_API_KEY_HEADER} by default
     * @param keys   at least one; none empty
     */
    public static IngestCredentials apiKeys(String header, Set<String> keys) {
        Objects.requireNonNull(header, "header");
        if (header.isBlank()) {
            throw new IllegalArgumentException("the API key header must be named, found a blank name");
        }
        return new IngestCredentials(Scheme.API_KEY, header.toLowerCase(Locale.ROOT), digests("API key", keys));
    }

    /**
     * Bearer tokens sent as {@code Authorization: Bearer <token>}.
     *
     * @param tokens at least one; none empty
     */
    public static IngestCredentials bearerTokens(Set<String> tokens) {
        return new IngestCredentials(Scheme.BEARER, "authorization", digests("bearer token", tokens));
    }

    /** Whether requests must carry credentials. */
    public boolean required() {
        return scheme != Scheme.NONE;
    }

    /** The header the credentials are read from; null when none are required. */
    public String header() {
        return header;
    }

    /**
     * The {@code WWW-Authenticate} challenge of a 401 answer: {@code Bearer realm="fleetbench"}, or for API keys
     * {@code ApiKey realm="fleetbench", header="x-api-key"}; null when none are required.
     */
    public String challenge() {
        return switch (scheme) {
            case NONE -> null;
            case API_KEY -> "ApiKey realm=\"fleetbench\", header=\"" + header + "\"";
            case BEARER -> "Bearer realm=\"fleetbench\"";
        };
    }

    /**
     * Judges a request by its headers.
     *
     * @param headers a request header's value by its name, case-insensitive (as Vert.x's headers are); null if absent
     */
    public Verdict check(Function<String, String> headers) {
        if (scheme == Scheme.NONE) {
            return Verdict.ACCEPTED;
        }
        String value = headers.apply(header);
        if (value == null || value.isEmpty()) {
            return Verdict.MISSING;
        }
        if (scheme == Scheme.BEARER) {
            // The scheme name is case-insensitive (RFC 9110, 11.1); anything else than Bearer carries no token of ours.
            if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Verdict.MISSING;
            }
            value = value.substring(7).strip();
        }
        byte[] presented = sha256(value);
        boolean match = false;
        // Every digest is compared, so that which one matched does not show in the time taken either.
        for (byte[] d : digests) {
            match |= MessageDigest.isEqual(d, presented);
        }
        return match ? Verdict.ACCEPTED : Verdict.WRONG;
    }

    @Override
    public String toString() {
        return switch (scheme) {
            case NONE -> "none";
            case API_KEY -> digests.size() + " API key(s) in header " + header;
            case BEARER -> digests.size() + " bearer token(s)";
        };
    }

    private static List<byte[]> digests(String what, Set<String> secrets) {
        Objects.requireNonNull(secrets, what + "s");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one " + what + " is needed, found none");
        }
        List<byte[]> digests = new ArrayList<>(secrets.size());
        int i = 0;
        for (String s : secrets) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + " " + (i + 1) + " of " + secrets.size() + " is empty");
            }
            digests.add(sha256(s));
            i++;
        }
        return List.copyOf(digests);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
