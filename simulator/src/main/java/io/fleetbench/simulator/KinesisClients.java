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
 * record time-to-live), and either a local emulator or real AWS.
 */
public final class KinesisClients {
    /**
     * Longest one call may take before it fails, unless the request sets its own timeout: the producer's
     * PutRecords calls carry {@link ProducerConfig#apiCallTimeout()}, so that the client's other calls
     * (creating, describing, listing the stream) keep this one.
     */
    public static final Duration API_CALL_TIMEOUT = ProducerConfig.DEFAULT_API_CALL_TIMEOUT;

    private KinesisClients() {
    }

    /**
     * A client for a local emulator (kinesalite at {@code http://127.0.0.1:4567}, kinesis-local) or,
     * with no endpoint, for real AWS.
     *
     * @param endpoint       the emulator's URI; empty for AWS with the default credential chain and region
     * @param maxConcurrency most open HTTP connections; at least the producer's maxInFlightRequests
     */
    public static KinesisAsyncClient create(Optional<URI> endpoint, int maxConcurrency) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, found " + maxConcurrency);
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
                        .apiCallTimeout(API_CALL_TIMEOUT));
        endpoint.ifPresent(uri -> builder
                .endpointOverride(uri)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("fleetbench-local", "fleetbench-local"))));
        return builder.build();
    }
}
