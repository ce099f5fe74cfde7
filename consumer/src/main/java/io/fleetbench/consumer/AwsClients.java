package io.fleetbench.consumer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.KinesisClientUtil;

import java.net.URI;
import java.util.Optional;

/**
 * The three AWS clients the KCL needs, against the local emulators or AWS. Against an emulator
 * they use dummy credentials, us-east-1 and HTTP/1.1 (plain-HTTP emulators do not speak HTTP/2).
 */
record AwsClients(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo, CloudWatchAsyncClient cloudWatch)
        implements AutoCloseable {

    /** The SDK reads this once, when the first Kinesis client is built; kinesalite cannot answer CBOR. */
    static final String CBOR_PROPERTY = "aws.cborEnabled";

    private static final Region LOCAL_REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider DUMMY_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("fleetbench", "fleetbench"));

    static AwsClients create(ConsumerConfig config) {
        Optional<Region> region = Optional.ofNullable(config.region()).map(Region::of);
        return new AwsClients(kinesis(config.kinesisEndpointOverride(), region),
                dynamo(config.dynamoEndpointOverride(), region),
                cloudWatch(config.kinesisEndpointOverride().isPresent(), region));
    }

    private static KinesisAsyncClient kinesis(Optional<URI> endpoint, Optional<Region> region) {
        if (endpoint.isEmpty()) {
            var b = KinesisAsyncClient.builder();
            region.ifPresent(b::region);
            return KinesisClientUtil.createKinesisAsyncClient(b);
        }
        System.setProperty(CBOR_PROPERTY, "false");
        return KinesisAsyncClient.builder()
                .endpointOverride(endpoint.get())
                .region(region.orElse(LOCAL_REGION))
                .credentialsProvider(DUMMY_CREDENTIALS)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1).maxConcurrency(100))
                .build();
    }

    private static DynamoDbAsyncClient dynamo(Optional<URI> endpoint, Optional<Region> region) {
        var b = DynamoDbAsyncClient.builder();
        if (endpoint.isPresent()) {
            b.endpointOverride(endpoint.get()).region(region.orElse(LOCAL_REGION)).credentialsProvider(DUMMY_CREDENTIALS);
        } else {
            region.ifPresent(b::region);
        }
        return b.build();
    }

    /** Metrics are off (level NONE), so against emulators the client is built but never called. */
    private static CloudWatchAsyncClient cloudWatch(boolean local, Optional<Region> region) {
        var b = CloudWatchAsyncClient.builder();
        if (local) {
            b.region(region.orElse(LOCAL_REGION)).credentialsProvider(DUMMY_CREDENTIALS);
        } else {
            region.ifPresent(b::region);
        }
        return b.build();
    }

    @Override
    public void close() {
        kinesis.close();
        dynamo.close();
        cloudWatch.close();
    }
}
