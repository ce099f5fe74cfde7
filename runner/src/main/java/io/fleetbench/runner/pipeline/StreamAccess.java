package io.fleetbench.runner.pipeline;

import java.net.URI;
import java.util.Optional;

/**
 * The stream a pipeline reads and where its lease store is.
 *
 * @param name           the stream's name
 * @param shards         its shards when it was created
 * @param kinesisEndpoint the Kinesis endpoint; empty for AWS's own (the SDK's default region)
 * @param dynamoEndpoint the DynamoDB endpoint of the KCL's lease table; empty for AWS's own
 */
public record StreamAccess(String name, int shards, Optional<URI> kinesisEndpoint, Optional<URI> dynamoEndpoint) {
}
