package io.fleetbench.simulator;

import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.InvalidEventException.Reason;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short runs with the data faults through the simulator into a Kinesis double, on a clock that moves by exactly
 * one tick each time the generator loop runs: what a run generates, sends and counts does not depend on how
 * busy the machine is.
 */
class SimulatorFaultsTest {
    private static final long SECOND = 1_000_000_000L;

    private record Run(SimulatorResult result, List<PutRecordsRequestEntry> records) {
    }

    /** Runs the config to its end on a {@link TickClock}, into a Kinesis double that accepts every record. */
    private static Run run(SimulatorConfig config) throws Exception {
        FakeKinesis kinesis = new FakeKinesis();
        Vertx vertx = Vertx.vertx();
        try {
            Simulator simulator = new Simulator(vertx, kinesis, config, config.loadShape(), new SimpleMeterRegistry(),
                    new TickClock(config.fleet().startEpochMillis()));
            SimulatorResult result = simulator.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new Run(result, kinesis.requests.stream().flatMap(r -> r.records().stream()).toList());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyFaultReachesTheStreamAsCounted() throws Exception {
        FleetConfig fleet = FleetConfig.defaults().withDevices(300, 200)
                .withStartEpochMillis(FleetTest.START + 8 * 3_600_000L)
                .withClasses(new BikeClasses(Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(2), 0.5))
                .withFleetDriven(new FleetDriven(600))
                .withFaults(FaultConfig.none().withDuplicates(0.05).withMalformed(0.05)
                        .withClockDrift(0.1, Duration.ofMinutes(1)).withSchemaChange(Duration.ofMillis(500), 2));
        SimulatorConfig config = SimulatorConfig.defaults("faults").withFleet(fleet).withDuration(Duration.ofSeconds(1));
        Run run = run(config);
        SimulatorResult result = run.result();
        SimulatorStats s = result.stats();
        FaultCounts f = s.faults();
        // Every event the fleet has due in the first 600 s of device time (one second at 600 times), none late.
        assertEquals(dueInFirstSecond(fleet), s.generated(), s.toString());
        assertEquals(0, s.shortfall());
        assertEquals(Duration.ofSeconds(1), result.generationTime());
        assertEquals(s.generated() + f.duplicates() - f.offlineDropped() - f.offlinePending(), s.sent(), s.toString());
        assertEquals(s.sent(), s.acknowledged());
        // A record waits at most the linger (20 ms) in a batch after the tick (5 ms) that sent it; HdrHistogram's
        // 3 significant digits make that up to 16 µs more.
        assertTrue(s.putLatency().maxMillis() <= 25.016, s.putLatency().toString());

        Run again = run(config);
        assertEquals(f, again.result().stats().faults());
        assertEquals(run.records(), again.records(), "the same run sends the same records in the same order");

        JsonCodec codec = new JsonCodec();
        long malformed = 0;
        long changed = 0;
        Map<String, Integer> ids = new HashMap<>();
        for (PutRecordsRequestEntry entry : run.records()) {
            try {
                TelemetryEvent e = codec.decode(entry.data().asByteArray());
                assertEquals(e.deviceId(), entry.partitionKey());
                ids.merge(e.eventId(), 1, Integer::sum);
                if (e.schemaVersion() == 2) {
                    assertEquals("v2.0.0", e.firmwareVersion());
                    changed++;
                }
            } catch (InvalidEventException e) {
                assertEquals(Reason.MALFORMED_JSON, e.reason(), e.getMessage());
                malformed++;
            }
        }
        long duplicates = ids.values().stream().mapToLong(n -> n - 1).sum();
        assertEquals(s.acknowledged(), run.records().size());
        assertEquals(f.malformed(), malformed);
        assertEquals(f.schemaChanged(), changed);
        assertEquals(f.duplicates(), duplicates);
        assertEquals(s.acknowledged() - f.malformed() - f.duplicates(), ids.size(),
                "distinct valid event ids = acknowledged - malformed - duplicates (version 2 decodes)");
        assertTrue(f.malformed() > 0 && f.schemaChanged() > 0 && f.duplicates() > 0 && f.clockDrift() > 0, f.toString());
    }

    /** The events a fleet-driven fleet has due in its first second, counted by its source alone. */
    private static long dueInFirstSecond(FleetConfig fleet) {
        AtomicLong clock = new AtomicLong(0);
        FleetDrivenSource source = new FleetDrivenSource(new Fleet(fleet), fleet.fleetDriven().orElseThrow(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock::get);
        clock.set(SECOND);
        long due = 0;
        while (source.poll(0) != null) {
            due++;
        }
        assertEquals(0, source.shortfall());
        return due;
    }

    @Test
    void underAFixedRateOfflineDevicesHoldEventsBackAndEveryEventIsAccountedFor() throws Exception {
        FleetConfig fleet = FleetConfig.defaults().withDevices(200, 200).withStartEpochMillis(FleetTest.START)
                .withFaults(FaultConfig.none().withOffline(0.2, Duration.ofMillis(200)).withDuplicates(0.01));
        Run run = run(SimulatorConfig.defaults("offline").withFleet(fleet)
                .withTargetEventsPerSecond(20_000).withDuration(Duration.ofSeconds(1)));
        SimulatorStats s = run.result().stats();
        FaultCounts f = s.faults();
        assertEquals(20_000, s.generated(), "every event of one second at 20,000 a second, none late");
        assertEquals(0, s.shortfall());
        assertEquals(Duration.ofSeconds(1), run.result().generationTime());
        assertTrue(f.offlineDelayed() > 0 && f.duplicates() > 0, f.toString());
        assertEquals(s.generated() + f.duplicates() - f.offlineDropped() - f.offlinePending(), s.sent(), s.toString());
        assertEquals(0, s.failed());
        assertEquals(s.sent(), s.acknowledged());
        assertEquals(s.acknowledged(), run.records().size());
    }
}
