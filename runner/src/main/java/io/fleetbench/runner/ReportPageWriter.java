package io.fleetbench.runner;

import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;

import io.fleetbench.report.cost.CostReport;
import io.fleetbench.report.cost.CostText;
import io.fleetbench.runner.live.ReportPage;
import io.fleetbench.runner.live.RunRecorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a run's {@code report.html} from its report (or its failure) and its recorded time series. */
final class ReportPageWriter {
    private ReportPageWriter() {
    }

    /**
     * Writes {@code report.html} into the run folder.
     *
     * @param report  the run's report; null when the run failed before it had one
     * @param failure why the run failed; null when it did not
     */
    static Path write(Path runDir, String runId, String profileName, Path profileFile, RunReport report,
                      Throwable failure, List<RunRecorder.Point> points) throws IOException {
        String yaml;
        try {
            yaml = Files.readString(profileFile);
        } catch (IOException e) {
            yaml = null;
        }
        List<String> problems = new ArrayList<>();
        if (failure != null) {
            problems.add("the run failed: " + failure.getMessage());
        }
        if (report != null) {
            problems.addAll(report.audit().problems());
        }
        ReportPage.Content content = new ReportPage.Content(runId, profileName, yaml,
                report == null ? null : report.audit().passed(), problems,
                report == null ? List.of() : thresholds(report), report == null ? List.of() : figures(report),
                report == null || report.cost() == null ? null : cost(report.cost()),
                report == null ? null : ReportWriter.json(report), points);
        return ReportPage.write(runDir, content);
    }

    /** The figures a reader looks at first; the rest is in report.json, which the page also holds. */
    static List<ReportPage.Figure> figures(RunReport r) {
        List<ReportPage.Figure> f = new ArrayList<>();
        RunReport.Producer p = r.producer();
        f.add(fig("duration", "%.1f s", r.durationSeconds()));
        f.add(fig("target rate", "%,.0f events/s", p.targetRate()));
        f.add(fig("sustained rate", "%,.0f events/s", p.sustainedRate()));
        f.add(fig("sent / acknowledged / failed / ambiguous", "%,d / %,d / %,d / %,d", p.sent(), p.acknowledged(),
                p.failed(), p.ambiguous()));
        if (p.acknowledgedAfterAmbiguous() > 0) {
            f.add(fig("acknowledged after an ambiguous attempt", "%,d (possibly in the stream twice)",
                    p.acknowledgedAfterAmbiguous()));
        }
        if (p.reaggregated() > 0) {
            f.add(fig("re-aggregated after a reshard", "%,d events sent again", p.reaggregated()));
        }
        if (p.manifest() != null) {
            RunReport.Manifest m = p.manifest();
            f.add(m.usable() ? fig("acknowledgement manifest", "%s, complete, %,d bytes", m.file(), m.bytes())
                    : fig("acknowledgement manifest", "%s %s", m.file(), m.writes() == 0 ? "missing" : "stale"));
        }
        f.add(fig("shortfall", "%,d events", p.shortfall()));
        f.add(fig("put latency p50 / p99 / max", "%.1f / %.1f / %.1f ms", p.putLatencyP50Ms(), p.putLatencyP99Ms(),
                p.putLatencyMaxMs()));
        RunReport.Pipeline l = r.pipeline();
        if (l != null) {
            f.add(fig("stream", "%s, %d shards, %s", l.stream(), l.shards(), l.streamEmulator()));
            f.add(fig("rows committed / invalid records", "%,d / %,d", l.rowsCommitted(), l.invalidRecords()));
            f.add(fig("committed rows per second", "%,.0f", l.committedRowsPerSecond()));
            f.add(fig("drain", "%.1f s", l.drainSeconds()));
            if (l.sink() != null) {
                f.add(fig("Delta commits, flush p99", "%,d, %.0f ms", l.sink().commits(), l.sink().flushLatencyP99Ms()));
            }
        }
        for (RunReport.Table t : r.tables()) {
            if (t.freshness() != null) {
                f.add(fig("freshness " + t.name() + " p50 / p99", "%.0f / %.0f ms", t.freshness().p50Ms(),
                        t.freshness().p99Ms()));
            }
        }
        if (r.lake() != null && r.lake().all() != null) {
            RunReport.Partitions a = r.lake().all();
            f.add(fig("lake files / small files", "%,d / %,d (%.1f%% of the bytes small)", a.files(), a.smallFiles(),
                    100 * a.smallBytesShare()));
        }
        RunReport.Audit a = r.audit();
        f.add(fig("audit: lost / duplicated / dead letters", "%,d / %,d / %,d", a.lost(), a.duplicated(),
                a.deadLetters()));
        return f;
    }

    /**
     * The judged thresholds as the page lists them, after the abortOnFail condition that stopped the load if
     * one did (failed, even if it holds over the whole run); none when the profile has none.
     */
    static List<ReportPage.Threshold> thresholds(RunReport r) {
        List<ReportPage.Threshold> rows = new ArrayList<>();
        RunReport.Aborted stop = r.aborted();
        if (stop != null) {
            rows.add(new ReportPage.Threshold("abortOnFail " + stop.threshold(), stop.condition(),
                    ReportWriter.number(stop.observed()) + String.format(Locale.ROOT, " at %.1f s: stopped the load",
                            stop.atSeconds()), false));
        }
        if (r.thresholds() != null) {
            r.thresholds().forEach(t -> rows.add(new ReportPage.Threshold(t.metric(), t.condition(),
                    t.observed() == null ? "no value" : ReportWriter.number(t.observed()), t.passed())));
        }
        return List.copyOf(rows);
    }

    /** The cost estimate as a table of both producer settings, with the lake and the notes below it. */
    static ReportPage.Table cost(CostReport c) {
        List<String> lines = new ArrayList<>();
        lines.add(CostText.heading(c));
        if (c.lake() != null) {
            lines.add(CostText.lake(c.lake()));
        }
        lines.addAll(c.notes());
        return new ReportPage.Table("Cost on AWS", CostText.rows(c), lines);
    }

    private static ReportPage.Figure fig(String label, String format, Object... args) {
        return new ReportPage.Figure(label, String.format(Locale.ROOT, format, args));
    }
}
