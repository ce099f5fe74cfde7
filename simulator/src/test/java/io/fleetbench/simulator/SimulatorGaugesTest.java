package io.fleetbench.simulator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator's gauges outlive it: Prometheus scrapes a run's meters after the load has ended (while the
 * pipeline drains), and a gauge whose object was collected would read NaN there.
 */
class SimulatorGaugesTest {

    @Test
    void gaugesReadZeroNotNaNOnceTheSimulatorIsFinishedAndCollected() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        Vertx vertx = Vertx.vertx();
        try {
            SimulatorResult result = runToTheEnd(vertx, registry);
            assertEquals(200, result.stats().acknowledged());
            // Nothing refers to the simulator or its producer any more: give the collector the chance to
            // clear what the gauges hold weakly.
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            assertEquals(0.0, registry.get(SimulatorMeters.TARGET_RATE).gauge().value(), "target rate");
            assertEquals(0.0, registry.get(SimulatorMeters.EVENTS_IN_FLIGHT).gauge().value(), "events in flight");
            assertEquals(0.0, registry.get(SimulatorMeters.REQUESTS_IN_FLIGHT).gauge().value(), "requests in flight");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theTargetRateGaugeFollowsTheShapeWhileTheLoadRuns() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        Vertx vertx = Vertx.vertx();
        try {
            FleetConfig fleet = FleetConfig.defaults().withDevices(20, 10).withStartEpochMillis(FleetTest.START);
            SimulatorConfig config = SimulatorConfig.defaults("gauges").withFleet(fleet)
                    .withTargetEventsPerSecond(1_000).withDuration(Duration.ofSeconds(30));
            Simulator simulator = new Simulator(vertx, new FakeKinesis(), config, config.loadShape(), registry,
                    new TickClock(fleet.startEpochMillis()));
            assertEquals(0.0, registry.get(SimulatorMeters.TARGET_RATE).gauge().value(), "before the start");
            var done = simulator.start();
            assertEquals(1_000.0, registry.get(SimulatorMeters.TARGET_RATE).gauge().value(), "while it runs");
            simulator.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(0.0, registry.get(SimulatorMeters.TARGET_RATE).gauge().value(), "after the end");
            assertEquals(true, done.succeeded());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static SimulatorResult runToTheEnd(Vertx vertx, MeterRegistry registry) throws Exception {
        FleetConfig fleet = FleetConfig.defaults().withDevices(20, 10).withStartEpochMillis(FleetTest.START);
        SimulatorConfig config = SimulatorConfig.defaults("gauges").withFleet(fleet).withTargetEventsPerSecond(1_000)
                .withDuration(Duration.ofMillis(200));
        return new Simulator(vertx, new FakeKinesis(), config, config.loadShape(), registry,
                new TickClock(fleet.startEpochMillis())).start().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }
}
