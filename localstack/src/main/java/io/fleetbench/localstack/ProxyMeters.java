package io.fleetbench.localstack;

/**
 * The names of the shard-limit proxy's meters, as {@link ShardLimitProxy} registers them; docs/metrics.md gives their
 * Prometheus names ({@code MeterCatalogueTest} holds the three together).
 */
public final class ProxyMeters {
    /** Counter of requests or PutRecords entries the proxy refused, by {@code operation}, {@code shard}; lazy. */
    public static final String THROTTLED = "fleetbench.proxy.throttled";
    /**
     * Counter of calls an infrastructure fault hit, by {@code fault} ({@link ProxyFault#label()}) and {@code operation}
     * ({@code put_records}, ...); lazy.
     */
    public static final String FAULTS = "fleetbench.proxy.faults";

    private ProxyMeters() {
    }
}
