package io.fleetbench.simulator.http;

import io.fleetbench.simulator.http.HttpTargetConfig.Batching;
import io.fleetbench.simulator.http.HttpTargetConfig.BodyFormat;
import io.fleetbench.simulator.http.HttpTestBed.Ev;
import io.fleetbench.simulator.http.HttpTestBed.Received;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.fleetbench.simulator.http.HttpTestBed.ACKED;
import static io.fleetbench.simulator.http.HttpTestBed.Reply.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** How {@link HttpSender} batches each device's events into requests, and the bodies of its formats. */
class HttpSenderBatchingTest {
    private final HttpTestBed bed = new HttpTestBed().start();

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void carsGoInBatchesOfTheirSizeAtOnceBikesOneARequestAndDrainSendsTheRest() {
        HttpSender sender = bed.open(bed.config().withBatching(new Batching(3, Duration.ofHours(1)), Batching.ONE));
        Ev[] cars = Ev.cars(1, 7);
        Ev bike1 = Ev.bike(2, 1);
        Ev bike2 = Ev.bike(2, 2);

        bed.send(cars);
        bed.send(bike1, bike2);
        HttpTestBed.await("two full car batches and two bike events acknowledged",
                () -> sender.counters().acknowledged() == 8);

        assertEquals(Set.of(Ev.array(cars[0], cars[1], cars[2]), Ev.array(cars[3], cars[4], cars[5]),
                Ev.array(bike1), Ev.array(bike2)), bodies(bed.received()));
        assertEquals(1, sender.counters().inFlight(), "the seventh car event waits in its batch");
        bed.drain();
        List<Received> received = bed.received();
        assertEquals(5, received.size());
        assertEquals(Ev.array(cars[6]), received.get(4).body());
        Ev[] all = {cars[0], cars[1], cars[2], cars[3], cars[4], cars[5], cars[6], bike1, bike2};
        bed.assertAcknowledgedOnce("202", 5, all);
    }

    @Test
    void aBatchGoesOnceItsOldestEventHasWaitedTheInterval() {
        AtomicLong clock = new AtomicLong();
        HttpSender sender = bed.open(bed.config().withBatching(new Batching(10, Duration.ofMillis(200)),
                Batching.ONE), clock::get);
        Ev[] cars = Ev.cars(1, 2);

        bed.sendIntended(0, cars);
        clock.set(TimeUnit.MILLISECONDS.toNanos(199));
        bed.run(sender::flushIfLingered);
        assertEquals(0, sender.counters().inFlightRequests(), "the batch waits its interval");
        clock.set(TimeUnit.MILLISECONDS.toNanos(200));
        bed.run(sender::flushIfLingered);
        HttpTestBed.await("the lingered batch acknowledged", () -> sender.counters().acknowledged() == 2);

        assertEquals(List.of(Ev.array(cars)), bed.received().stream().map(Received::body).toList());
        Histogram latency = sender.intervalLatency();
        assertEquals(2, latency.getCountAtValue(TimeUnit.MILLISECONDS.toMicros(200)),
                "latency from the intended send time on the sender's clock");
        bed.assertAcknowledgedOnce("202", 1, cars);
    }

    @Test
    void formatEventSendsEachEventAsItsOwnBody() {
        Ev car = Ev.car(1, 1);
        Ev bike = Ev.bike(1, 1);

        bed.sendAndDrain(bed.config().withFormat(BodyFormat.EVENT, Optional.empty()), new Ev[] {car, bike});

        assertEquals(Set.of(car.json(), bike.json()), bodies(bed.received()));
        bed.assertAcknowledgedOnce("202", 2, car, bike);
    }

    @Test
    void formatKinesisRetriesOnlyTheRecordsThatFailedInA200() {
        Ev[] cars = Ev.cars(3, 2);

        bed.sendAndDrain(HttpTestBed.inPairs(bed.config().withFormat(BodyFormat.KINESIS, Optional.of("telemetry"))),
                cars,
                json(200, "{\"FailedRecordCount\":1,\"Records\":[{\"SequenceNumber\":\"1\",\"ShardId\":\"s\"},"
                        + "{\"ErrorCode\":\"ProvisionedThroughputExceededException\",\"ErrorMessage\":\"x\"}]}"),
                json(200, "{\"FailedRecordCount\":0,\"Records\":[{\"SequenceNumber\":\"2\",\"ShardId\":\"s\"}]}"));

        List<Received> received = bed.received();
        assertEquals(2, received.size());
        Received first = received.get(0);
        assertEquals("telemetry", first.streamName());
        assertEquals(List.of(cars[0].json(), cars[1].json()), first.recordData());
        assertEquals(List.of("car-000003", "car-000003"), first.partitionKeys());
        Received retry = received.get(1);
        assertEquals(List.of(cars[1].json()), retry.recordData(), "the retry carries only the failed record");
        assertEquals(List.of("car-000003"), retry.partitionKeys());
        assertEquals(Map.of(cars[0].key(), 1, cars[1].key(), 2), bed.arrivals());
        bed.assertOutcomes(ACKED, cars);
        bed.assertCounters(2, 2, 0, 0, 1, Map.of());
        bed.assertRequests(Map.of("200", 2L));
    }

    private static Set<String> bodies(List<Received> received) {
        return received.stream().map(Received::body).collect(Collectors.toSet());
    }
}
