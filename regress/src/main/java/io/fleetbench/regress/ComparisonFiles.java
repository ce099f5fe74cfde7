package io.fleetbench.regress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.fleetbench.profile.Threshold;
import io.fleetbench.report.JUnitXml;
import io.fleetbench.report.Markdown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a comparison for people and programs: a text table for the terminal, JSON, one page of
 * Markdown, and JUnit XML with a test case per metric (class {@code fleetbench.compare}).
 */
public final class ComparisonFiles {
    static final String CLASS_NAME = "fleetbench.compare";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> HEADER = List.of("metric", "baseline median", "candidate median", "ratio",
            "interval", "p", "verdict");

    private ComparisonFiles() {
    }

    /**
     * Writes {@code <name>.json}, {@code <name>.md} and {@code junit.xml} into a folder.
     *
     * @param name  {@code compare} or {@code ab}
     * @param json  the object written as JSON (the comparison, or a record that holds it)
     * @param intro Markdown lines about what was compared, placed above the table
     */
    public static void write(Path dir, String name, Comparison c, Object json, List<String> intro, double seconds)
            throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(name + ".json").toFile(), json);
        Files.writeString(dir.resolve(name + ".md"), markdown("fleetbench " + name, c, intro), StandardCharsets.UTF_8);
        JUnitXml.write(dir.resolve("junit.xml"), "fleetbench " + name, null, seconds, testCases(c));
    }

    /** The table printed on the terminal, one line per metric, then the verdict. */
    public static String table(Comparison c) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (MetricComparison m : c.metrics()) {
            rows.add(row(m));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                b.append(i == 0 ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s", cell));
                b.append(i + 1 < r.size() ? "  " : "");
            }
            b.append('\n');
        }
        for (MetricComparison m : c.metrics()) {
            if (m.note() != null) {
                b.append(m.metric()).append(": ").append(m.note()).append('\n');
            }
        }
        b.append(verdict(c)).append('\n');
        return b.toString();
    }

    /** One sentence: regression or not, and which metrics. */
    static String verdict(Comparison c) {
        List<String> regressed = names(c, MetricComparison.Verdict.REGRESSION);
        List<String> improved = names(c, MetricComparison.Verdict.IMPROVEMENT);
        List<String> missing = names(c, MetricComparison.Verdict.MISSING);
        StringBuilder b = new StringBuilder(regressed.isEmpty() ? "verdict: no regression"
                : "verdict: REGRESSION in " + String.join(", ", regressed));
        if (!improved.isEmpty()) {
            b.append("; improved: ").append(String.join(", ", improved));
        }
        if (!missing.isEmpty()) {
            b.append("; not judged (missing): ").append(String.join(", ", missing));
        }
        b.append(String.format(Locale.ROOT, " (%d baseline and %d candidate runs; %s)", c.baselineRuns().size(),
                c.candidateRuns().size(), confidence(c)));
        return b.toString();
    }

    /** The confidence of the intervals, and for several metrics how it is shared among them (Bonferroni). */
    private static String confidence(Comparison c) {
        if (c.metrics().size() <= 1) {
            return String.format(Locale.ROOT, "%.0f %% interval", 100 * c.confidence());
        }
        return String.format(Locale.ROOT, "%.0f %% confidence over the %d metrics together, each interval at %.2f %%,"
                + " Bonferroni", 100 * c.confidence(), c.metrics().size(), 100 * c.perMetricConfidence());
    }

    private static List<String> names(Comparison c, MetricComparison.Verdict v) {
        return c.metrics().stream().filter(m -> m.verdict() == v).map(MetricComparison::metric).toList();
    }

    static String markdown(String title, Comparison c, List<String> intro) {
        Markdown md = new Markdown().heading(1, title);
        md.paragraph(c.regression() ? "**REGRESSION**" : "**No regression**");
        List<String> lines = new ArrayList<>(intro);
        lines.add("baseline: `" + c.baseline() + "` (" + c.baselineRuns().size() + " runs)");
        lines.add("candidate: `" + c.candidate() + "` (" + c.candidateRuns().size() + " runs)");
        md.bullets(lines);
        List<List<String>> rows = new ArrayList<>();
        for (MetricComparison m : c.metrics()) {
            List<String> r = new ArrayList<>(row(m));
            r.set(0, Markdown.code(m.metric()));
            if (m.verdict() == MetricComparison.Verdict.REGRESSION) {
                r.set(6, "**regression**");
            }
            rows.add(r);
        }
        md.table(HEADER, rows);
        List<String> notes = c.metrics().stream().filter(m -> m.note() != null)
                .map(m -> Markdown.code(m.metric()) + ": " + m.note()).toList();
        if (!notes.isEmpty()) {
            md.bullets(notes);
        }
        md.paragraph("Ratio: candidate median over baseline median; interval: percentile bootstrap of that ratio ("
                + confidence(c) + "); p: Mann-Whitney U, two-sided (informative). A metric regresses when its ratio is"
                + " worse than the tolerance allows and the whole interval lies on the worse side of 1.");
        return md.toString();
    }

    static List<JUnitXml.TestCase> testCases(Comparison c) {
        List<JUnitXml.TestCase> cases = new ArrayList<>();
        for (MetricComparison m : c.metrics()) {
            String description = describe(m);
            cases.add(switch (m.verdict()) {
                case REGRESSION -> JUnitXml.TestCase.failed(m.metric(), CLASS_NAME, 0, description, description);
                case MISSING -> JUnitXml.TestCase.skipped(m.metric(), CLASS_NAME, m.note());
                case NO_CHANGE, IMPROVEMENT -> JUnitXml.TestCase.passed(m.metric(), CLASS_NAME, 0);
            });
        }
        return cases;
    }

    /** The observed figures against the rule, as a failure message says them. */
    static String describe(MetricComparison m) {
        if (m.verdict() == MetricComparison.Verdict.MISSING) {
            return m.note();
        }
        String better = m.direction() == Threshold.Direction.LOWER ? "lower" : "higher";
        return String.format(Locale.ROOT, "%s: candidate median %s vs baseline median %s, ratio %s, interval %s, p %s;"
                        + " %s is better, tolerance %.0f %%: %s",
                m.metric(), number(m.candidateMedian()), number(m.baselineMedian()), ratio(m.ratio()), interval(m),
                p(m.p()), better, 100 * m.tolerance(), m.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                + (m.note() == null ? "" : " (" + m.note() + ")");
    }

    private static List<String> row(MetricComparison m) {
        return List.of(m.metric(), number(m.baselineMedian()), number(m.candidateMedian()), ratio(m.ratio()),
                interval(m), p(m.p()), m.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    private static String interval(MetricComparison m) {
        if (m.intervalLow() == null) {
            return "-";
        }
        return "[" + ratio(m.intervalLow()) + ", " + ratio(m.intervalHigh()) + "]";
    }

    private static String number(Double v) {
        if (v == null) {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.3g", v);
    }

    private static String ratio(Double v) {
        if (v == null) {
            return "-";
        }
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String p(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
