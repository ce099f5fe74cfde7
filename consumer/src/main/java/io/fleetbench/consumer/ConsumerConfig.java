package io.fleetbench.consumer;

import software.amazon.kinesis.common.InitialPositionInStream;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the KCL consumer reads and how.
 *
 * @param streamName              the Kinesis stream; required
 * @param applicationName         the KCL application, also the lease table's name; required
 * @param workerId                this worker's id; a fixed one lets a restart take its leases back at once; required
 * @param kinesisEndpoint         a Kinesis endpoint to use instead of AWS's, or null for the AWS default; default null
 * @param dynamoEndpoint          a DynamoDB endpoint to use instead of AWS's, or null for the AWS default; default null
 * @param region                  the AWS region, or null for the SDK's default chain (with an endpoint override, us-east-1); default null
 * @param initialPosition         where a shard without a checkpoint starts; default {@link InitialPositionInStream#TRIM_HORIZON}
 * @param claimShardsAtStart      whether a new application's shard leases are created owned by this worker before the
 *                                scheduler starts, instead of waiting 15-30 s for the KCL to elect a leader and assign
 *                                them; only while no lease exists and only from {@code TRIM_HORIZON}; default true
 * @param shardSyncInterval       how often the leader lists shards; default 1 s (KCL: 60 s)
 * @param leaseAssignmentInterval how often leases are assigned and new ones discovered; default 1 s (KCL: 20 s)
 * @param failoverTime            how long a lease lives without renewal; default 10 s
 * @param workerMetricsReportInterval how often a worker reports its utilization to the lease assigner; a worker that
 *                                has not reported for two intervals counts as gone, and until then the assigner may still
 *                                give it expired leases, its own included; default 2 s (KCL: 30 s)
 * @param leaderHeartbeatInterval how often the leader, the one worker that assigns leases, renews its lock, and how long
 *                                the others wait before they check again whether the lock is free; default 2 s (KCL: 30 s,
 *                                which after the leader's shutdown left every lease where it was for up to that long)
 * @param leaseRecoveryInterval   how often the leader checks the lease table for shards without a lease (none at all, after
 *                                the table was lost, or holes) and creates the missing leases; the KCL's first check comes
 *                                60 s after the scheduler's start whatever this is; default 5 s (KCL: 2 min)
 * @param idleTimeBetweenReads    pause between GetRecords calls of a shard; default 200 ms (KCL: 1500 ms, seven times slower)
 * @param maxRecordsPerRead       records per GetRecords call; default 10000, the Kinesis limit
 * @param maxEventBytes           a record larger than this goes to the dead-letter table as {@code oversized} without
 *                                being decoded; in [1, {@value #LARGEST_MAX_EVENT_BYTES}]; default 1 MiB, a stream's
 *                                default record limit (a stream can be raised to 10 MiB)
 * @param shutdownTimeout         how long a graceful shutdown may take before the scheduler is stopped hard; default 60 s
 */
public record ConsumerConfig(
        String streamName,
        String applicationName,
        String workerId,
        URI kinesisEndpoint,
        URI dynamoEndpoint,
        String region,
        InitialPositionInStream initialPosition,
        boolean claimShardsAtStart,
        Duration shardSyncInterval,
        Duration leaseAssignmentInterval,
        Duration failoverTime,
        Duration workerMetricsReportInterval,
        Duration leaderHeartbeatInterval,
        Duration leaseRecoveryInterval,
        Duration idleTimeBetweenReads,
        int maxRecordsPerRead,
        int maxEventBytes,
        Duration shutdownTimeout) {

    /** The most records one GetRecords call returns. */
    public static final int MAX_RECORDS_PER_READ = 10_000;
    /** The default largest event: 1 MiB, a stream's default record limit. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    /** The largest {@link #maxEventBytes} allowed: 10 MiB, the largest record a stream can be configured to take. */
    public static final int LARGEST_MAX_EVENT_BYTES = 10 << 20;

    public ConsumerConfig {
        requireText(streamName, "streamName");
        requireText(applicationName, "applicationName");
        requireText(workerId, "workerId");
        Objects.requireNonNull(initialPosition, "initialPosition");
        if (initialPosition == InitialPositionInStream.AT_TIMESTAMP) {
            throw new IllegalArgumentException("initialPosition must be TRIM_HORIZON or LATEST, found AT_TIMESTAMP");
        }
        requirePositive(shardSyncInterval, "shardSyncInterval");
        requirePositive(leaseAssignmentInterval, "leaseAssignmentInterval");
        requirePositive(failoverTime, "failoverTime");
        requirePositive(workerMetricsReportInterval, "workerMetricsReportInterval");
        requirePositive(leaderHeartbeatInterval, "leaderHeartbeatInterval");
        requirePositive(leaseRecoveryInterval, "leaseRecoveryInterval");
        requirePositive(idleTimeBetweenReads, "idleTimeBetweenReads");
        requirePositive(shutdownTimeout, "shutdownTimeout");
        if (maxRecordsPerRead < 1 || maxRecordsPerRead > MAX_RECORDS_PER_READ) {
            throw new IllegalArgumentException("maxRecordsPerRead must be in [1, " + MAX_RECORDS_PER_READ
                    + "], found " + maxRecordsPerRead);
        }
        if (maxEventBytes < 1 || maxEventBytes > LARGEST_MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("maxEventBytes must be in [1, " + LARGEST_MAX_EVENT_BYTES
                    + "], found " + maxEventBytes);
        }
    }

    /** A consumer against local emulators (kinesalite or kinesis-local, and dynalite), with every other option at its default. */
    public static ConsumerConfig local(String streamName, String applicationName, URI kinesisEndpoint, URI dynamoEndpoint) {
        Objects.requireNonNull(kinesisEndpoint, "kinesisEndpoint");
        Objects.requireNonNull(dynamoEndpoint, "dynamoEndpoint");
        return defaults(streamName, applicationName, kinesisEndpoint, dynamoEndpoint);
    }

    /** A consumer against AWS with the SDK's default credentials and region, with every other option at its default. */
    public static ConsumerConfig aws(String streamName, String applicationName) {
        return defaults(streamName, applicationName, null, null);
    }

    private static ConsumerConfig defaults(String stream, String app, URI kinesis, URI dynamo) {
        return new ConsumerConfig(stream, app, "fleetbench-worker-1", kinesis, dynamo, null,
                InitialPositionInStream.TRIM_HORIZON, true,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(200), MAX_RECORDS_PER_READ, DEFAULT_MAX_EVENT_BYTES,
                Duration.ofSeconds(60));
    }

    /** A copy with another worker id. */
    public ConsumerConfig withWorkerId(String id) {
        return new ConsumerConfig(streamName, applicationName, id, kinesisEndpoint, dynamoEndpoint, region,
                initialPosition, claimShardsAtStart, shardSyncInterval, leaseAssignmentInterval, failoverTime,
                workerMetricsReportInterval, leaderHeartbeatInterval, leaseRecoveryInterval, idleTimeBetweenReads,
                maxRecordsPerRead, maxEventBytes, shutdownTimeout);
    }

    /** A copy that does or does not claim a new application's shards before the scheduler starts. */
    public ConsumerConfig withClaimShardsAtStart(boolean claim) {
        return new ConsumerConfig(streamName, applicationName, workerId, kinesisEndpoint, dynamoEndpoint, region,
                initialPosition, claim, shardSyncInterval, leaseAssignmentInterval, failoverTime,
                workerMetricsReportInterval, leaderHeartbeatInterval, leaseRecoveryInterval, idleTimeBetweenReads,
                maxRecordsPerRead, maxEventBytes, shutdownTimeout);
    }

    /** A copy with another largest event size, in bytes. */
    public ConsumerConfig withMaxEventBytes(int bytes) {
        return new ConsumerConfig(streamName, applicationName, workerId, kinesisEndpoint, dynamoEndpoint, region,
                initialPosition, claimShardsAtStart, shardSyncInterval, leaseAssignmentInterval, failoverTime,
                workerMetricsReportInterval, leaderHeartbeatInterval, leaseRecoveryInterval, idleTimeBetweenReads,
                maxRecordsPerRead, bytes, shutdownTimeout);
    }

    /** The Kinesis endpoint override, if any. */
    public Optional<URI> kinesisEndpointOverride() {
        return Optional.ofNullable(kinesisEndpoint);
    }

    /** The DynamoDB endpoint override, if any. */
    public Optional<URI> dynamoEndpointOverride() {
        return Optional.ofNullable(dynamoEndpoint);
    }

    /** The name of the KCL lease table: the application name, as the KCL names it. */
    public String leaseTableName() {
        return applicationName;
    }

    private static void requireText(String s, String name) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, found " + (s == null ? "null" : "\"" + s + "\""));
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, found " + d);
        }
    }
}
