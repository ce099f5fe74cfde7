package io.fleetbench.runner.live;

import io.fleetbench.compactor.TableHealthMeters;
import io.fleetbench.consumer.ConsumerMeters;
import io.fleetbench.lakesink.SinkMeters;
import io.fleetbench.simulator.SimulatorMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The time series of a run, sampled from its registry once a second: event rates (target, sent,
 * acknowledged), put latency percentiles, consumer lag, rows committed per table, end-to-end
 * freshness, failures, and the file-size figures of the {@code fleetbench.table.*} gauges.
 *
 * <p>Rates are counter deltas over the time between two samples; percentiles are read from the
 * difference of two snapshots of a timer's cumulative histogram buckets, as Prometheus's
 * {@code histogram_quantile} over {@code rate(..._bucket)} would, so each point describes its own
 * interval. A point without events in that interval has no percentile.
 *
 * <p>Memory is bounded: once {@code capacity} points are held, neighbouring points are averaged in
 * pairs and later samples are averaged in groups of twice as many seconds, so a run of any length
 * keeps at most {@code capacity} points at an even resolution. Listeners still get every sample.
 */
public final class RunRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunRecorder.class);
    /** Points held before the history is thinned: an hour at one point a second. */
    public static final int DEFAULT_CAPACITY = 3600;

    /**
     * One sample.
     *
     * @param t      when it was taken, epoch milliseconds
     * @param values series name to value; a series is absent when it has no value for this interval.
     *               Names are {@code <chart>.<series>}, e.g. {@code rate.target} or {@code rows.car_telemetry}
     */
    public record Point(long t, Map<String, Double> values) {
    }

    private final MeterRegistry registry;
    private final int capacity;
    private final List<Point> points = new ArrayList<>();
    private final List<Point> group = new ArrayList<>();
    private final List<Consumer<Point>> listeners = new CopyOnWriteArrayList<>();
    private final Map<Meter.Id, Double> lastCounts = new HashMap<>();
    private final Map<Meter.Id, double[]> lastBuckets = new HashMap<>();
    private volatile DoubleSupplier targetRate = () -> Double.NaN;
    private int stride = 1;
    private long lastNanos = -1;
    private ScheduledExecutorService scheduler;

    /**
     * A recorder of a registry's meters.
     *
     * @param capacity points held before the history is thinned; at least 2
     */
    public RunRecorder(MeterRegistry registry, int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be >= 2, found " + capacity);
        }
        this.registry = registry;
        this.capacity = capacity;
    }

    /** Where the target rate comes from (events/s); the registry has no meter of it. */
    public void targetRate(DoubleSupplier source) {
        this.targetRate = source;
    }

    /** Samples once a second on a daemon thread of its own until {@link #close()}. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleetbench-recorder");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(() -> {
            try {
                sample(System.currentTimeMillis(), System.nanoTime());
            } catch (RuntimeException e) {
                // A failed sample must not end the sampling: the executor would run it never again.
                log.warn("Could not sample the run's meters: {}", e.toString());
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** Called with every new sample, on the sampling thread; keep it short. */
    public void subscribe(Consumer<Point> listener) {
        listeners.add(listener);
    }

    /**
     * Subscribes a listener and returns the history it has not been sent, taken at the same moment;
     * the listener may still get the last point of that history once more.
     */
    public synchronized List<Point> subscribeWithHistory(Consumer<Point> listener) {
        listeners.add(listener);
        return List.copyOf(points);
    }

    /** Stops calling a listener. */
    public void unsubscribe(Consumer<Point> listener) {
        listeners.remove(listener);
    }

    /** The points held so far, oldest first. */
    public synchronized List<Point> history() {
        return List.copyOf(points);
    }

    /**
     * Takes one sample and returns it. The first sample only sets the baseline of rates and
     * percentiles: it is neither kept nor sent to listeners.
     *
     * @param epochMillis the wall-clock time of the sample
     * @param nanos       a monotonic time ({@link System#nanoTime()}) to measure the interval with
     */
    public Point sample(long epochMillis, long nanos) {
        Point p;
        boolean kept;
        synchronized (this) {
            double seconds = lastNanos < 0 ? 0 : (nanos - lastNanos) / 1e9;
            lastNanos = nanos;
            Map<String, Double> v = new LinkedHashMap<>();
            put(v, "rate.target", targetRate.getAsDouble());
            rate(v, "rate.sent", SimulatorMeters.EVENTS_SENT, null, seconds);
            rate(v, "rate.acknowledged", SimulatorMeters.EVENTS_ACKNOWLEDGED, null, seconds);
            percentiles(v, "latency", SimulatorMeters.PUT_LATENCY);
            registry.find(ConsumerMeters.ITERATOR_AGE).gauges().stream().mapToDouble(Gauge::value)
                    .filter(d -> !Double.isNaN(d)).max().ifPresent(max -> v.put("lag.max", max * 1000));
            rate(v, "rows", SinkMeters.WRITTEN_ROWS, "table", seconds);
            percentiles(v, "freshness", SinkMeters.FRESHNESS);
            rate(v, "http", SimulatorMeters.HTTP_REQUESTS, "outcome", seconds);
            rate(v, "failures.failed", SimulatorMeters.EVENTS_FAILED, "reason", seconds);
            rate(v, "failures.ambiguous", SimulatorMeters.EVENTS_AMBIGUOUS, null, seconds);
            rate(v, "failures.acknowledged after ambiguous", SimulatorMeters.EVENTS_ACKNOWLEDGED_AFTER_AMBIGUOUS, null,
                    seconds);
            rate(v, "failures.dead letters", SinkMeters.DEAD_LETTERS, null, seconds);
            fileSizes(v);
            percentiles(v, "commit", SinkMeters.COMMIT_LATENCY);
            process(v);
            p = new Point(epochMillis, Map.copyOf(v));
            kept = seconds > 0;
            if (kept) {
                keep(p);
            }
        }
        if (kept) {
            listeners.forEach(l -> l.accept(p));
        }
        return p;
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void keep(Point p) {
        group.add(p);
        if (group.size() < stride) {
            return;
        }
        points.add(average(group));
        group.clear();
        if (points.size() >= capacity) {
            List<Point> thinned = new ArrayList<>(capacity / 2 + 1);
            for (int i = 0; i < points.size(); i += 2) {
                thinned.add(average(points.subList(i, Math.min(i + 2, points.size()))));
            }
            points.clear();
            points.addAll(thinned);
            stride *= 2;
        }
    }

    /** The mean of each series over the points that have it, at the time of the last point. */
    private static Point average(List<Point> ps) {
        if (ps.size() == 1) {
            return ps.get(0);
        }
        Map<String, double[]> sums = new TreeMap<>();
        for (Point p : ps) {
            p.values().forEach((k, x) -> {
                double[] s = sums.computeIfAbsent(k, key -> new double[2]);
                s[0] += x;
                s[1]++;
            });
        }
        Map<String, Double> v = new LinkedHashMap<>();
        sums.forEach((k, s) -> v.put(k, s[0] / s[1]));
        return new Point(ps.get(ps.size() - 1).t(), Map.copyOf(v));
    }

    private static void put(Map<String, Double> v, String key, double value) {
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            v.put(key, value);
        }
    }

    /**
     * The per-second increase of a counter summed over its meters; with {@code byTag}, one series per
     * value of that tag ({@code prefix.value}), otherwise one series named {@code prefix}.
     */
    private void rate(Map<String, Double> v, String prefix, String name, String byTag, double seconds) {
        Map<String, Double> increase = new TreeMap<>();
        for (Counter c : registry.find(name).counters()) {
            double count = c.count();
            Double before = lastCounts.put(c.getId(), count);
            String key = byTag == null ? prefix : prefix + "." + c.getId().getTag(byTag);
            increase.merge(key, before == null ? count : count - before, Double::sum);
        }
        if (seconds > 0) {
            increase.forEach((k, d) -> v.put(k, d / seconds));
        }
    }

    /** p50, p95 and p99 in milliseconds of the events a timer recorded since the last sample, over all its meters. */
    private void percentiles(Map<String, Double> v, String prefix, String name) {
        TreeMap<Double, Double> increase = new TreeMap<>();
        for (Timer t : registry.find(name).timers()) {
            CountAtBucket[] buckets = t.takeSnapshot().histogramCounts();
            double[] now = new double[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                now[i] = buckets[i].count();
            }
            double[] before = lastBuckets.put(t.getId(), now);
            for (int i = 0; i < buckets.length; i++) {
                double d = now[i] - (before == null || before.length != now.length ? 0 : before[i]);
                increase.merge(buckets[i].bucket(TimeUnit.MILLISECONDS), d, Double::sum);
            }
        }
        double total = increase.isEmpty() ? 0 : increase.lastEntry().getValue();
        if (total <= 0) {
            return;
        }
        put(v, prefix + ".p50", quantile(increase, total, 0.50));
        put(v, prefix + ".p95", quantile(increase, total, 0.95));
        put(v, prefix + ".p99", quantile(increase, total, 0.99));
    }

    /**
     * A quantile from cumulative bucket counts (upper bound to count at or below it), interpolated
     * linearly inside the bucket that holds it.
     */
    static double quantile(TreeMap<Double, Double> cumulative, double total, double q) {
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                double inBucket = e.getValue() - lowerCount;
                double share = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return lowerBound + (e.getKey() - lowerBound) * share;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    /**
     * The run's own process, from the JVM and process binders when they are bound: heap after the latest
     * collection (MiB), live threads, open file descriptors.
     */
    private void process(Map<String, Double> v) {
        Gauge live = registry.find("jvm.gc.live.data.size").gauge();
        if (live != null && live.value() > 0) {
            put(v, "process.heap_after_gc", live.value() / (1 << 20));
        }
        Gauge threads = registry.find("jvm.threads.live").gauge();
        if (threads != null) {
            put(v, "process.threads", threads.value());
        }
        Gauge files = registry.find("process.files.open").gauge();
        if (files != null) {
            put(v, "process.open_files", files.value());
        }
    }

    /** Files, small-file ratio and mean file size (MiB) per table, from the table-health gauges. */
    private void fileSizes(Map<String, Double> v) {
        Map<String, Double> files = new TreeMap<>();
        for (Gauge g : registry.find(TableHealthMeters.FILES).gauges()) {
            files.put(g.getId().getTag("table"), g.value());
            put(v, "files." + g.getId().getTag("table"), g.value());
        }
        for (Gauge g : registry.find(TableHealthMeters.SMALL_FILES_RATIO).gauges()) {
            put(v, "small." + g.getId().getTag("table"), g.value());
        }
        for (Gauge g : registry.find(TableHealthMeters.SIZE).gauges()) {
            Double n = files.get(g.getId().getTag("table"));
            if (n != null && n > 0) {
                put(v, "size." + g.getId().getTag("table"), g.value() / n / (1 << 20));
            }
        }
    }
}
