package io.fleetbench.runner.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A run's {@code report.html}: one self-contained file with the charts of the live dashboard over
 * the whole run, the audit, the key figures, the profile and {@code report.json}. The chart library,
 * the script and the data are inlined, so it opens from disk with no network.
 */
public final class ReportPage {
    /** The file's name in the run folder. */
    public static final String FILE = "report.html";
    private static final Pattern END_SCRIPT = Pattern.compile("</script", Pattern.CASE_INSENSITIVE);

    /**
     * What the page shows.
     *
     * @param runId       the run's id
     * @param profile     the profile's name
     * @param profileYaml the profile as written, or null if it could not be read
     * @param auditPassed whether the audit passed; null when the run ended before its audit
     * @param problems    what the audit found, or why the run failed
     * @param thresholds  the profile's thresholds as judged; empty when it has none
     * @param figures     the key figures, in order
     * @param cost        what the load would cost on AWS, or null when the run has no cost estimate
     * @param reportJson  {@code report.json}'s content, or null if the run wrote none
     * @param points      the recorded time series
     */
    public record Content(String runId, String profile, String profileYaml, Boolean auditPassed, List<String> problems,
                          List<Threshold> thresholds, List<Figure> figures, Table cost, String reportJson,
                          List<RunRecorder.Point> points) {
    }

    /** One labelled figure of the report, already formatted. */
    public record Figure(String label, String value) {
    }

    /** One threshold of the profile as judged: the value observed is already formatted ("no value" without one). */
    public record Threshold(String metric, String condition, String observed, boolean passed) {
    }

    /**
     * A table of formatted cells under a heading, with lines of text below it.
     *
     * @param heading the text above the table
     * @param rows    the first row is the header, the first cell of every other row its label
     * @param lines   text after the table
     */
    public record Table(String heading, List<List<String>> rows, List<String> lines) {
    }

    private ReportPage() {
    }

    /** Writes {@code report.html} into the run folder and returns its path. */
    public static Path write(Path runDir, Content content) throws IOException {
        Path file = runDir.resolve(FILE);
        Files.writeString(file, render(content));
        return file;
    }

    static String render(Content c) {
        StringBuilder b = new StringBuilder(256 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>fleetbench run ")
                .append(escape(c.runId())).append("</title>\n<style>\n")
                .append(LiveDashboard.text(LiveDashboard.UPLOT + "uPlot.min.css")).append('\n')
                .append(LiveDashboard.text(LiveDashboard.RESOURCES + "dashboard.css"))
                .append("</style>\n</head>\n<body>\n<h1>fleetbench run ").append(escape(c.runId()))
                .append(": profile ").append(escape(c.profile())).append("</h1>\n");
        if (c.auditPassed() == null) {
            b.append("<p class=\"failed\">The run ended before its audit.</p>\n");
        } else {
            b.append("<p>Audit: <span class=\"").append(c.auditPassed() ? "passed\">passed" : "failed\">failed")
                    .append("</span></p>\n");
        }
        if (!c.problems().isEmpty()) {
            b.append("<ul id=\"problems\">\n");
            c.problems().forEach(p -> b.append("<li>").append(escape(p)).append("</li>\n"));
            b.append("</ul>\n");
        }
        if (!c.thresholds().isEmpty()) {
            long failed = c.thresholds().stream().filter(t -> !t.passed()).count();
            b.append("<p>Thresholds: <span class=\"").append(failed == 0 ? "passed\">all " + c.thresholds().size()
                    + " passed" : "failed\">" + failed + " of " + c.thresholds().size() + " failed").append("</span></p>\n");
            b.append("<table class=\"figures\" id=\"thresholds\">\n<tr><th>metric</th><th>condition</th>"
                    + "<th>observed</th><th>result</th></tr>\n");
            c.thresholds().forEach(t -> b.append("<tr><td>").append(escape(t.metric())).append("</td><td>")
                    .append(escape(t.condition())).append("</td><td class=\"n\">").append(escape(t.observed()))
                    .append("</td><td><span class=\"").append(t.passed() ? "passed\">passed" : "failed\">failed")
                    .append("</span></td></tr>\n"));
            b.append("</table>\n");
        }
        if (!c.figures().isEmpty()) {
            b.append("<table class=\"figures\" id=\"figures\">\n");
            c.figures().forEach(f -> b.append("<tr><th>").append(escape(f.label())).append("</th><td class=\"n\">")
                    .append(escape(f.value())).append("</td></tr>\n"));
            b.append("</table>\n");
        }
        if (c.cost() != null) {
            table(b, "cost", c.cost());
        }
        b.append("<div id=\"charts\"></div>\n");
        if (c.profileYaml() != null) {
            b.append("<h2>Profile</h2>\n<pre id=\"profile\">").append(escape(c.profileYaml())).append("</pre>\n");
        }
        if (c.reportJson() != null) {
            b.append("<details><summary>report.json</summary>\n<pre id=\"report-json\">")
                    .append(escape(c.reportJson())).append("</pre>\n</details>\n");
        }
        b.append("<script>\n").append(script(LiveDashboard.uplotScript())).append("\n</script>\n")
                .append("<script>\nwindow.FLEETBENCH_POINTS = ").append(script(LiveDashboard.json(c.points())))
                .append(";\n</script>\n<script>\n")
                .append(script(LiveDashboard.text(LiveDashboard.RESOURCES + "dashboard.js")))
                .append("\n</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void table(StringBuilder b, String id, Table t) {
        b.append("<h2>").append(escape(t.heading())).append("</h2>\n<table class=\"figures\" id=\"").append(id)
                .append("\">\n");
        for (int i = 0; i < t.rows().size(); i++) {
            List<String> row = t.rows().get(i);
            b.append("<tr>");
            for (int j = 0; j < row.size(); j++) {
                boolean header = i == 0 || j == 0;
                b.append(header ? "<th>" : "<td class=\"n\">").append(escape(row.get(j))).append(header ? "</th>" : "</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        t.lines().forEach(line -> b.append("<p class=\"").append(id).append("\">").append(escape(line)).append("</p>\n"));
    }

    /** Text as HTML character data. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Script text that cannot end its {@code <script>} element early. */
    static String script(String s) {
        return END_SCRIPT.matcher(s).replaceAll("<\\\\/script");
    }
}
