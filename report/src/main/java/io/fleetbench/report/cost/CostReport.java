package io.fleetbench.report.cost;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fleetbench.telemetry.ShardSizing;

import java.util.List;

/**
 * What the load of a run would cost on AWS, as {@link CostModel} works it out: the measured inputs
 * (kept so that {@code fleetbench cost} can work it out again, e.g. with other prices or another
 * rate), the assumptions, the prices, and per day at {@code eventsPerDay} and per billion events:
 * Kinesis shards and PUT payload units with and without aggregation, the KCL's lease-table
 * operations on DynamoDB, and the lake's storage. Dollars are absent without prices.
 *
 * @param inputs             what the run measured
 * @param assumptions        the constants and intervals the formulas use
 * @param prices             the prices used, or null when none were given
 * @param eventsPerDay       the rate the figures are for: the run's sustained rate, or the one asked for
 * @param eventsPerSecond    the same per second
 * @param withoutAggregation every event its own Kinesis record
 * @param withAggregation    events packed into KPL-compatible aggregates
 * @param lake               the lake's storage, or null when the run wrote no lake
 * @param notes              which figures are estimates rather than measured, and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CostReport(Inputs inputs, Assumptions assumptions, Prices prices, double eventsPerDay,
                         double eventsPerSecond, Option withoutAggregation, Option withAggregation, Lake lake,
                         List<String> notes) {

    public CostReport {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /**
     * What the run measured. Events, bytes and records count first put attempts, as the producer's
     * shard load does; checkpoints, commits and the lake are null when the run had no pipeline.
     *
     * @param sustainedEventsPerSecond      the producer's sustained rate
     * @param events                        user records (events) put to Kinesis
     * @param eventBytes                    their data and partition keys
     * @param aggregation                   whether the producer aggregated
     * @param kinesisRecords                Kinesis records put (aggregates when aggregating)
     * @param kinesisBytes                  their data and partition keys
     * @param putPayloadUnits               PUT payload units of those records, each rounded up to 25 KB
     * @param streamShards                  the shards of the run's stream (KCL leases during the run)
     * @param activeSeconds                 seconds the consumer worked: the send phase and the drain
     * @param sinkCommits                   Delta commits of the lake sink
     * @param checkpoints                   KCL checkpoints written
     * @param lakeBytes                     bytes of the lake's data files after the compactor's last pass
     * @param lakeRows                      rows in the lake's event tables
     * @param failoverTimeMillis            the consumer's KCL failover time
     * @param leaseAssignmentIntervalMillis the consumer's KCL lease assignment interval
     * @param shardPeaks                    each shard's busiest second at the sustained rate, in hash-key
     *                                      order; null in reports of builds that sized for the average
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Inputs(double sustainedEventsPerSecond, long events, long eventBytes, boolean aggregation,
                         long kinesisRecords, long kinesisBytes, long putPayloadUnits, int streamShards,
                         Double activeSeconds, Long sinkCommits, Long checkpoints, Long lakeBytes, Long lakeRows,
                         long failoverTimeMillis, long leaseAssignmentIntervalMillis,
                         List<ShardSizing.Peak> shardPeaks) {

        public Inputs {
            shardPeaks = shardPeaks == null ? null : List.copyOf(shardPeaks);
        }
    }

    /** What the shards are sized for. */
    public enum ShardBasis {
        /** Each shard's busiest second in the run, scaled by the rate over the run's sustained rate. */
        BUSIEST_SECOND,
        /** The average rate, spread evenly: for reports that lack the per-shard peaks. */
        AVERAGE_RATE
    }

    /**
     * The constants of the formulas.
     *
     * @param headroom                the share of a shard's write limits the load may use
     * @param shardBasis              the load the shards are sized for
     * @param shardRecordsPerSecond   a shard's write limit in records per second
     * @param shardBytesPerSecond     a shard's write limit in bytes per second
     * @param putPayloadUnitBytes     the size of one PUT payload unit
     * @param leaseItemBytes          the size assumed for one lease item in DynamoDB
     * @param workers                 consumer workers, each renewing its leases and discovering new ones
     * @param renewalIntervalMillis   how often a worker renews each lease it holds
     * @param scanIntervalMillis      how often the KCL's leader scans the whole lease table to assign leases
     * @param discoveryIntervalMillis how often a worker queries the lease table for the leases assigned to it
     * @param retentionDays           the days of data the lake is assumed to keep for its storage figure
     */
    public record Assumptions(double headroom, ShardBasis shardBasis, long shardRecordsPerSecond,
                              long shardBytesPerSecond, long putPayloadUnitBytes, long leaseItemBytes, int workers,
                              long renewalIntervalMillis, long scanIntervalMillis, long discoveryIntervalMillis,
                              int retentionDays) {
    }

    /**
     * The stream with or without aggregation.
     *
     * @param measured         whether the run measured this option (it ran with that producer setting);
     *                         else its per-event figures are estimated from the event bytes
     * @param recordsPerEvent  Kinesis records per event
     * @param bytesPerEvent    Kinesis bytes per event
     * @param unitsPerEvent    PUT payload units per event
     * @param recordsPerSecond Kinesis records per second at the rate, on average
     * @param bytesPerSecond   Kinesis bytes per second at the rate, on average
     * @param shards           shards the load needs, sized for {@link Assumptions#shardBasis()} with the
     *                         headroom; also the KCL leases
     * @param perDay           the amounts of a day at the rate
     * @param perBillionEvents the amounts of a billion events at the rate
     */
    public record Option(boolean measured, double recordsPerEvent, double bytesPerEvent, double unitsPerEvent,
                         double recordsPerSecond, double bytesPerSecond, int shards, Amounts perDay,
                         Amounts perBillionEvents) {
    }

    /**
     * Billable amounts over a day or a billion events.
     *
     * @param shardHours        Kinesis shard-hours
     * @param putPayloadUnits   Kinesis PUT payload units
     * @param leaseRenewals     lease renewals (one conditional write each)
     * @param leaseScans        scans of the whole lease table by the leader
     * @param leaseDiscoveries  queries by each worker for the leases assigned to it
     * @param checkpoints       KCL checkpoints (one write each); null when the run measured none
     * @param readRequestUnits  DynamoDB read request units of the scans and queries
     * @param writeRequestUnits DynamoDB write request units of the renewals and checkpoints
     * @param dollars           the price of it all; null without prices
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Amounts(double shardHours, double putPayloadUnits, double leaseRenewals, double leaseScans,
                          double leaseDiscoveries, Double checkpoints, double readRequestUnits,
                          double writeRequestUnits, Dollars dollars) {
    }

    /**
     * Dollars at the prices used.
     *
     * @param kinesisShardHours      the shard-hours
     * @param kinesisPutPayloadUnits the PUT payload units
     * @param dynamoDbReads          the read request units
     * @param dynamoDbWrites         the write request units
     * @param s3Storage              the lake's storage: per day, a day's share of the monthly bill once
     *                               {@code retentionDays} of data are kept; per billion events, a month of
     *                               keeping them; null without a lake
     * @param total                  the sum
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dollars(double kinesisShardHours, double kinesisPutPayloadUnits, double dynamoDbReads,
                          double dynamoDbWrites, Double s3Storage, double total) {
    }

    /**
     * The lake's storage in S3 Standard, in GB of 2^30 bytes.
     *
     * @param bytesPerEvent                 bytes of data files per event after compaction
     * @param gbPerDay                      GB added per day at the rate
     * @param gbPerBillionEvents            GB per billion events
     * @param gbMonthAfter30Days            GB held after {@code retentionDays} days, billed as that many
     *                                      GB-months every month from then on
     * @param dollarsPerMonthAfter30Days    the price of those GB-months; null without prices
     * @param dollarsPerBillionEventsMonth  the price of keeping a billion events for a month; null without prices
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lake(double bytesPerEvent, double gbPerDay, double gbPerBillionEvents, double gbMonthAfter30Days,
                       Double dollarsPerMonthAfter30Days, Double dollarsPerBillionEventsMonth) {
    }
}
