package io.fleetbench.simulator.http;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** How each request of the HTTP target proves who sends it. Secrets never appear in toString(), logs, reports or exceptions. */
public sealed interface HttpAuth permits HttpAuth.None, HttpAuth.ConstantHeader, HttpAuth.SigV4 {

    /**
     * The headers to add to one request about to go out, given everything that is signed.
     *
     * @param method  e.g. "POST"
     * @param uri     the full request URI (scheme, host, optional port, path, optional query)
     * @param headers the request's other headers (name, value) as they will be sent, including content-type; not
     *                including Host (derived from the uri, with the port only when it is not the scheme's default)
     * @param body    the exact body bytes; empty for none
     * @param now     the signing time
     * @return header (name, value) pairs to add; for constant headers the same preallocated list every call
     */
    List<Map.Entry<String, String>> headers(String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body,
                                            Instant now);

    /** What this auth is, for logs and reports, without any secret: e.g. "AWS SigV4 for execute-api in eu-west-1". */
    String describe();

    /** No authentication: adds no header. */
    static HttpAuth none() {
        return None.INSTANCE;
    }

    /**
     * The api key {@code value} in the header {@code headerName} of every request.
     *
     * @throws IllegalArgumentException if {@code headerName} is not an HTTP token or the key cannot be a header value
     */
    static HttpAuth apiKey(String headerName, Secret value) {
        Objects.requireNonNull(headerName, "headerName");
        Objects.requireNonNull(value, "value");
        if (!ConstantHeader.isToken(headerName)) {
            throw new IllegalArgumentException("api key header name '" + headerName + "' is not a valid HTTP header name");
        }
        return new ConstantHeader(headerName, value.value(), value, "api key in header " + headerName);
    }

    /**
     * {@code Authorization: Bearer <token>} on every request.
     *
     * @throws IllegalArgumentException if the token cannot be a header value
     */
    static HttpAuth bearer(Secret token) {
        Objects.requireNonNull(token, "token");
        return new ConstantHeader("Authorization", "Bearer " + token.value(), token, "bearer token");
    }

    /**
     * AWS Signature Version 4 by the SDK's own signer, with the credentials {@code credentials} resolves, for example
     * {@code DefaultCredentialsProvider.builder().build()}; they are resolved here, once, and again as they near expiry.
     *
     * @param region  the signing region, e.g. "eu-west-1"
     * @param service the signing name, e.g. "execute-api" for API Gateway
     * @throws IllegalArgumentException if region or service is blank, or the provider yields no credentials
     */
    static HttpAuth sigV4(String region, String service,
                          IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
        return new SigV4(region, service, credentials);
    }

    /** AWS Signature Version 4 with the SDK's default credential chain; see {@link #sigV4(String, String, IdentityProvider)}. */
    static HttpAuth sigV4(String region, String service) {
        return sigV4(region, service, DefaultCredentialsProvider.builder().build());
    }

    /** No authentication. */
    enum None implements HttpAuth {
        INSTANCE;

        @Override
        public List<Map.Entry<String, String>> headers(String method, URI uri, List<Map.Entry<String, String>> headers,
                                                       byte[] body, Instant now) {
            return List.of();
        }

        @Override
        public String describe() {
            return "none";
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /**
     * One header whose value holds a secret and never changes. Not a record: a record's accessors, equals and
     * toString would hand the secret out.
     */
    final class ConstantHeader implements HttpAuth {
        private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

        private final List<Map.Entry<String, String>> headers;
        private final String description;

        private ConstantHeader(String name, String value, Secret secret, String what) {
            if (!isHeaderValue(value)) {
                throw new IllegalArgumentException(what + " from " + secret.source()
                        + " holds a control character, which a header value cannot");
            }
            this.headers = List.of(Map.entry(name, value));
            this.description = what + " (from " + secret.source() + ")";
        }

        /** RFC 9110's token: what a header name may be. */
        static boolean isToken(String s) {
            return !s.isEmpty() && s.chars().allMatch(c -> c < 0x80
                    && (Character.isLetterOrDigit(c) || TOKEN_SYMBOLS.indexOf(c) >= 0));
        }

        // A line break in a value would end the header and let the rest pass as headers of its own.
        private static boolean isHeaderValue(String s) {
            return s.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
        }

        @Override
        public List<Map.Entry<String, String>> headers(String method, URI uri, List<Map.Entry<String, String>> headers,
                                                       byte[] body, Instant now) {
            return this.headers;
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * AWS Signature Version 4, signed by the SDK's {@link AwsV4HttpSigner} with its defaults for a service other than
     * S3 (paths normalised and encoded twice), the body's SHA-256 signed and sent in {@code x-amz-content-sha256}.
     *
     * <p>Credentials are resolved once at construction, at start, so that signing on the event loop never waits on a
     * provider.
     * Temporary credentials are resolved again in the background from {@link #REFRESH_AHEAD} before they expire, the
     * old ones signing meanwhile; only a request signed after they expired waits for the new ones, since the old would
     * be refused anyway.
     */
    final class SigV4 implements HttpAuth {
        static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
        private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

        private final String region;
        private final String service;
        private final IdentityProvider<? extends AwsCredentialsIdentity> provider;
        private volatile AwsCredentialsIdentity credentials;
        private CompletableFuture<AwsCredentialsIdentity> refresh;

        private SigV4(String region, String service, IdentityProvider<? extends AwsCredentialsIdentity> provider) {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(service, "service");
            this.provider = Objects.requireNonNull(provider, "credentials");
            if (region.isBlank()) {
                throw new IllegalArgumentException("SigV4 region is blank");
            }
            if (service.isBlank()) {
                throw new IllegalArgumentException("SigV4 service is blank");
            }
            this.region = region;
            this.service = service;
            try {
                this.credentials = provider.resolveIdentity().join();
            } catch (CompletionException e) {
                throw new IllegalArgumentException("no AWS credentials for " + describe() + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        }

        @Override
        public List<Map.Entry<String, String>> headers(String method, URI uri, List<Map.Entry<String, String>> headers,
                                                       byte[] body, Instant now) {
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
            headers.forEach(h -> unsigned.appendHeader(h.getKey(), h.getValue()));
            SdkHttpRequest request = unsigned.build();
            SdkHttpRequest signed = SIGNER.sign(r -> r.request(request)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .identity(credentials(now))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    // Explicit, as the default over HTTPS differs between SDK versions: unsigned, the body could be
                    // changed in flight.
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC))).request();
            List<Map.Entry<String, String>> added = new ArrayList<>(4);
            signed.forEachHeader((name, values) -> {
                // Host is left to the HTTP client, which derives it from the uri just as the signer did.
                if (!"Host".equalsIgnoreCase(name) && request.firstMatchingHeader(name).isEmpty()) {
                    values.forEach(v -> added.add(Map.entry(name, v)));
                }
            });
            return added;
        }

        private AwsCredentialsIdentity credentials(Instant now) {
            AwsCredentialsIdentity current = credentials;
            Optional<Instant> expiry = current.expirationTime();
            if (expiry.isEmpty() || now.isBefore(expiry.get().minus(REFRESH_AHEAD))) {
                return current;
            }
            CompletableFuture<AwsCredentialsIdentity> pending = refresh();
            return now.isBefore(expiry.get()) ? current : pending.join();
        }

        // A done refresh is replaced rather than reused: it may have failed, or handed back credentials that are
        // themselves near expiry again by now.
        private synchronized CompletableFuture<AwsCredentialsIdentity> refresh() {
            if (refresh == null || refresh.isDone()) {
                refresh = provider.resolveIdentity().thenApply(fresh -> {
                    credentials = fresh;
                    return fresh;
                });
            }
            return refresh;
        }

        @Override
        public String describe() {
            return "AWS SigV4 for " + service + " in " + region;
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
