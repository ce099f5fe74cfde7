package io.fleetbench.localstack;

/**
 * The per-shard limits the {@link ShardLimitProxy} enforces.
 *
 * @param writeRecordsPerSecond records written per second per shard; default 1,000 (AWS)
 * @param writeBytesPerSecond   bytes (data and partition keys) written per second per shard; default 1 MiB (AWS)
 * @param readCallsPerSecond    GetRecords calls per second per shard; default 5 (AWS)
 * @param readBytesPerSecond    bytes returned by GetRecords per second per shard; default 2 MiB (AWS)
 */
public record ShardLimits(double writeRecordsPerSecond, double writeBytesPerSecond, double readCallsPerSecond,
                          double readBytesPerSecond) {

    public ShardLimits {
        if (!(writeRecordsPerSecond > 0 && writeBytesPerSecond > 0 && readCallsPerSecond > 0 && readBytesPerSecond > 0)) {
            throw new IllegalArgumentException("every shard limit must be positive, found " + writeRecordsPerSecond
                    + " records/s, " + writeBytesPerSecond + " bytes/s written, " + readCallsPerSecond + " calls/s, "
                    + readBytesPerSecond + " bytes/s read");
        }
    }

    /** The limits of a provisioned Kinesis shard. */
    public static ShardLimits aws() {
        return new ShardLimits(1_000, 1024 * 1024, 5, 2 * 1024 * 1024);
    }
}
