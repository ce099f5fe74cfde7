package io.fleetbench.runner;

import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProxyFault;
import io.fleetbench.localstack.ProxyFaults;
import io.fleetbench.localstack.ShardLimitProxy;
import io.fleetbench.localstack.ShardLimits;
import io.fleetbench.report.RunReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Kinesis endpoint a local run talks to: the emulator itself, or, with {@code producer.shardLimits},
 * {@code infrastructure} faults or a restart of the emulator, a {@link ShardLimitProxy} in front of it that
 * throttles like AWS, injects the faults and holds the calls while the emulator restarts.
 */
final class StreamEndpoint implements AutoCloseable {
    private final URI uri;
    private final Optional<ShardLimitProxy> proxy;

    private StreamEndpoint(URI uri, Optional<ShardLimitProxy> proxy) {
        this.uri = uri;
        this.proxy = proxy;
    }

    /**
     * Opens the endpoint for a stack; starts the proxy on a free port of the stack's address if shard limits or
     * faults are asked for.
     */
    static StreamEndpoint open(Vertx vertx, LocalStack stack, boolean shardLimits, ProxyFaults faults,
                               MeterRegistry registry, PrintStream out) {
        return open(vertx, stack, shardLimits, faults, false, registry, out);
    }

    /**
     * Opens the endpoint for a stack, as {@link #open(Vertx, LocalStack, boolean, ProxyFaults, MeterRegistry,
     * PrintStream)} does; with {@code holdable}, the proxy is started in any case, so that the calls can be held.
     */
    static StreamEndpoint open(Vertx vertx, LocalStack stack, boolean shardLimits, ProxyFaults faults, boolean holdable,
                               MeterRegistry registry, PrintStream out) {
        return open(vertx, stack.kinesisEndpoint(), stack.bindAddress(), shardLimits, faults, holdable, registry, out);
    }

    /**
     * Opens the endpoint for an emulator listening on {@code bindAddress}, as
     * {@link #open(Vertx, LocalStack, boolean, ProxyFaults, MeterRegistry, PrintStream)} does for a stack's.
     */
    static StreamEndpoint open(Vertx vertx, URI emulator, String bindAddress, boolean shardLimits, ProxyFaults faults,
                               MeterRegistry registry, PrintStream out) {
        return open(vertx, emulator, bindAddress, shardLimits, faults, false, registry, out);
    }

    private static StreamEndpoint open(Vertx vertx, URI emulator, String bindAddress, boolean shardLimits,
                                       ProxyFaults faults, boolean holdable, MeterRegistry registry, PrintStream out) {
        if (!shardLimits && !faults.any() && !holdable) {
            return new StreamEndpoint(emulator, Optional.empty());
        }
        ShardLimitProxy proxy = ShardLimitProxy.start(vertx, emulator, bindAddress, 0,
                shardLimits ? Optional.of(ShardLimits.aws()) : Optional.empty(), faults, registry);
        if (shardLimits) {
            out.printf("shard limits: AWS per-shard limits enforced by a proxy at %s%n", proxy.endpoint());
        }
        if (faults.any()) {
            out.printf("infrastructure faults: %s, injected by a proxy at %s%n", faults.describe(), proxy.endpoint());
        }
        return new StreamEndpoint(proxy.endpoint(), Optional.of(proxy));
    }

    /** Where the producer and the consumer send their Kinesis calls. */
    URI uri() {
        return uri;
    }

    /** The proxy in front of the emulator, if there is one. */
    Optional<ShardLimitProxy> proxy() {
        return proxy;
    }

    /** Requests the proxy refused with ProvisionedThroughputExceededException; 0 without a proxy. */
    long throttled() {
        return proxy.map(ShardLimitProxy::throttled).orElse(0L);
    }

    /** Calls each infrastructure fault hit so far; empty without a proxy. */
    Map<ProxyFault, Long> faultCounts() {
        return proxy.map(ShardLimitProxy::faultCounts).orElse(Map.of());
    }

    /**
     * The infrastructure faults injected so far, for the run's report: what was asked for and the calls each kind hit,
     * every kind listed; null when none were asked for.
     */
    RunReport.Infrastructure infrastructure() {
        return proxy.filter(p -> p.faults().any()).map(p -> {
            Map<String, Long> hits = new LinkedHashMap<>();
            p.faultCounts().forEach((fault, n) -> hits.put(fault.label(), n));
            return new RunReport.Infrastructure(p.faults().describe(), hits);
        }).orElse(null);
    }

    @Override
    public void close() {
        proxy.ifPresent(ShardLimitProxy::close);
    }
}
