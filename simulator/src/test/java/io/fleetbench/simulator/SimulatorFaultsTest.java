package io.fleetbench.simulator;

import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.InvalidEventException.Reason;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short fleet-driven run with every data fault through the simulator into a Kinesis double. */
class SimulatorFaultsTest {

    @Test
    void everyFaultReachesTheStreamAsCounted() throws Exception {
        FleetConfig fleet = FleetConfig.defaults().withDevices(300, 200)
                .withStartEpochMillis(FleetTest.START + 8 * 3_600_000L)
                .withClasses(new BikeClasses(Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(2), 0.5))
                .withFleetDriven(new FleetDriven(600))
                .withFaults(FaultConfig.none().withDuplicates(0.05).withMalformed(0.05)
                        .withClockDrift(0.1, Duration.ofMinutes(1)).withSchemaChange(Duration.ofMillis(500), 2));
        FakeKinesis kinesis = new FakeKinesis();
        Vertx vertx = Vertx.vertx();
        SimulatorResult result;
        try {
            Simulator simulator = new Simulator(vertx, kinesis,
                    SimulatorConfig.defaults("faults").withFleet(fleet).withDuration(Duration.ofSeconds(1)),
                    new SimpleMeterRegistry());
            result = simulator.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        SimulatorStats s = result.stats();
        FaultCounts f = s.faults();
        // Fleet-driven at 600 times the wall clock for one second: about 10,000 events on an idle machine, a
        // quarter of that on a loaded one; the fault rates are high enough that each fault occurs either way.
        assertTrue(s.generated() > 1_000, "generated " + s.generated());
        assertEquals(s.generated() + f.duplicates() - f.offlineDropped() - f.offlinePending(), s.sent(), s.toString());
        assertEquals(s.sent(), s.acknowledged());

        JsonCodec codec = new JsonCodec();
        long records = 0;
        long malformed = 0;
        long changed = 0;
        Map<String, Integer> ids = new HashMap<>();
        for (PutRecordsRequest request : kinesis.requests) {
            for (PutRecordsRequestEntry entry : request.records()) {
                records++;
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
        }
        long duplicates = ids.values().stream().mapToLong(n -> n - 1).sum();
        assertEquals(s.acknowledged(), records);
        assertEquals(f.malformed(), malformed);
        assertEquals(f.schemaChanged(), changed);
        assertEquals(f.duplicates(), duplicates);
        assertEquals(s.acknowledged() - f.malformed() - f.duplicates(), ids.size(),
                "distinct valid event ids = acknowledged - malformed - duplicates (version 2 decodes)");
        assertTrue(f.malformed() > 0 && f.schemaChanged() > 0 && f.duplicates() > 0 && f.clockDrift() > 0, f.toString());
    }

    @Test
    void underAFixedRateOfflineDevicesHoldEventsBackAndEveryEventIsAccountedFor() throws Exception {
        FleetConfig fleet = FleetConfig.defaults().withDevices(200, 200).withStartEpochMillis(FleetTest.START)
                .withFaults(FaultConfig.none().withOffline(0.2, Duration.ofMillis(200)).withDuplicates(0.01));
        FakeKinesis kinesis = new FakeKinesis();
        Vertx vertx = Vertx.vertx();
        SimulatorResult result;
        try {
            Simulator simulator = new Simulator(vertx, kinesis, SimulatorConfig.defaults("offline").withFleet(fleet)
                    .withTargetEventsPerSecond(20_000).withDuration(Duration.ofSeconds(1)), new SimpleMeterRegistry());
            result = simulator.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        SimulatorStats s = result.stats();
        FaultCounts f = s.faults();
        assertTrue(f.offlineDelayed() > 0 && f.duplicates() > 0, f.toString());
        assertEquals(s.generated() + f.duplicates() - f.offlineDropped() - f.offlinePending(), s.sent(), s.toString());
        assertEquals(s.sent(), s.acknowledged() + s.failed());
        long records = kinesis.requests.stream().mapToLong(r -> r.records().size()).sum();
        assertEquals(s.acknowledged(), records);
    }
}
