package io.fleetbench.cli;

import io.fleetbench.regress.CompareInputException;
import io.fleetbench.regress.CompareSettings;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The options {@code compare} and {@code ab} share: which metrics, the tolerances, the confidence. */
final class CompareOptions {
    @Option(names = "--metric", paramLabel = "<key>",
            description = "A metric of the threshold catalogue to compare, label included (repeatable; default: "
                    + "producer.sustained_rate, producer.put_latency_p50_ms, producer.put_latency_p99_ms, "
                    + "pipeline.committed_rows_per_second, sink.freshness_p50_ms, sink.freshness_p99_ms, "
                    + "sink.busy_us_per_row).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--tolerance", paramLabel = "<pct>|<key>=<pct>",
            description = "How far the ratio may be from 1 before it counts: the default for every metric (10%%), or"
                    + " one metric's (repeatable).")
    List<String> tolerances = new ArrayList<>();

    @Option(names = "--confidence", paramLabel = "<level>", defaultValue = "" + CompareSettings.DEFAULT_CONFIDENCE,
            description = "Confidence of the bootstrap intervals (default: ${DEFAULT-VALUE}).")
    double confidence;

    CompareSettings settings() throws CompareInputException {
        return CompareSettings.parse(metrics, tolerances, confidence);
    }
}
