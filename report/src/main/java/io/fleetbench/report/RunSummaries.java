package io.fleetbench.report;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's verdict for CI: {@code junit.xml} (a test case per threshold, class
 * {@code fleetbench.thresholds}, and the audit, class {@code fleetbench.checks}) and {@code summary.md}
 * (one page: verdict, thresholds, key figures).
 */
public final class RunSummaries {
    static final String THRESHOLDS = "fleetbench.thresholds";
    static final String CHECKS = "fleetbench.checks";

    private RunSummaries() {
    }

    /** Writes both files into the run folder. */
    public static void write(RunReport report, Path runDir) throws IOException {
        JUnitXml.write(runDir.resolve("junit.xml"), "fleetbench run " + report.runId(), report.startedAt(),
                report.durationSeconds(), testCases(report));
        Files.writeString(runDir.resolve("summary.md"), markdown(report), StandardCharsets.UTF_8);
    }

    /** The audit first, then every threshold in the profile's order. */
    static List<JUnitXml.TestCase> testCases(RunReport r) {
        List<JUnitXml.TestCase> cases = new ArrayList<>();
        RunReport.Audit a = r.audit();
        if (a == null) {
            cases.add(JUnitXml.TestCase.skipped("audit", CHECKS, "the run has no audit"));
        } else if (a.passed()) {
            cases.add(JUnitXml.TestCase.passed("audit", CHECKS, r.durationSeconds()));
        } else {
            String problems = a.problems() == null ? "" : String.join("; ", a.problems());
            cases.add(JUnitXml.TestCase.failed("audit", CHECKS, r.durationSeconds(),
                    String.format(Locale.ROOT, "audit failed: %,d lost, %,d duplicated: %s", a.lost(), a.duplicated(),
                            problems), problems));
        }
        RunReport.Aborted stop = r.aborted();
        if (stop != null) {
            // Failed while the load ran, which stopped it, even if the same condition holds over the whole run.
            String message = "stopped the load at " + String.format(Locale.ROOT, "%.1f s", stop.atSeconds())
                    + ": observed " + observed(stop.observed()) + ", condition " + stop.threshold() + " "
                    + stop.condition();
            cases.add(JUnitXml.TestCase.failed("abortOnFail " + stop.threshold() + " " + stop.condition(), THRESHOLDS,
                    0, message, message));
        }
        if (r.thresholds() != null) {
            for (RunReport.ThresholdResult t : r.thresholds()) {
                String name = t.metric() + " " + t.condition();
                if (t.passed()) {
                    cases.add(JUnitXml.TestCase.passed(name, THRESHOLDS, 0));
                } else {
                    String message = "observed " + observed(t.observed()) + ", condition " + t.metric() + " "
                            + t.condition();
                    cases.add(JUnitXml.TestCase.failed(name, THRESHOLDS, 0, message, message));
                }
            }
        }
        return cases;
    }

    static String markdown(RunReport r) {
        boolean auditPassed = r.audit() != null && r.audit().passed();
        long failed = r.thresholds() == null ? 0 : r.thresholds().stream().filter(t -> !t.passed()).count();
        RunReport.Aborted stop = r.aborted();
        String verdict = !auditPassed ? "**FAILED**: the audit found problems"
                : stop != null ? "**THRESHOLDS FAILED**: " + stop.threshold() + " " + stop.condition()
                        + " failed while the load ran and stopped it at "
                        + String.format(Locale.ROOT, "%.1f s", stop.atSeconds()) + ", observed " + observed(stop.observed())
                        + (failed > 0 ? "; " + failed + " of " + r.thresholds().size() + " failed at the end" : "")
                : failed > 0 ? "**THRESHOLDS FAILED**: " + failed + " of " + r.thresholds().size()
                : "**PASSED**" + (r.thresholds() == null ? " (no thresholds)" : ": every threshold held");
        Markdown md = new Markdown().heading(1, "fleetbench run " + r.runId())
                .paragraph("Profile `" + r.profile() + "`, started " + r.startedAt() + ", "
                        + String.format(Locale.ROOT, "%.1f s", r.durationSeconds()) + ".")
                .paragraph(verdict);
        if (r.audit() != null && !auditPassed && r.audit().problems() != null) {
            md.bullets(r.audit().problems());
        }
        if (r.thresholds() != null && !r.thresholds().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (RunReport.ThresholdResult t : r.thresholds()) {
                rows.add(List.of(Markdown.code(t.metric()), Markdown.code(t.condition()), observed(t.observed()),
                        t.passed() ? "passed" : "**failed**"));
            }
            md.heading(2, "Thresholds").table(List.of("metric", "condition", "observed", "result"), rows);
        }
        md.heading(2, "Key figures").table(List.of("figure", "value"), figures(r));
        return md.toString();
    }

    private static List<List<String>> figures(RunReport r) {
        List<List<String>> rows = new ArrayList<>();
        RunReport.Producer p = r.producer();
        if (p != null) {
            rows.add(List.of("producer target / sustained rate",
                    String.format(Locale.ROOT, "%,.0f / %,.0f events/s", p.targetRate(), p.sustainedRate())));
            rows.add(List.of("put latency p50 / p99",
                    String.format(Locale.ROOT, "%.1f / %.1f ms", p.putLatencyP50Ms(), p.putLatencyP99Ms())));
            rows.add(List.of("events sent / acknowledged / failed / ambiguous", String.format(Locale.ROOT,
                    "%,d / %,d / %,d / %,d", p.sent(), p.acknowledged(), p.failed(), p.ambiguous())));
            if (p.acknowledgedAfterAmbiguous() > 0) {
                rows.add(List.of("acknowledged after an ambiguous attempt (possibly twice in the stream)",
                        String.format(Locale.ROOT, "%,d", p.acknowledgedAfterAmbiguous())));
            }
            if (p.manifest() != null && !p.manifest().usable()) {
                rows.add(List.of("acknowledgement manifest", "**" + (p.manifest().writes() == 0 ? "missing" : "stale")
                        + "**"));
            }
        }
        RunReport.Http h = r.http();
        if (h != null) {
            rows.add(List.of("HTTP requests: 2xx / 4xx / 5xx / connection errors", String.format(Locale.ROOT,
                    "%,d / %,d / %,d / %,d of %,d to %s", h.status2xx(), h.status4xx(), h.status5xx(),
                    h.connectionErrors(), h.requests(), Markdown.code(h.url()))));
            if (h.ingest() != null) {
                rows.add(List.of("ingestion endpoint: events pushed back, nothing written (503, 429)",
                        String.format(Locale.ROOT, "%,d", h.ingest().backpressure())));
            }
        }
        RunReport.Pipeline l = r.pipeline();
        if (l != null) {
            rows.add(List.of("rows committed", String.format(Locale.ROOT, "%,d (%,.0f rows/s)", l.rowsCommitted(),
                    l.committedRowsPerSecond())));
            if (l.sink() != null && l.sink().busyUsPerRow() != null) {
                rows.add(List.of("sink busy per row", String.format(Locale.ROOT, "%.2f us", l.sink().busyUsPerRow())));
            }
        }
        if (r.tables() != null) {
            double p50 = -1;
            double p99 = -1;
            for (RunReport.Table t : r.tables()) {
                if (t.freshness() != null) {
                    p50 = Math.max(p50, t.freshness().p50Ms());
                    p99 = Math.max(p99, t.freshness().p99Ms());
                }
            }
            if (p99 >= 0) {
                rows.add(List.of("freshness p50 / p99 (worst table)", String.format(Locale.ROOT, "%.0f / %.0f ms", p50, p99)));
            }
        }
        RunReport.Audit a = r.audit();
        if (a != null) {
            rows.add(List.of("audit lost / duplicated / dead letters",
                    String.format(Locale.ROOT, "%,d / %,d / %,d", a.lost(), a.duplicated(), a.deadLetters())));
        }
        return rows;
    }

    private static String observed(Double v) {
        return v == null || v.isNaN() ? "no value" : ReportWriter.number(v);
    }
}
