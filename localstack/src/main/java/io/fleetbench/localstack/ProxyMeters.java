package io.fleetbench.localstack;

/**
 * The names of the shard-limit proxy's meters, as {@link ShardLimitProxy} registers them; docs/metrics.md gives their
 * Prometheus names ({@code MeterCatalogueTest} holds the three together).
 */
public final class ProxyMeters {
    /** Counter of requests or PutRecords entries the proxy refused, by {@code operation}, {@code shard}; lazy. */
    public static final String THROTTLED = "fleetbench.proxy.throttled";

    private ProxyMeters() {
    }
}
