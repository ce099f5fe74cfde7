package io.fleetbench.runner;

import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ShardLimitProxy;
import io.fleetbench.localstack.ShardLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.net.URI;
import java.util.Optional;

/**
 * The Kinesis endpoint a local run talks to: the emulator itself, or, with
 * {@code producer.shardLimits}, a {@link ShardLimitProxy} in front of it that throttles like AWS.
 */
final class StreamEndpoint implements AutoCloseable {
    private final URI uri;
    private final Optional<ShardLimitProxy> proxy;

    private StreamEndpoint(URI uri, Optional<ShardLimitProxy> proxy) {
        this.uri = uri;
        this.proxy = proxy;
    }

    /**
     * Opens the endpoint for a stack; starts the proxy on a free port of the stack's address if shard limits are
     * asked for.
     */
    static StreamEndpoint open(Vertx vertx, LocalStack stack, boolean shardLimits, MeterRegistry registry,
                               PrintStream out) {
        if (!shardLimits) {
            return new StreamEndpoint(stack.kinesisEndpoint(), Optional.empty());
        }
        ShardLimitProxy proxy = ShardLimitProxy.start(vertx, stack.kinesisEndpoint(), stack.bindAddress(), 0,
                ShardLimits.aws(), registry);
        out.printf("shard limits: AWS per-shard limits enforced by a proxy at %s%n", proxy.endpoint());
        return new StreamEndpoint(proxy.endpoint(), Optional.of(proxy));
    }

    /** Where the producer and the consumer send their Kinesis calls. */
    URI uri() {
        return uri;
    }

    /** Requests the proxy refused with ProvisionedThroughputExceededException; 0 without a proxy. */
    long throttled() {
        return proxy.map(ShardLimitProxy::throttled).orElse(0L);
    }

    @Override
    public void close() {
        proxy.ifPresent(ShardLimitProxy::close);
    }
}
