package io.fleetbench.simulator.http;

import io.fleetbench.simulator.EventTarget;
import io.fleetbench.simulator.EventSender;
import io.fleetbench.telemetry.manifest.OutcomeRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The fleet's HTTP target: opens an {@link HttpSender} with its own pooled client. HTTP/1.1 connections keep alive;
 * HTTP/2 goes over h2c with prior knowledge on {@code http} and ALPN on {@code https}, multiplexing requests on at
 * most {@link HttpTargetConfig#maxConnections()} connections. TLS trusts the JDK's trust store, or only the
 * certificates of {@link HttpTargetConfig#caFile()}.
 */
public final class HttpTarget implements EventTarget {
    private final HttpTargetConfig config;
    private volatile HttpSender opened;

    /** A target for this config. */
    public HttpTarget(HttpTargetConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The config. */
    public HttpTargetConfig config() {
        return config;
    }

    @Override
    public EventSender open(Context context, LongSupplier nanoTime, MeterRegistry registry, OutcomeRecorder outcomes) {
        boolean tls = config.url().getScheme().toLowerCase(Locale.ROOT).equals("https");
        boolean h2 = config.version() == HttpTargetConfig.Version.HTTP_2;
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()))
                .setProtocolVersion(h2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
                .setSsl(tls);
        if (h2) {
            options.setHttp2ClearTextUpgrade(false);
            if (tls) {
                options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
            }
        }
        config.caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.maxConnections())
                .setHttp2MaxSize(config.maxConnections())
                // Requests beyond the connections wait in the pool's queue; the sender bounds them itself.
                .setMaxWaitQueueSize(-1);
        AtomicInteger open = new AtomicInteger();
        AtomicLong connected = new AtomicLong();
        HttpClientAgent http = context.owner().httpClientBuilder().with(options).with(pool)
                .withConnectHandler(connection -> {
                    open.incrementAndGet();
                    connected.incrementAndGet();
                    connection.closeHandler(v -> open.decrementAndGet());
                })
                .build();
        HttpSender sender = new HttpSender(context.owner(), WebClient.wrap(http), config, nanoTime, registry, outcomes,
                open, connected);
        this.opened = sender;
        return sender;
    }

    /** What the requests of the sender this target opened met so far; empty before it was opened. Any thread. */
    public java.util.Optional<HttpCounters> counters() {
        HttpSender s = opened;
        return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.httpCounters());
    }
}
