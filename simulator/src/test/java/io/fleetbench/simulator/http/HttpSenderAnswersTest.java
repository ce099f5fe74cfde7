package io.fleetbench.simulator.http;

import io.fleetbench.simulator.FailureReason;
import io.fleetbench.simulator.http.HttpTestBed.Ev;
import io.fleetbench.simulator.http.HttpTestBed.Received;
import io.fleetbench.simulator.http.HttpTestBed.Reply;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.fleetbench.simulator.http.HttpTestBed.ACKED;
import static io.fleetbench.simulator.http.HttpTestBed.FAILED;
import static io.fleetbench.simulator.http.HttpTestBed.Reply.after;
import static io.fleetbench.simulator.http.HttpTestBed.Reply.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link HttpSender} makes of each kind of answer: the table of its class javadoc, status by status. */
class HttpSenderAnswersTest {
    /** An HTTP date as Retry-After carries it (IMF-fixdate). */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final HttpTestBed bed = new HttpTestBed().start();
    private final Ev[] cars = Ev.cars(1, 2);

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void aSlowAnswerWithinTheTimeoutAcknowledgesWithLatencyFromTheIntendedTime() {
        HttpSender sender = bed.open(bed.config());
        bed.answer(after(Duration.ofMillis(200), status(202)));
        Ev car = Ev.car(1, 1);

        bed.sendIntended(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(300), car);
        bed.drain();

        Histogram latency = sender.intervalLatency();
        assertEquals(1, latency.getTotalCount());
        assertTrue(latency.getMinValue() >= latency.lowestEquivalentValue(500_000),
                "latency includes the 300 ms the event was late and the 200 ms the answer took, found "
                        + latency.getMinValue() + " µs");
        bed.assertAcknowledgedOnce("202", 1, car);
    }

    @Test
    void a429IsRetriedAfterRetryAfterSecondsAndIsNotAmbiguous() {
        assertPushedBackThenAcknowledged(429, now -> "1", () -> Duration.ofSeconds(1));
    }

    @Test
    void a503IsRetriedAfterTheRetryAfterDate() {
        // Two seconds ahead to the second: more than one second ahead; the sender counts in whole milliseconds.
        AtomicReference<Duration> ahead = new AtomicReference<>();
        assertPushedBackThenAcknowledged(503, now -> {
            Instant date = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
            ahead.set(Duration.between(now, date).minusMillis(1));
            return HTTP_DATE.format(date);
        }, ahead::get);
    }

    /** A wait the events cannot outlive, however far off (even beyond what nanoseconds in a long can count). */
    @ParameterizedTest
    @ValueSource(strings = {"31", "99999999999", "Fri, 31 Dec 9999 23:59:59 GMT"})
    void aRetryAfterBeyondTheTimeToLiveFailsTheEventsAtOnce(String retryAfter) {
        bed.sendAndDrain(HttpTestBed.inPairs(bed.config()), cars, status(429, "Retry-After", retryAfter));

        bed.assertArrivals(1, cars);
        bed.assertOutcomes(FAILED, cars);
        bed.assertCounters(2, 0, 0, 0, 0, Map.of(FailureReason.THROUGHPUT_EXCEEDED, 2L));
        bed.assertRequests(Map.of("429", 1L));
    }

    @Test
    void a500IsAmbiguousThenAcknowledgedByTheRetry() {
        bed.sendAndDrain(HttpTestBed.inPairs(bed.config()), cars, status(500), status(202));

        bed.assertAcknowledgedAfterAmbiguous("500", cars);
    }

    @Test
    void a500UntilTheTimeToLiveEndsGivesTheEventsUpAsAmbiguous() {
        bed.sendAndDrain(HttpTestBed.inPairs(HttpTestBed.expiring(bed.config(), Duration.ofMillis(100),
                Duration.ofSeconds(1))), cars, status(500));

        bed.assertGivenUpAsAmbiguous("500", cars);
    }

    @Test
    void a400FailsTheEventsForGoodWithoutARetry() {
        bed.sendAndDrain(HttpTestBed.inPairs(bed.config()), cars, status(400));

        bed.assertArrivals(1, cars);
        bed.assertOutcomes(FAILED, cars);
        bed.assertCounters(2, 0, 0, 0, 0, Map.of(FailureReason.REQUEST_REJECTED, 2L));
        bed.assertRequests(Map.of("400", 1L));
    }

    /**
     * A pair of car events answered first with a status that pushes back, with a {@code Retry-After} made when it
     * answers, then with 202: the retry arrives {@code atLeast} after the first attempt, as {@code Retry-After} says (the sender's own backoff is
     * 10 ms), and the events are acknowledged, retried once each and never ambiguous.
     */
    private void assertPushedBackThenAcknowledged(int code, Function<Instant, String> retryAfter,
                                                  Supplier<Duration> atLeast) {
        Reply pushBack = (request, b) -> status(code, "Retry-After", retryAfter.apply(Instant.now()))
                .answer(request, b);
        bed.sendAndDrain(HttpTestBed.inPairs(bed.config()), cars, pushBack, status(202));

        List<Received> received = bed.received();
        Duration waited = Duration.ofNanos(received.get(1).arrivalNanos() - received.get(0).arrivalNanos());
        assertTrue(waited.compareTo(atLeast.get()) >= 0, "the retry came after " + waited + ", before "
                + atLeast.get());
        bed.assertArrivals(2, cars);
        bed.assertOutcomes(ACKED, cars);
        bed.assertCounters(2, 2, 0, 0, 2, Map.of());
        bed.assertRequests(Map.of(Integer.toString(code), 1L, "202", 1L));
    }
}
