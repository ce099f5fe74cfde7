package io.fleetbench.harness.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a run's report twice: {@code report.json} for programs and {@code summary.txt} for people. */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    /** Writes both files into the run folder and returns the summary text. */
    public static String write(RunReport report, Path runDir) throws IOException {
        JSON.writeValue(runDir.resolve("report.json").toFile(), report);
        String summary = summary(report);
        Files.writeString(runDir.resolve("summary.txt"), summary);
        return summary;
    }

    /** Reads a report written by {@link #write}. */
    public static RunReport read(Path reportJson) throws IOException {
        return JSON.readValue(reportJson.toFile(), RunReport.class);
    }

    static String summary(RunReport r) {
        StringBuilder b = new StringBuilder();
        RunReport.Producer p = r.producer();
        RunReport.Pipeline l = r.pipeline();
        b.append(String.format(Locale.ROOT, "run %s: profile %s, %.1f s%n", r.runId(), r.profile(), r.durationSeconds()));
        b.append(String.format(Locale.ROOT,
                "producer: target %,.0f/s, sustained %,.0f/s; sent %,d, acknowledged %,d, failed %,d, shortfall %,d; "
                        + "put latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                p.targetRate(), p.sustainedRate(), p.sent(), p.acknowledged(), p.failed(), p.shortfall(),
                p.putLatencyP50Ms(), p.putLatencyP99Ms(), p.putLatencyMaxMs()));
        b.append(String.format(Locale.ROOT,
                "pipeline: stream %s (%d shards, %s); first lease after %s, first row after %s of the run; "
                        + "drain %.1f s; %,d rows committed, %,d invalid records%n",
                l.stream(), l.shards(), l.streamEmulator(), seconds(l.timeToFirstLeaseSeconds()),
                seconds(l.timeToFirstRowSeconds()), l.drainSeconds(), l.rowsCommitted(), l.invalidRecords()));
        for (RunReport.Table t : r.tables()) {
            b.append(String.format(Locale.ROOT, "table %s: %,d rows, %,d distinct event ids, %,d files, %,d bytes%n",
                    t.name(), t.rows(), t.distinctEventIds(), t.files(), t.bytes()));
        }
        RunReport.Audit a = r.audit();
        b.append(String.format(Locale.ROOT, "audit: %s: %,d acknowledged, %,d distinct in the lake, %,d lost, %,d duplicated%n",
                a.passed() ? "PASSED" : "FAILED", a.acknowledged(), a.distinctEventIds(), a.lost(), a.duplicated()));
        for (String problem : a.problems()) {
            b.append("  - ").append(problem).append(System.lineSeparator());
        }
        return b.toString();
    }

    private static String seconds(Double s) {
        return s == null ? "never" : String.format(Locale.ROOT, "%.1f s", s);
    }
}
