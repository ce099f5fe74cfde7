package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.ProgressBar;

import io.fleetbench.benchmarks.stage.Bench;
import io.fleetbench.benchmarks.stage.BenchProgress;
import io.fleetbench.benchmarks.stage.BenchReport;
import io.fleetbench.benchmarks.stage.BenchSettings;
import io.fleetbench.benchmarks.stage.Stage;
import io.fleetbench.localstack.ProjectHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code fleetbench bench}: measures each stage of the pipeline alone and writes bench.json and bench.txt. */
@Command(name = "bench", description = {
        "Measure each stage of the pipeline alone, so that a regression in one stage is not hidden behind the slowest: "
                + "generator (the fleet generating, JSON-encoding and KPL-aggregating events; no network), producer "
                + "(the Kinesis producer putting events into a local stream on the emulator), sink (the lake sink's "
                + "shard writers committing recorded records to a Delta table) and compactor (the compactor on a table "
                + "of many small files).",
        "Each stage runs a warm-up round a tenth the size that is not counted, then --rounds measured rounds with the "
                + "same seed; bench.json and bench.txt give each round's figures and their medians."})
final class BenchCommand implements Callable<Integer> {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--stages", paramLabel = "<stage>[,<stage>...]", split = ",",
            description = "The stages to run, in the order generator, producer, sink, compactor whatever the order "
                    + "given (default: all).")
    List<String> stages = List.of(Stage.labels().split(", "));

    @Option(names = "--rounds", paramLabel = "<n>", defaultValue = "3",
            description = "Measured rounds per stage; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", paramLabel = "<n>", defaultValue = "42",
            description = "The fleet's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--events", paramLabel = "<n>", defaultValue = "200000",
            description = "Events per round of the generator stage, and records per round of the sink stage "
                    + "(default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--shards", paramLabel = "<n>", defaultValue = "4",
            description = "Shards of the stream, of the generator's aggregation and of the sink's writers "
                    + "(default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--producer-events", paramLabel = "<n>", defaultValue = "200000",
            description = "Events per round of the producer stage (default: ${DEFAULT-VALUE}).")
    int producerEvents;

    @Option(names = "--aggregation", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = "Whether the producer stage packs events into KPL aggregates (default: ${DEFAULT-VALUE}).")
    boolean aggregation;

    @Option(names = "--sink-batch", paramLabel = "<n>", defaultValue = "25000",
            description = "Records each shard writer of the sink stage appends between flushes (default: ${DEFAULT-VALUE}).")
    int sinkBatch;

    @Option(names = "--compactor-files", paramLabel = "<n>", defaultValue = "100",
            description = "Small files the compactor stage compacts (default: ${DEFAULT-VALUE}).")
    int compactorFiles;

    @Option(names = "--compactor-rows-per-file", paramLabel = "<n>", defaultValue = "2000",
            description = "Rows per small file of the compactor stage (default: ${DEFAULT-VALUE}).")
    int compactorRowsPerFile;

    @Option(names = "--kinesis-port", paramLabel = "<port>", defaultValue = "0",
            description = "Kinesis port of the emulator the producer stage starts, 0 for a free one (default: ${DEFAULT-VALUE}).")
    int kinesisPort;

    @Option(names = "--dynamodb-port", paramLabel = "<port>", defaultValue = "0",
            description = "DynamoDB port of the emulator stack, 0 for a free one (default: ${DEFAULT-VALUE}).")
    int dynamoPort;

    @Option(names = "--keep-lake", description = "Keep the tables of the sink and compactor stages under the bench "
            + "folder's lake/ instead of deleting them after each round.")
    boolean keepLake;

    @Option(names = "--runs-dir", paramLabel = "<dir>", description = "Where the bench folder goes (default: runs/ in "
            + "the project).")
    Path runsDir;

    @Override
    public Integer call() throws Exception {
        List<Stage> chosen;
        try {
            chosen = Stage.parse(stages);
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench: bench: --stages: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        BenchSettings settings;
        try {
            settings = new BenchSettings(chosen, rounds, seed, events, shards, producerEvents, aggregation, sinkBatch,
                    compactorFiles, compactorRowsPerFile, kinesisPort, dynamoPort, keepLake);
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench: bench: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        Path home = ProjectHome.locate();
        String id = "bench-" + LocalDateTime.now().format(ID);
        Path dir = (runsDir != null ? runsDir : home.resolve("runs")).resolve(id).toAbsolutePath();
        Files.createDirectories(dir);
        // Before the first logger exists: library logs go to the bench folder, not over the progress line.
        System.setProperty("org.slf4j.simpleLogger.logFile", dir.resolve("fleetbench.log").toString());
        System.out.printf("%s: stages %s, %d rounds each; folder %s%n", id,
                String.join(", ", settings.stages().stream().map(Stage::label).toList()), settings.rounds(), dir);
        Bench.Result result = new Bench(settings, home, dir, System.err).run(id, new Bars());
        System.out.print(BenchReport.write(result, dir));
        System.out.println("bench: " + dir.resolve("bench.json"));
        return ExitCode.OK;
    }

    /** One progress line on standard error per round. */
    private static final class Bars implements BenchProgress {
        private ProgressBar bar;

        @Override
        public void started(String label) {
            bar = ProgressBar.onConsole(label);
        }

        @Override
        public void update(long done, long total, String unit) {
            bar.update(done, total, unit, "");
        }

        @Override
        public void finished(long done, long total, String unit, String detail) {
            bar.finish(done, total, unit, detail);
        }
    }
}
