package io.fleetbench.benchmarks.stage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The stages {@code fleetbench bench} measures one at a time, in the order they run. */
public enum Stage {
    /** The fleet generating events, JSON-encoding them and packing them into KPL aggregates per shard; no network. */
    GENERATOR,
    /** The Kinesis producer putting events into a local stream on the emulator. */
    PRODUCER,
    /** The lake sink's shard writers appending recorded records and committing them to Delta. */
    SINK,
    /** The compactor rewriting a table of many small files. */
    COMPACTOR;

    /** The name on the command line and in bench.json, e.g. {@code sink}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every stage's label, comma-separated, in order. */
    public static String labels() {
        return Arrays.stream(values()).map(Stage::label).collect(Collectors.joining(", "));
    }

    /**
     * The stages named in a list such as {@code sink,compactor}, in run order whatever the order given;
     * a name given twice counts once.
     *
     * @throws IllegalArgumentException if a name is not a stage or the list names none; the message names the valid ones
     */
    public static List<Stage> parse(List<String> names) {
        Set<Stage> chosen = EnumSet.noneOf(Stage.class);
        for (String list : names) {
            for (String name : list.split(",", -1)) {
                String n = name.trim();
                Stage stage = Arrays.stream(values()).filter(s -> s.label().equals(n)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown stage \"" + n + "\"; the stages are "
                                + labels()));
                chosen.add(stage);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no stage given; the stages are " + labels());
        }
        return new ArrayList<>(chosen);
    }
}
