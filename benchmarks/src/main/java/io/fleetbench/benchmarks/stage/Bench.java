package io.fleetbench.benchmarks.stage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Runs the stage benchmarks of {@code fleetbench bench}: each chosen stage alone, a warm-up round a
 * tenth the size that is not counted, then the measured rounds, so that a regression in one stage
 * is not hidden behind a slower one. The tables of the sink and compactor stages go under the bench
 * folder's {@code lake/<stage>/round-<n>} and are deleted after each round unless kept.
 */
public final class Bench {
    /** The share of a round's size the warm-up round has. */
    static final double WARMUP_FRACTION = 0.1;

    /** The machine the bench ran on. */
    public record Machine(int cores, String jvm, String javaVersion, String os, long maxHeapBytes) {
        /** This machine and JVM. */
        public static Machine current() {
            return new Machine(Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                    System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    Runtime.getRuntime().maxMemory());
        }
    }

    /** What a bench measured. */
    public record Result(String id, Instant started, Instant finished, Machine machine, BenchSettings settings,
                         List<StageResult> stages) {
    }

    private final BenchSettings settings;
    private final Path home;
    private final Path dir;
    private final PrintStream log;

    /**
     * @param settings what to measure
     * @param home     the project directory, which holds the pinned emulators (for the producer stage)
     * @param dir      the bench folder: emulator logs and the stages' tables go below it
     * @param log      where lines other than progress go (the emulators' start)
     */
    public Bench(BenchSettings settings, Path home, Path dir, PrintStream log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.home = Objects.requireNonNull(home, "home");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Runs the stages in order. */
    public Result run(String id, BenchProgress progress) throws Exception {
        Instant started = Instant.now();
        List<StageResult> results = new ArrayList<>();
        for (Stage stage : settings.stages()) {
            results.add(switch (stage) {
                case GENERATOR -> generator(progress);
                case PRODUCER -> producer(progress);
                case SINK -> sink(progress);
                case COMPACTOR -> compactor(progress);
            });
        }
        if (!settings.keepLake()) {
            delete(dir.resolve("lake"));
        }
        return new Result(id, started, Instant.now(), Machine.current(), settings, results);
    }

    private StageResult generator(BenchProgress progress) {
        int warmup = scaled(settings.events(), 1);
        round(progress, Stage.GENERATOR, 0, warmup, "events",
                () -> GeneratorStage.round(settings.seed(), warmup, settings.shards(), progress));
        List<Map<String, Double>> rounds = new ArrayList<>();
        for (int r = 1; r <= settings.rounds(); r++) {
            rounds.add(round(progress, Stage.GENERATOR, r, settings.events(), "events",
                    () -> GeneratorStage.round(settings.seed(), settings.events(), settings.shards(), progress)));
        }
        return new StageResult(Stage.GENERATOR, settings.of(Stage.GENERATOR), rounds, null);
    }

    private StageResult producer(BenchProgress progress) throws Exception {
        progress.started("bench producer: starting the emulator");
        try (ProducerStage stage = ProducerStage.start(settings, home, dir.resolve("stack"), log)) {
            progress.finished(1, 1, "stream", settings.shards() + " shards");
            int warmup = scaled(settings.producerEvents(), 1);
            round(progress, Stage.PRODUCER, 0, warmup, "events", () -> stage.round(warmup, progress));
            List<Map<String, Double>> rounds = new ArrayList<>();
            for (int r = 1; r <= settings.rounds(); r++) {
                rounds.add(round(progress, Stage.PRODUCER, r, settings.producerEvents(), "events",
                        () -> stage.round(settings.producerEvents(), progress)));
            }
            return new StageResult(Stage.PRODUCER, settings.of(Stage.PRODUCER), rounds, null);
        }
    }

    private StageResult sink(BenchProgress progress) throws IOException {
        progress.started("bench sink: recording the consumer's records");
        Recording recording = Recording.of(settings.seed(), settings.events(), settings.shards(), progress);
        progress.finished(recording.records(), recording.records(), "records", "recorded");
        Recording warmup = recording.prefix(WARMUP_FRACTION);
        round(progress, Stage.SINK, 0, warmup.records(), "rows",
                () -> SinkStage.round(warmup, settings.sinkBatch(), table(Stage.SINK, 0), progress));
        List<Map<String, Double>> rounds = new ArrayList<>();
        for (int r = 1; r <= settings.rounds(); r++) {
            Path root = table(Stage.SINK, r);
            rounds.add(round(progress, Stage.SINK, r, recording.records(), "rows",
                    () -> SinkStage.round(recording, settings.sinkBatch(), root, progress)));
        }
        return new StageResult(Stage.SINK, settings.of(Stage.SINK), rounds, keptLake(Stage.SINK));
    }

    private StageResult compactor(BenchProgress progress) throws IOException {
        int warmupFiles = scaled(settings.compactorFiles(), 2);
        round(progress, Stage.COMPACTOR, 0, 1, "partitions compacted", () -> CompactorStage.round(settings.seed(), warmupFiles,
                settings.compactorRowsPerFile(), table(Stage.COMPACTOR, 0), progress));
        List<Map<String, Double>> rounds = new ArrayList<>();
        for (int r = 1; r <= settings.rounds(); r++) {
            Path root = table(Stage.COMPACTOR, r);
            rounds.add(round(progress, Stage.COMPACTOR, r, 1, "partitions compacted", () -> CompactorStage.round(settings.seed(),
                    settings.compactorFiles(), settings.compactorRowsPerFile(), root, progress)));
        }
        return new StageResult(Stage.COMPACTOR, settings.of(Stage.COMPACTOR), rounds, keptLake(Stage.COMPACTOR));
    }

    /** A round of work that may throw. */
    private interface Work {
        Map<String, Double> run() throws Exception;
    }

    /** Runs one round (0: the warm-up) with its progress line; deletes its tables unless they are kept. */
    private Map<String, Double> round(BenchProgress progress, Stage stage, int round, long total, String unit,
                                      Work work) {
        String label = round == 0 ? "bench " + stage.label() + " warm-up"
                : String.format(Locale.ROOT, "bench %s round %d/%d", stage.label(), round, settings.rounds());
        progress.started(label);
        Map<String, Double> figures;
        try {
            figures = work.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(label + " failed: " + e.getMessage(), e);
        } finally {
            if (round == 0 || !settings.keepLake()) {
                delete(dir.resolve("lake").resolve(stage.label()).resolve(roundName(round)));
            }
        }
        progress.finished(total, total, unit, headline(stage, figures));
        return figures;
    }

    private Path table(Stage stage, int round) throws IOException {
        return Files.createDirectories(dir.resolve("lake").resolve(stage.label()).resolve(roundName(round)));
    }

    private String keptLake(Stage stage) {
        if (!settings.keepLake()) {
            delete(dir.resolve("lake").resolve(stage.label()));
            return null;
        }
        return dir.resolve("lake").resolve(stage.label()).toString();
    }

    private static String roundName(int round) {
        return round == 0 ? "warm-up" : "round-" + round;
    }

    /** The figure a progress line ends with. */
    static String headline(Stage stage, Map<String, Double> f) {
        return switch (stage) {
            case GENERATOR -> String.format(Locale.ROOT, "%,.0f events/s, %.1f MB/s", f.get("events_per_s"),
                    f.get("mb_per_s"));
            case PRODUCER -> String.format(Locale.ROOT, "%,.0f events/s, %,.0f PutRecords/s, p99 %.1f ms, %,.0f failed",
                    f.get("events_per_s"), f.get("put_calls_per_s"), f.get("put_latency_p99_ms"), f.get("failures"));
            case SINK -> String.format(Locale.ROOT, "%,.0f rows/s, %.1f MB/s Parquet, %,.0f commits",
                    f.get("rows_per_s"), f.get("parquet_mb_per_s"), f.get("commits"));
            case COMPACTOR -> String.format(Locale.ROOT, "%.1f MB/s read, %.1f MB per CPU-s, %,.0f -> %,.0f files",
                    f.get("mb_per_s"), f.get("mb_per_cpu_s"), f.get("files_in"), f.get("files_out"));
        };
    }

    private static int scaled(int size, int min) {
        return Math.max(min, (int) Math.ceil(size * WARMUP_FRACTION));
    }

    private static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
