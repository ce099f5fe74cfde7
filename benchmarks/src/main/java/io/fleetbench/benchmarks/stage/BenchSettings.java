package io.fleetbench.benchmarks.stage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code fleetbench bench} measures and how much of it.
 *
 * @param stages               the stages to run, in run order
 * @param rounds               measured rounds per stage, at least 1; each stage first runs a warm-up round a tenth
 *                             the size that is not counted
 * @param seed                 the fleet's seed: every round of every stage sees the same events
 * @param events               events per round of the generator stage, and records per round of the sink stage
 *                             (the generator's events, recorded once); at least 1
 * @param shards               shards of the stream (and of the producer's aggregation and the sink's writers); 1 to 64
 * @param producerEvents       events per round of the producer stage; at least 1
 * @param aggregation          whether the producer packs events into KPL aggregates, as the generator stage always does
 * @param sinkBatch            records each shard writer of the sink stage appends between two flushes; at least 1
 * @param compactorFiles       small files the compactor stage starts from (sink flushes); at least 2
 * @param compactorRowsPerFile rows per small file of the compactor stage; at least 1
 * @param kinesisPort          the emulator's Kinesis port for the producer stage, 0 for a free one
 * @param dynamoPort           the emulator's DynamoDB port (started with the stack, unused), 0 for a free one
 * @param keepLake             keep the tables of the sink and compactor stages under the bench folder instead of
 *                             deleting them after each round
 */
public record BenchSettings(List<Stage> stages, int rounds, long seed, int events, int shards, int producerEvents,
                            boolean aggregation, int sinkBatch, int compactorFiles, int compactorRowsPerFile,
                            int kinesisPort, int dynamoPort, boolean keepLake) {
    /** Most shards a bench stream may have. */
    public static final int MAX_SHARDS = 64;

    /** @throws IllegalArgumentException naming the option and the value found if a value is out of range */
    public BenchSettings {
        stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("--stages must name at least one stage; the stages are " + Stage.labels());
        }
        atLeast("--rounds", rounds, 1);
        atLeast("--events", events, 1);
        atLeast("--producer-events", producerEvents, 1);
        atLeast("--sink-batch", sinkBatch, 1);
        atLeast("--compactor-files", compactorFiles, 2);
        atLeast("--compactor-rows-per-file", compactorRowsPerFile, 1);
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("--shards must be in [1, " + MAX_SHARDS + "], found " + shards);
        }
        port("--kinesis-port", kinesisPort);
        port("--dynamodb-port", dynamoPort);
        if (kinesisPort != 0 && kinesisPort == dynamoPort) {
            throw new IllegalArgumentException("--kinesis-port and --dynamodb-port must differ, found " + kinesisPort
                    + " for both");
        }
    }

    /** The settings of one stage as they go into bench.json. */
    Map<String, Object> of(Stage stage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("warmup_fraction", Bench.WARMUP_FRACTION);
        m.put("rounds", rounds);
        switch (stage) {
            case GENERATOR -> {
                m.put("events", events);
                m.put("shards", shards);
            }
            case PRODUCER -> {
                m.put("events", producerEvents);
                m.put("shards", shards);
                m.put("aggregation", aggregation);
            }
            case SINK -> {
                m.put("records", events);
                m.put("shards", shards);
                m.put("batch", sinkBatch);
            }
            case COMPACTOR -> {
                m.put("files", compactorFiles);
                m.put("rows_per_file", compactorRowsPerFile);
            }
        }
        return m;
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", found " + value);
        }
    }

    private static void port(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " must be in [0, 65535] (0: a free port), found " + port);
        }
    }
}
