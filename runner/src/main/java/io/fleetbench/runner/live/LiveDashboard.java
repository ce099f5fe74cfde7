package io.fleetbench.runner.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The live web dashboard of a run: a page at {@code /} whose charts follow the run's
 * {@link RunRecorder} through server-sent events at {@code /events} ({@code text/event-stream},
 * one JSON point a second; a client that connects late first gets the history so far). The page
 * also loads that history as a script ({@code /history.js}) so it draws the run so far on load. The page,
 * its script and the chart library (uPlot) come from the jar: it needs no network.
 */
public final class LiveDashboard {
    static final String RESOURCES = "/io/fleetbench/runner/live/";
    static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    static final ObjectMapper JSON = new ObjectMapper();

    private final RunRecorder recorder;
    private final Map<String, Asset> assets;

    private record Asset(String contentType, Buffer body) {
    }

    public LiveDashboard(RunRecorder recorder) {
        this.recorder = recorder;
        this.assets = Map.of(
                "/", new Asset("text/html; charset=utf-8", Buffer.buffer(resource(RESOURCES + "dashboard.html"))),
                "/dashboard.js", new Asset("text/javascript; charset=utf-8",
                        Buffer.buffer(resource(RESOURCES + "dashboard.js"))),
                "/dashboard.css", new Asset("text/css; charset=utf-8", Buffer.buffer(resource(RESOURCES + "dashboard.css"))),
                "/uPlot.min.js", new Asset("text/javascript; charset=utf-8", Buffer.buffer(uplotScript())),
                "/uPlot.min.css", new Asset("text/css; charset=utf-8", Buffer.buffer(resource(UPLOT + "uPlot.min.css"))));
    }

    /** Whether this dashboard serves a request's path. */
    public boolean serves(String path) {
        return assets.containsKey(path) || "/events".equals(path) || "/history.js".equals(path);
    }

    /** Serves a request for one of the paths {@link #serves} accepts. */
    public void handle(Vertx vertx, HttpServerRequest request) {
        if ("/events".equals(request.path())) {
            events(vertx, request.response());
            return;
        }
        if ("/history.js".equals(request.path())) {
            // The page draws the run so far as it loads, before the event stream delivers anything.
            request.response().putHeader("Content-Type", "text/javascript; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .end("window.FLEETBENCH_HISTORY = " + json(recorder.history()) + ";\n");
            return;
        }
        Asset a = assets.get(request.path());
        request.response().putHeader("Content-Type", a.contentType()).putHeader("Cache-Control", "no-cache").end(a.body());
    }

    private void events(Vertx vertx, HttpServerResponse response) {
        Context context = vertx.getOrCreateContext();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        Consumer<RunRecorder.Point> listener = p -> {
            String event = event(p);
            context.runOnContext(v -> {
                // A client that does not keep up misses points rather than growing the server's memory.
                if (!response.ended() && !response.closed() && !response.writeQueueFull()) {
                    response.write(event);
                }
            });
        };
        List<RunRecorder.Point> history = recorder.subscribeWithHistory(listener);
        response.closeHandler(v -> recorder.unsubscribe(listener));
        response.exceptionHandler(e -> recorder.unsubscribe(listener));
        StringBuilder first = new StringBuilder(": fleetbench run\n\n");
        history.forEach(p -> first.append(event(p)));
        response.write(first.toString());
    }

    /** One server-sent event holding a point as JSON. */
    static String event(RunRecorder.Point p) {
        return "data: " + json(p) + "\n\n";
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** uPlot's script; its banner's link is reduced to the name so no page of ours holds a URL. */
    static String uplotScript() {
        return new String(resource(UPLOT + "uPlot.iife.min.js"), StandardCharsets.UTF_8)
                .replace("https://github.com/leeoniya/uPlot", "uPlot (MIT License, Leon Sorokin)");
    }

    static byte[] resource(String path) {
        try (InputStream in = LiveDashboard.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }
}
