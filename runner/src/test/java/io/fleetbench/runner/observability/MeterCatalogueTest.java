package io.fleetbench.runner.observability;

import io.fleetbench.compactor.CompactorMeters;
import io.fleetbench.compactor.FileSizeHistogram;
import io.fleetbench.compactor.HealthMetrics;
import io.fleetbench.compactor.TableHealth;
import io.fleetbench.compactor.TableHealthMeters;
import io.fleetbench.consumer.ConsumerMeters;
import io.fleetbench.ingest.IngestMeters;
import io.fleetbench.ingest.IngestMetrics;
import io.fleetbench.consumer.ConsumerMetrics;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.lakesink.SinkMeters;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.ProxyMeters;
import io.fleetbench.runner.metrics.RunMeters;
import io.fleetbench.simulator.FaultConfig;
import io.fleetbench.simulator.FaultInjector;
import io.fleetbench.simulator.KinesisProducer;
import io.fleetbench.simulator.ProducerConfig;
import io.fleetbench.simulator.ProducerExecutor;
import io.fleetbench.simulator.ShardMap;
import io.fleetbench.simulator.Simulator;
import io.fleetbench.simulator.SimulatorConfig;
import io.fleetbench.simulator.SimulatorMeters;
import io.fleetbench.simulator.http.HttpTarget;
import io.fleetbench.simulator.http.HttpTargetConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds the meter catalogue (the stages' {@code *Meters} classes), what the stages register, docs/metrics.md and the
 * dashboards together. The stages' own code registers its meters in a Prometheus registry configured as a run's
 * ({@link RunMeters}), with the JVM binders a run adds; its scrape gives the Prometheus names the docs and the
 * dashboards must use.
 */
class MeterCatalogueTest {
    // Every public static final String of these classes is the name of a meter, but for the PREFIX the names start with.
    private static final List<Class<?>> CATALOGUE = List.of(SimulatorMeters.class, IngestMeters.class,
            ProxyMeters.class, ConsumerMeters.class, SinkMeters.class, CompactorMeters.class, TableHealthMeters.class);
    private static final Pattern DOCUMENTED = Pattern.compile("`((?:fleetbench|jvm|process|system)_[a-z0-9_]+)`");
    private static final Pattern NAME_LITERAL =
            Pattern.compile("\"(fleetbench\\.(?:simulator|ingest|proxy|consumer|sink|compactor|table)\\.[a-z0-9.]+)\"");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    private static PrometheusMeterRegistry registry;
    private static Vertx vertx;
    private static KinesisAsyncClient kinesis;
    private static Set<String> samples;

    @BeforeAll
    static void registerEveryMeter(@TempDir Path lake) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMeters.configure(registry, "catalogue");
        // As a run binds them.
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        try (JvmGcMetrics gc = new JvmGcMetrics()) {
            gc.bindTo(registry);
        }
        // The binder's pause timer appears with the first collection, which a test cannot cause on time:
        // registered as the binder names it, like the stages' meters that only an event registers.
        Timer.builder("jvm.gc.pause").tags("action", "end of minor GC", "cause", "test", "gc", "test")
                .register(registry);

        vertx = Vertx.vertx();
        // Never called: the simulator and its producer only register their meters until they start.
        kinesis = KinesisAsyncClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(URI.create("http://127.0.0.1:9")).build();
        new Simulator(vertx, kinesis, SimulatorConfig.defaults("catalogue"), registry);
        new KinesisProducer(kinesis, ProducerConfig.defaults("catalogue"), ShardMap.even(1),
                ProducerExecutor.onContext(vertx.getOrCreateContext()), () -> 0L, registry);
        new FaultInjector(FaultConfig.none(), 1, 0L, registry);
        // The fleet's HTTP target registers the same event meters as the producer, and its connections'.
        new HttpTarget(HttpTargetConfig.defaults(URI.create("http://127.0.0.1:9/events")))
                .open(vertx.getOrCreateContext(), () -> 0L, registry, null);
        // The ingestion endpoint: its own meters, and its producer's under its prefix.
        new IngestMetrics(registry);
        new KinesisProducer(kinesis, ProducerConfig.defaults("catalogue"), ShardMap.even(1),
                ProducerExecutor.onContext(vertx.getOrCreateContext()), () -> 0L, registry, null, IngestMeters.PREFIX);

        new ConsumerMetrics(registry).recordsReceived("shardId-000000000000", 1);
        new DeltaLakeSink(LakeSinkConfig.defaults(lake.toString()), registry, Clock.systemUTC()).close();

        TableHealth.Partition partition = new TableHealth.Partition("event_hour=0", 1, 1 << 20, 1, 1 << 20,
                FileSizeHistogram.of(1 << 20), 0);
        new HealthMetrics(registry, 1).record(new TableHealth("car_trip", lake.resolve("car_trip").toString(), 1,
                128 << 20, List.of(partition), TableHealth.Partition.sum("", List.of(partition)),
                new TableHealth.Log(0, 10, 1, 0, 2, Duration.ofDays(30), false, 0)));

        registerLazyMeters();
        samples = samples(registry.scrape());
    }

    /**
     * The meters that appear with an event this test cannot bring about (a compaction, a commit that threw, a dead
     * letter, a throttled request, an injected fault), registered with the types and base units their stages' code
     * gives them.
     */
    private static void registerLazyMeters() {
        for (String name : List.of(CompactorMeters.COMMITS, CompactorMeters.BINS, CompactorMeters.FILES_REMOVED,
                CompactorMeters.FILES_ADDED, CompactorMeters.CONFLICTS, CompactorMeters.REPLANS,
                CompactorMeters.FAILURES, SinkMeters.COMMITS_RESOLVED, SinkMeters.DEAD_LETTERS, ProxyMeters.THROTTLED,
                ProxyMeters.FAULTS, SimulatorMeters.HTTP_REQUESTS)) {
            Counter.builder(name).register(registry);
        }
        for (String name : List.of(CompactorMeters.READ_BYTES, CompactorMeters.WRITTEN_BYTES)) {
            Counter.builder(name).baseUnit("bytes").register(registry);
        }
        Timer.builder(CompactorMeters.DURATION).register(registry);
    }

    @AfterAll
    static void close() {
        kinesis.close();
        vertx.close();
        registry.close();
    }

    @Test
    void theCatalogueNamesWhatTheStagesRegister() throws IllegalAccessException {
        List<String> catalogue = catalogue();
        assertEquals(new TreeSet<>(catalogue).size(), catalogue.size(), "a name twice in the catalogue: " + catalogue);
        Set<String> registered = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
            if (m.getId().getName().startsWith("fleetbench.")) {
                registered.add(m.getId().getName());
            }
        }
        assertEquals(new TreeSet<>(catalogue), registered);
    }

    @Test
    void prometheusNamesAreThoseOfTheDocsConventions() {
        assertEquals("fleetbench_sink_written_bytes_total", prometheusName(meter(SinkMeters.WRITTEN_BYTES)));
        assertEquals("fleetbench_sink_freshness_seconds", prometheusName(meter(SinkMeters.FRESHNESS)));
        assertEquals("fleetbench_sink_commit_bytes", prometheusName(meter(SinkMeters.COMMIT_BYTES)));
        assertEquals("fleetbench_consumer_lag_seconds", prometheusName(meter(ConsumerMeters.LAG)));
        assertEquals("system_cpus", prometheusName(meter("system.cpus")));
    }

    @Test
    void everyRegisteredMeterIsDocumented() throws IOException {
        Set<String> documented = documented();
        TreeMap<String, String> undocumented = new TreeMap<>();
        for (Meter m : registry.getMeters()) {
            String name = prometheusName(m);
            if (!documented.contains(name)) {
                undocumented.put(name, m.getId().getName());
            }
        }
        assertEquals(new TreeMap<>(), undocumented, "meters missing from docs/metrics.md");
    }

    @Test
    void everyDocumentedMetricIsRegistered() throws IOException {
        Set<String> missing = new TreeSet<>();
        for (String name : documented()) {
            // A histogram or summary is documented by its family's name, the prefix of its _count and _sum.
            if (!samples.contains(name) && !samples.contains(name + "_count")) {
                missing.add(name);
            }
        }
        assertEquals(Set.of(), missing, "docs/metrics.md documents metrics no meter exposes");
    }

    @Test
    void everyDashboardMetricIsRegistered() throws IOException {
        Set<String> missing = new TreeSet<>();
        for (Dashboards.Dashboard d : Dashboards.all()) {
            for (String expr : d.expressions()) {
                Matcher m = Dashboards.SELECTOR.matcher(expr);
                while (m.find()) {
                    if (!samples.contains(m.group(1))) {
                        missing.add(d.name() + ": " + m.group(1));
                    }
                }
            }
        }
        assertEquals(Set.of(), missing, "dashboards query metrics no meter exposes");
    }

    @Test
    void meterNamesAreSpelledOnlyInTheCatalogueAndAlwaysFromIt() throws IOException, IllegalAccessException {
        Set<String> catalogue = new TreeSet<>(catalogue());
        Set<String> unknown = new TreeSet<>();
        Set<String> spelledOutside = new TreeSet<>();
        Path home = ProjectHome.locate();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .toList()) {
                String file = home.relativize(f).toString();
                Matcher m = NAME_LITERAL.matcher(Files.readString(f));
                while (m.find()) {
                    if (!catalogue.contains(m.group(1))) {
                        unknown.add(file + ": " + m.group(1));
                    }
                    if (CATALOGUE.stream().noneMatch(c -> file.endsWith("/" + c.getSimpleName() + ".java"))) {
                        spelledOutside.add(file);
                    }
                }
            }
        }
        assertEquals(Set.of(), unknown, "meter names no stage registers");
        assertEquals(Set.of(), spelledOutside,
                "meter names spelled out instead of taken from the catalogue");
    }

    private static List<String> catalogue() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Class<?> c : CATALOGUE) {
            for (Field f : c.getFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == String.class
                        && !f.getName().equals("PREFIX")) {
                    names.add((String) f.get(null));
                }
            }
        }
        return names;
    }

    private static Meter meter(String name) {
        return registry.get(name).meters().iterator().next();
    }

    /**
     * The name docs/metrics.md gives a meter: the registry's naming convention, with what the Prometheus client's
     * exposition makes of it (dots in a unit become underscores, a counter's samples end in {@code _total}).
     */
    private static String prometheusName(Meter m) {
        String name = PrometheusNaming.prometheusName(m.getId().getConventionName(registry.config().namingConvention()));
        if (samples.contains(name + "_total")) {
            return name + "_total";
        }
        assertTrue(samples.contains(name) || samples.contains(name + "_count"), "the scrape has no series of " + name);
        return name;
    }

    private static Set<String> documented() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(Files.readString(ProjectHome.locate().resolve("docs/metrics.md")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> samples(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
