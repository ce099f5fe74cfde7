package io.fleetbench.simulator;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the {@link KinesisAsyncClient} the producer puts with: Netty over HTTP/1.1, one attempt
 * per call (the producer does its own retries, so every re-send is counted and bounded by the
 * record time-to-live), a timeout on each call, and either a local emulator or real AWS.
 */
public final class KinesisClients {
    /** Longest one call may take by default ({@link ProducerConfig#DEFAULT_API_CALL_TIMEOUT}). */
    public static final Duration API_CALL_TIMEOUT = ProducerConfig.DEFAULT_API_CALL_TIMEOUT;

    private KinesisClients() {
    }

    /**
     * A client for a local emulator or AWS whose calls time out after {@link #API_CALL_TIMEOUT}.
     *
     * @see #create(Optional, int, Duration)
     */
    public static KinesisAsyncClient create(Optional<URI> endpoint, int maxConcurrency) {
        return create(endpoint, maxConcurrency, API_CALL_TIMEOUT);
    }

    /**
     * A client for a local emulator (kinesalite at {@code http://127.0.0.1:4567}, kinesis-local) or,
     * with no endpoint, for real AWS.
     *
     * @param endpoint       the emulator's URI; empty for AWS with the default credential chain and region
     * @param maxConcurrency most open HTTP connections; at least the producer's maxInFlightRequests
     * @param apiCallTimeout longest one call (and its one attempt) may take before it fails with
     *                       {@code ApiCallTimeoutException} ({@link ProducerConfig#apiCallTimeout()}); a PutRecords
     *                       call that times out may still have been written, so its records are ambiguous
     */
    public static KinesisAsyncClient create(Optional<URI> endpoint, int maxConcurrency, Duration apiCallTimeout) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, found " + maxConcurrency);
        }
        if (apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
            throw new IllegalArgumentException("apiCallTimeout must be positive, found " + apiCallTimeout);
        }
        if (endpoint.isPresent()) {
            // kinesalite cannot read CBOR, and SDK v2 reads this property when the client is built.
            System.setProperty("aws.cborEnabled", "false");
        }
        KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(Protocol.HTTP1_1)
                        .maxConcurrency(maxConcurrency))
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(apiCallTimeout)
                        .apiCallAttemptTimeout(apiCallTimeout));
        endpoint.ifPresent(uri -> builder
                .endpointOverride(uri)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("fleetbench-local", "fleetbench-local"))));
        return builder.build();
    }
}
