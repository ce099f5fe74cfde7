package io.fleetbench.runner.metrics;

import io.fleetbench.runner.live.LiveDashboard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.net.BindException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Serves the process's meters in the Prometheus text format at {@code /metrics}, on loopback by
 * default so a run never exposes a port to the network unless asked to; with a {@link LiveDashboard},
 * also the run's live web dashboard at {@code /} and its server-sent events at {@code /events}.
 */
public final class MetricsServer implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving; port 0 picks a free port.
     *
     * @throws IllegalStateException naming the address if the port is taken
     */
    public static MetricsServer start(Vertx vertx, PrometheusMeterRegistry registry, String host, int port) {
        return start(vertx, registry, null, host, port);
    }

    /**
     * Starts serving the meters and, unless {@code dashboard} is null, the live dashboard; port 0
     * picks a free port.
     *
     * @throws IllegalStateException naming the address if the port is taken
     */
    public static MetricsServer start(Vertx vertx, PrometheusMeterRegistry registry, LiveDashboard dashboard,
                                      String host, int port) {
        return start(vertx, registry, dashboard, () -> Optional.empty(), host, port);
    }

    /**
     * Starts serving the meters, the live dashboard unless it is null, and {@code /health}: 200 {@code ok}
     * while {@code problem} gives nothing, else 503 with the problem, for probes and for a run that waits
     * for a pipeline to be ready; port 0 picks a free port.
     *
     * @throws IllegalStateException naming the address if the port is taken
     */
    public static MetricsServer start(Vertx vertx, PrometheusMeterRegistry registry, LiveDashboard dashboard,
                                      Supplier<Optional<String>> problem, String host, int port) {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            if ("/metrics".equals(request.path())) {
                request.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(registry.scrape());
            } else if ("/health".equals(request.path())) {
                Optional<String> p = problem.get();
                request.response().setStatusCode(p.isEmpty() ? 200 : 503).end(p.orElse("ok") + "\n");
            } else if (dashboard != null && dashboard.serves(request.path())) {
                dashboard.handle(vertx, request);
            } else {
                request.response().setStatusCode(404)
                        .end(dashboard == null ? "fleetbench serves /metrics\n" : "fleetbench serves / and /metrics\n");
            }
        });
        try {
            return new MetricsServer(server.listen(port, host).toCompletionStage().toCompletableFuture().join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof BindException) {
                throw new IllegalStateException("cannot serve metrics on " + host + ":" + port
                        + ": the port is taken (choose another with --metrics-port, or 0 for any free port)");
            }
            throw e;
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }
}
