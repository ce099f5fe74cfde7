package io.fleetbench.simulator.http;

import io.fleetbench.simulator.http.HttpTestBed.Ev;
import io.fleetbench.simulator.http.HttpTestBed.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static io.fleetbench.simulator.http.HttpTestBed.Reply.hold;
import static io.fleetbench.simulator.http.HttpTestBed.Reply.status;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpSender} when connections break, stall or cannot be opened, and when all its request slots are busy. */
class HttpSenderConnectionTest {
    private final HttpTestBed bed = new HttpTestBed().start();
    private final Ev[] cars = Ev.cars(1, 2);

    @AfterEach
    void close() {
        bed.close();
    }

    static Stream<Named<Reply>> connectionLost() {
        return Stream.of(Named.of("connection closed on receipt", Reply.closeConnection()),
                Named.of("stream reset on receipt", Reply.reset()),
                Named.of("connection closed mid-body", Reply.cutMidBody()));
    }

    @ParameterizedTest
    @MethodSource("connectionLost")
    void aConnectionLostAfterTheRequestWentOutIsAmbiguousThenAcknowledgedByTheRetry(Reply lost) {
        bed.sendAndDrain(HttpTestBed.inPairs(bed.config()), cars, lost, status(202));

        bed.assertAcknowledgedAfterAmbiguous("connection_lost", cars);
    }

    @Test
    void requestsThatTimeOutUntilTheTimeToLiveEndsLeaveTheirEventsAmbiguous() {
        bed.sendAndDrain(HttpTestBed.inPairs(HttpTestBed.expiring(bed.config(), Duration.ofMillis(200),
                Duration.ofSeconds(1))), cars, Reply.never());

        bed.assertGivenUpAsAmbiguous("timeout", cars);
    }

    @Test
    void aRefusedConnectionFailsTheEventsForSureOnceTheTimeToLiveEnds() {
        bed.sendAndDrain(HttpTestBed.inPairs(HttpTestBed.expiring(HttpTestBed.config(HttpTestBed.refusedUrl()),
                Duration.ofMillis(100), Duration.ofSeconds(1))), cars);

        bed.assertFailedForSure("connection_failed", cars);
    }

    /** A request that gets no connection within its timeout was never sent: its events fail, not ambiguous. */
    @Test
    void aRequestThatGetsNoConnectionWithinItsTimeoutFailsForSure() {
        bed.sendAndDrain(HttpTestBed.inPairs(HttpTestBed.expiring(HttpTestBed.config(bed.silentTlsUrl()),
                Duration.ofMillis(200), Duration.ofSeconds(1))), cars);

        bed.assertFailedForSure("connection_failed", cars);
    }

    @Test
    void theFleetIsPushedBackWhileEveryRequestSlotIsBusy() {
        bed.open(bed.config().withConnections(HttpTargetConfig.Version.HTTP_1_1, 32, 2));
        bed.answer(hold());
        Ev[] events = Ev.cars(1, 3);

        bed.send(events[0]);
        assertTrue(bed.canAccept());
        bed.send(events[1]);
        assertFalse(bed.canAccept(), "two requests in flight fill both slots");
        assertThrows(IllegalStateException.class, () -> bed.send(events[2]));
        HttpTestBed.await("both requests held at the endpoint", () -> bed.held() == 2);
        assertFalse(bed.canAccept(), "the requests are still unanswered");
        bed.answer(status(202));
        bed.release(status(202));
        HttpTestBed.await("a slot free again", bed::canAccept);
        bed.send(events[2]);
        bed.drain();

        bed.assertAcknowledgedOnce("202", 3, events);
    }
}
