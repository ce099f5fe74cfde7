package io.fleetbench.runner;

import io.fleetbench.ingest.IngestConfig;
import io.fleetbench.ingest.IngestFaults;
import io.fleetbench.ingest.IngestServer;
import io.fleetbench.ingest.IngestStats;
import io.fleetbench.ingest.RejectReason;
import io.fleetbench.report.RunReport;
import io.fleetbench.simulator.ProducerConfig;
import io.fleetbench.telemetry.ShardLoadReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The run's own ingestion endpoint ({@code fleetbench ingest}) in front of the local stream, for a profile with
 * {@code target: http} and no {@code http.url}: the fleet's requests go through it into the stream, with the profile's
 * {@code producer} section as its producer's settings, so the pipeline under test starts at the HTTP request.
 */
final class FrontDoor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final IngestServer server;
    private IngestStats last;

    private FrontDoor(IngestServer server) {
        this.server = server;
    }

    /**
     * Starts the endpoint on loopback, on any free port, in front of {@code producer}'s stream, with a buffer of
     * {@code maxBufferedEvents} undecided events, putting on {@code faults}.
     *
     * @throws IllegalStateException naming the stream if it cannot start
     */
    static FrontDoor start(Vertx vertx, KinesisAsyncClient kinesis, ProducerConfig producer, int maxBufferedEvents,
                           IngestFaults faults, MeterRegistry registry) throws Exception {
        IngestConfig config = IngestConfig.defaults(producer.streamName()).withProducer(producer)
                .withMaxBufferedEvents(maxBufferedEvents).withFaults(faults);
        return new FrontDoor(IngestServer.start(vertx, kinesis, config, registry).toCompletionStage()
                .toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    /** Where the fleet's requests go. */
    URI url() {
        return URI.create(server.url());
    }

    /** The write load per shard its producer put. */
    ShardLoadReport shardLoad() {
        return server.shardLoad();
    }

    /** Per shard, the last record its producer had acknowledged: how far the pipeline must read. */
    Map<String, String> lastAcknowledged() {
        return server.lastAcknowledged();
    }

    /**
     * Stops taking requests, puts and answers what it accepted, and keeps its final figures. Call once the fleet has
     * drained: every request it sent is answered by then.
     */
    void stop(Duration timeout) throws Exception {
        try {
            last = server.stop().toCompletionStage().toCompletableFuture().get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Its producer may still be deciding events whose requests the fleet gave up on: the run goes on with
            // the figures so far rather than fail after its load.
            last = server.stats();
            LOG.warn("The ingestion endpoint did not finish its puts within {}; its figures are those so far", timeout);
        }
    }

    /**
     * How long a stop may take once the fleet has drained: an accepted event may still be put and retried for its
     * time to live, each call taking up to its timeout.
     */
    static Duration stopTimeout(ProducerConfig producer) {
        return producer.recordTtl().plus(producer.apiCallTimeout()).plusSeconds(30);
    }

    /** The report's figures of the endpoint: its final ones once stopped, else those so far. */
    RunReport.Ingest figures() {
        IngestStats s = last != null ? last : server.stats();
        Map<String, Long> byStatus = new TreeMap<>();
        s.requestsByStatus().forEach((status, n) -> byStatus.put(status == 0 ? "none" : Integer.toString(status), n));
        Map<String, Long> byReason = new TreeMap<>();
        s.rejectedByReason().forEach((reason, n) -> byReason.put(reason.label(), n));
        return new RunReport.Ingest(byStatus, byReason, s.rejectedByReason().getOrDefault(RejectReason.BACKPRESSURE, 0L));
    }

    @Override
    public void close() throws Exception {
        if (last == null) {
            stop(Duration.ofSeconds(30));
        }
    }
}
