package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import io.fleetbench.telemetry.manifest.Outcome;
import io.fleetbench.telemetry.manifest.SeqRuns;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The acknowledgement manifest of a simulator run: written while the run goes (incomplete), and once more after
 * the drain (complete), with every event the stream acknowledged and every data fault's mark.
 */
class SimulatorManifestTest {

    private record Held(PutRecordsRequest request, CompletableFuture<PutRecordsResponse> answer) {
    }

    @Test
    void theManifestIsWrittenWhileTheRunGoesAndCompleteAfterTheDrain(@TempDir Path dir) throws Exception {
        FleetConfig fleet = FleetConfig.defaults().withDevices(200, 100).withStartEpochMillis(FleetTest.START)
                .withFaults(FaultConfig.none().withDuplicates(0.05).withMalformed(0.05));
        Path file = dir.resolve(AckManifest.FILE_NAME);
        SimulatorConfig config = SimulatorConfig.defaults("manifest").withFleet(fleet).withTargetEventsPerSecond(5_000)
                .withDuration(Duration.ofSeconds(1)).withManifest(file, Duration.ofMillis(20));
        // The first requests are answered at once; the later ones wait until the test lets them go, so that the
        // run cannot drain before the test has seen a manifest written while it goes.
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean release = new AtomicBoolean();
        ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
        FakeKinesis kinesis = new FakeKinesis().answering(r -> {
            if (calls.getAndIncrement() < 3 || release.get()) {
                return FakeKinesis.success(r);
            }
            CompletableFuture<PutRecordsResponse> f = new CompletableFuture<>();
            held.add(new Held(r, f));
            return f;
        });
        Vertx vertx = Vertx.vertx();
        SimulatorResult result;
        try {
            Simulator simulator = new Simulator(vertx, kinesis, config, config.loadShape(), new SimpleMeterRegistry(),
                    new TickClock(fleet.startEpochMillis()));
            CompletableFuture<SimulatorResult> running = simulator.start().toCompletionStage().toCompletableFuture();

            awaitCondition(dir, "a manifest with events acknowledged and events in flight",
                    () -> count(file, "acknowledged") > 0 && count(file, "in_flight") > 0);
            ManifestHeader mid = AckManifest.readHeader(file);
            assertFalse(mid.complete(), mid.toString());
            assertFalse(running.isDone(), "requests are held, so the run has not drained");

            release.set(true);
            result = null;
            while (result == null) {
                Held h;
                while ((h = held.poll()) != null) {
                    h.answer().complete(FakeKinesis.response(h.request().records().size(), i -> null));
                }
                try {
                    result = running.get(10, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // Still draining: answer what was held meanwhile.
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        SimulatorStats s = result.stats();
        ManifestHeader header = AckManifest.readHeader(file);
        assertTrue(header.complete(), header.toString());
        assertEquals(0L, header.counts().get("in_flight"));
        assertEquals(s.acknowledged(), header.counts().get("acknowledged"));
        assertEquals(s.faults().duplicates(), header.counts().get("duplicate_sent"));
        assertEquals(s.faults().malformed(), header.counts().get("malformed_sent"));
        assertEquals(fleet.seed(), header.seed());
        assertEquals(200, header.cars());
        assertEquals(100, header.bikes());
        assertEquals("manifest", header.stream());
        ManifestWrites writes = result.manifest().orElseThrow();
        assertTrue(writes.complete() && writes.writes() >= 2 && writes.problem() == null, writes.toString());
        assertEquals(Files.size(file), writes.bytes());

        // Every record the stream holds is acknowledged in the manifest, under its own device and sequence number.
        Map<String, Map<Outcome, SeqRuns>> manifest = AckManifest.load(file);
        EventIds ids = new EventIds(fleet.seed());
        JsonCodec codec = new JsonCodec();
        Set<Long> keys = new HashSet<>();
        long malformed = 0;
        for (PutRecordsRequest r : kinesis.requests) {
            for (PutRecordsRequestEntry e : r.records()) {
                try {
                    TelemetryEvent event = codec.decode(e.data().asByteArray());
                    long key = ids.decode(event.eventId());
                    keys.add(key);
                    String device = EventIds.deviceId(EventIds.isCar(key), EventIds.device(key));
                    assertEquals(e.partitionKey(), device);
                    assertTrue(manifest.get(device).get(Outcome.ACKNOWLEDGED).contains(EventIds.seq(key)),
                            device + " " + EventIds.seq(key));
                } catch (InvalidEventException ex) {
                    malformed++;
                }
            }
        }
        long acknowledgedInManifest = 0;
        long duplicatesInManifest = 0;
        long malformedInManifest = 0;
        for (Map<Outcome, SeqRuns> outcomes : manifest.values()) {
            acknowledgedInManifest += count(outcomes, Outcome.ACKNOWLEDGED);
            duplicatesInManifest += count(outcomes, Outcome.DUPLICATE_SENT);
            malformedInManifest += count(outcomes, Outcome.MALFORMED_SENT);
            assertEquals(0, count(outcomes, Outcome.FAILED) + count(outcomes, Outcome.AMBIGUOUS));
        }
        assertTrue(malformed > 0 && s.faults().duplicates() > 0, s.faults().toString());
        assertEquals(s.faults().malformed(), malformed);
        assertEquals(malformed, malformedInManifest);
        assertEquals(s.faults().duplicates(), duplicatesInManifest);
        assertEquals(keys.size() + malformed, acknowledgedInManifest, "each event once, a duplicate's copy under its id");
        assertEquals(s.acknowledged() - s.faults().duplicates(), acknowledgedInManifest);
    }

    @Test
    void aManifestThatCannotBeWrittenLeavesTheRunGoing(@TempDir Path dir) throws Exception {
        FleetConfig fleet = FleetConfig.defaults().withDevices(20, 10).withStartEpochMillis(FleetTest.START);
        Path file = dir.resolve("missing-folder").resolve(AckManifest.FILE_NAME);
        SimulatorConfig config = SimulatorConfig.defaults("manifest").withFleet(fleet).withTargetEventsPerSecond(1_000)
                .withDuration(Duration.ofMillis(200)).withManifest(file, Duration.ofMillis(20));
        Vertx vertx = Vertx.vertx();
        try {
            SimulatorResult result = new Simulator(vertx, new FakeKinesis(), config, config.loadShape(),
                    new SimpleMeterRegistry(), new TickClock(fleet.startEpochMillis())).start().toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(200, result.stats().acknowledged());
            ManifestWrites writes = result.manifest().orElseThrow();
            assertFalse(writes.complete());
            assertEquals(0, writes.writes());
            assertTrue(writes.problem().contains("missing-folder"), writes.problem());
            assertFalse(Files.exists(file));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static long count(Map<Outcome, SeqRuns> outcomes, Outcome o) {
        SeqRuns runs = outcomes.get(o);
        return runs == null ? 0 : runs.count();
    }

    /** A count of the manifest's header, or 0 while there is no manifest. */
    private static long count(Path file, String key) {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return AckManifest.readHeader(file).counts().getOrDefault(key, 0L);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Waits until a condition on the manifest holds, for at most 30 s: checks it again whenever a file of the
     * manifest's folder is created or replaced (each write renames a new file over the manifest).
     */
    private static void awaitCondition(Path dir, String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    if (condition.getAsBoolean()) {
                        return;
                    }
                    fail("timed out after 30 s waiting for " + what);
                }
                key.pollEvents();
                key.reset();
            }
        }
    }
}
