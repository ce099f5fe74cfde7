package io.fleetbench.benchmarks.stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one stage measured: its settings, the figures of each measured round (warm-up excluded) and
 * the median of each figure over the rounds.
 *
 * @param stage    the stage
 * @param settings its settings, as they go into bench.json
 * @param rounds   per measured round, figure name to value, in the same names and order each round
 * @param lake     where its tables were kept ({@code --keep-lake}), or null
 */
public record StageResult(Stage stage, Map<String, Object> settings, List<Map<String, Double>> rounds, String lake) {

    public StageResult {
        settings = new LinkedHashMap<>(settings);
        rounds = List.copyOf(rounds);
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("a stage result needs at least one round, found none for " + stage.label());
        }
    }

    /** The median of each figure over the rounds (the mean of the middle two for an even count). */
    public Map<String, Double> medians() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String name : rounds.get(0).keySet()) {
            List<Double> v = new ArrayList<>();
            for (Map<String, Double> r : rounds) {
                v.add(r.get(name));
            }
            m.put(name, median(v));
        }
        return m;
    }

    /** The median of the values (the mean of the middle two for an even count); at least one value. */
    public static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
