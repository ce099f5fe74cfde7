package io.fleetbench.simulator.http;

import io.fleetbench.simulator.http.HttpTargetConfig.Version;
import io.fleetbench.simulator.http.HttpTestBed.Ev;
import io.fleetbench.simulator.http.HttpTestBed.Received;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpSender} over HTTP/2 with prior knowledge, and over TLS with HTTP/1.1 and HTTP/2 by ALPN. */
class HttpSenderProtocolTest {
    private static SelfSignedCertificate certificate;
    private HttpTestBed bed;

    @BeforeAll
    static void certify() {
        certificate = SelfSignedCertificate.create("localhost");
    }

    @AfterAll
    static void uncertify() {
        certificate.delete();
    }

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void h2cWithPriorKnowledgeMultiplexesOnAtMostMaxConnections() {
        bed = new HttpTestBed().start();
        Ev[] cars = Ev.cars(1, 8);

        HttpSender sender = bed.sendAndDrain(bed.config().withConnections(Version.HTTP_2, 2, 512), cars);

        assertVersions(HttpVersion.HTTP_2, false);
        long opened = sender.httpCounters().connectionsOpened();
        assertTrue(opened >= 1 && opened <= 2, "connections opened: " + opened);
        bed.assertAcknowledgedOnce("202", 8, cars);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void tlsTrustingTheCaFileGoesThrough(Version version) {
        bed = new HttpTestBed().start(tlsServer());
        Ev[] cars = Ev.cars(1, 2);

        bed.sendAndDrain(HttpTestBed.config(bed.tlsUrl()).withConnections(version, 2, 512)
                .withSecurity(Optional.of(Path.of(certificate.certificatePath())), HttpAuth.none()), cars);

        assertVersions(version == Version.HTTP_2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1, true);
        bed.assertAcknowledgedOnce("202", 2, cars);
    }

    /**
     * A handshake that fails sends nothing: the events are not at the endpoint, so they fail, not ambiguous. The
     * request timeout is long enough for a first handshake in a cold JVM; the backoff keeps the attempts few.
     */
    @Test
    void tlsWithoutTrustInTheCertificateFailsTheEventsForSure() {
        bed = new HttpTestBed().start(tlsServer());
        Ev[] cars = Ev.cars(1, 2);
        HttpTargetConfig config = HttpTestBed.inPairs(HttpTestBed.config(bed.tlsUrl()).withTimeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(250), Duration.ofSeconds(1)));

        String log = HttpTestBed.stderrDuring(() -> bed.sendAndDrain(config, cars));

        assertTrue(log.contains("Requests to " + bed.tlsUrl() + " fail (connection_failed)")
                && log.contains("SSLHandshakeException"), log);
        bed.assertFailedForSure("connection_failed", cars);
    }

    private HttpServerOptions tlsServer() {
        return new HttpServerOptions().setSsl(true).setUseAlpn(true).setKeyCertOptions(certificate.keyCertOptions());
    }

    private void assertVersions(HttpVersion version, boolean tls) {
        for (Received r : bed.received()) {
            assertEquals(version, r.version());
            assertEquals(tls, r.tls());
        }
    }
}
