package io.fleetbench.benchmarks.http;

import io.fleetbench.simulator.EventSender;
import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.simulator.http.HttpCounters;
import io.fleetbench.simulator.http.HttpTarget;
import io.fleetbench.simulator.http.HttpTargetConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * fleetbench's client: an {@link io.fleetbench.simulator.http.HttpSender} opened through {@link HttpTarget} with as
 * many requests in flight as connections, so that like wrk it keeps one request on each connection. Every tick, on
 * the sender's Vert.x context as in the simulator, it is handed the event until it pushes back.
 * Its CPU time is that of this JVM's Vert.x event-loop threads (the sender and its HTTP client's I/O), from
 * {@link ThreadMXBean}, and that of the whole JVM (GC and JIT included).
 */
final class TargetRunner {
    private static final String EVENT_LOOP = "vert.x-eventloop-thread-";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private TargetRunner() {
    }

    /** What the sender has been handed and what came back, with the client's CPU, at one moment. */
    private record Sample(double eventLoopCpuSeconds, double jvmCpuSeconds, long wallNanos, HttpCounters counters) {
    }

    /** The running sender and the timer that feeds it. */
    private record Feed(EventSender sender, long timer) {
    }

    /**
     * Sends the event for the warm-up, then measures a window of the duration, then drains the sender and closes its
     * client.
     *
     * @param partitionKey the event's device id
     * @param event        the event's JSON; the sender posts it as a batch of one
     */
    static Window window(URI url, int connections, Duration tick, Duration warmup, Duration duration,
                         String partitionKey, byte[] event, IngestProcess endpoint, ProcCpu cpu) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Context context = vertx.getOrCreateContext();
            HttpTarget target = new HttpTarget(HttpTargetConfig.defaults(url)
                    .withConnections(HttpTargetConfig.Version.HTTP_1_1, connections, connections));
            CompletableFuture<Feed> started = new CompletableFuture<>();
            context.runOnContext(v -> {
                EventSender sender = target.open(context, System::nanoTime, new SimpleMeterRegistry(), null);
                long timer = vertx.setPeriodic(tick.toMillis(), id -> {
                    while (sender.canAccept()) {
                        sender.send(partitionKey, event, System.nanoTime(), KinesisProducer.NO_EVENT_KEY);
                    }
                    sender.flushIfLingered();
                });
                started.complete(new Feed(sender, timer));
            });
            Feed feed = started.get(10, TimeUnit.SECONDS);
            Thread.sleep(warmup.toMillis());
            IngestProcess.Sample endpointBefore = endpoint.opening(cpu);
            Sample before = sample(target);
            feed.sender().intervalLatency();
            Thread.sleep(duration.toMillis());
            Sample after = sample(target);
            Histogram latency = feed.sender().intervalLatency();
            IngestProcess.Sample endpointAfter = endpoint.closing(cpu);
            stop(vertx, context, feed);
            long other = after.counters().requests() - before.counters().requests()
                    - (after.counters().statusClass(2) - before.counters().statusClass(2));
            long errors = 0;
            for (String outcome : new String[] {"timeout", "connection_lost", "connection_failed"}) {
                errors += after.counters().requestsByOutcome().getOrDefault(outcome, 0L)
                        - before.counters().requestsByOutcome().getOrDefault(outcome, 0L);
            }
            return new Window((after.wallNanos() - before.wallNanos()) / 1e9,
                    after.counters().statusClass(2) - before.counters().statusClass(2), other - errors, errors,
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                    after.eventLoopCpuSeconds() - before.eventLoopCpuSeconds(),
                    after.jvmCpuSeconds() - before.jvmCpuSeconds(),
                    endpointAfter.cpuSeconds() - endpointBefore.cpuSeconds(),
                    endpointAfter.requests2xx() - endpointBefore.requests2xx(),
                    endpointAfter.eventsAcknowledged() - endpointBefore.eventsAcknowledged());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Stops feeding the sender and waits until every request sent is answered. */
    private static void stop(Vertx vertx, Context context, Feed feed) throws Exception {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        context.runOnContext(v -> {
            vertx.cancelTimer(feed.timer());
            feed.sender().drain().whenComplete((r, e) -> drained.complete(null));
        });
        drained.get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Sample sample(HttpTarget target) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long eventLoops = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(EVENT_LOOP)) {
                eventLoops += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Sample(eventLoops / 1e9, jvm / 1e9, System.nanoTime(), target.counters().orElseThrow());
    }
}
