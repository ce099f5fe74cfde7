package io.fleetbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.runner.CapturedOutput;
import io.fleetbench.report.ExitCode;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.TestReports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fleetbench compare} over stored reports: verdicts, files written, and bad input. */
class CompareCommandTest {
    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    @TempDir
    Path dir;

    /** A folder of run folders, one per busy figure. */
    private Path side(String name, double... busy) throws Exception {
        Path side = dir.resolve(name);
        for (int i = 0; i < busy.length; i++) {
            Path run = Files.createDirectories(side.resolve("run-" + i));
            ReportWriter.write(TestReports.report(name + i, 2000 + i, 300 + i, busy[i]), run);
        }
        return side;
    }

    @Test
    void aSlowerSinkIsARegressionWithFilesForCi() throws Exception {
        Path base = side("base", 10.0, 10.3, 9.8, 10.1, 9.9);
        Path cand = side("cand", 13.0, 13.2, 12.9, 13.4, 12.8);
        Path out = dir.resolve("out");
        int exit = Main.execute("compare", cand.toString(), base.toString(), "--out-dir", out.toString());
        String printed = output.out();
        assertEquals(ExitCode.REGRESSION, exit, printed + output.err());
        assertTrue(printed.contains("verdict: REGRESSION in sink.busy_us_per_row"), printed);

        JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        JsonNode busy = null;
        for (JsonNode m : json.get("metrics")) {
            if (m.get("metric").asText().equals("sink.busy_us_per_row")) {
                busy = m;
            }
        }
        assertEquals("REGRESSION", busy.get("verdict").asText());
        assertEquals(5, busy.get("baseline").size());
        assertTrue(busy.get("interval_low").asDouble() > 1, busy.toString());
        assertTrue(Files.readString(out.resolve("compare.md")).contains("**regression**"));

        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
        Element suite = (Element) junit.getElementsByTagName("testsuite").item(0);
        assertEquals("7", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        NodeList failures = junit.getElementsByTagName("failure");
        assertEquals(1, failures.getLength());
        Element testcase = (Element) failures.item(0).getParentNode();
        assertEquals("sink.busy_us_per_row", testcase.getAttribute("name"));
        assertEquals("fleetbench.compare", testcase.getAttribute("classname"));
        assertTrue(((Element) failures.item(0)).getAttribute("message").contains("ratio 1.3"),
                ((Element) failures.item(0)).getAttribute("message"));
    }

    @Test
    void theSameRunsAreNoRegression() throws Exception {
        Path base = side("base", 10.0, 10.3, 9.8);
        assertEquals(ExitCode.OK, Main.execute("compare", base.toString(), base.toString(), "--out-dir",
                dir.resolve("out").toString(), "--metric", "sink.busy_us_per_row", "--metric",
                "sink.freshness_p99_ms{table=car_telemetry}"));
        String printed = output.out();
        assertTrue(printed.contains("verdict: no regression"), printed);
        assertTrue(printed.contains("sink.freshness_p99_ms{table=car_telemetry}"), printed);
    }

    @Test
    void aMetricMissingOnASideIsReportedMissingAndNotPassed() throws Exception {
        Path base = Files.createDirectories(dir.resolve("old"));
        ReportWriter.write(TestReports.report("old", 2000, 300, null), base);
        Path cand = side("cand", 13.0, 13.2);
        Path out = dir.resolve("out");
        // The other metric is judged; a comparison that judged none would exit 1 (see below).
        assertEquals(ExitCode.OK, Main.execute("compare", cand.toString(), base.resolve("report.json").toString(),
                "--out-dir", out.toString(), "--metric", "sink.busy_us_per_row", "--metric", "producer.sustained_rate"));
        assertTrue(output.out().contains("not judged (missing): sink.busy_us_per_row"));
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
        assertEquals(1, junit.getElementsByTagName("skipped").getLength());
    }

    @Test
    void runsWithoutAValueAreLeftOutAndSaidSo() throws Exception {
        Path base = side("base", 10.0, 10.2, 9.9);
        ReportWriter.write(TestReports.report("old", 2000, 300, null), Files.createDirectories(base.resolve("run-old")));
        assertEquals(ExitCode.OK, Main.execute("compare", side("cand", 10.1, 9.8).toString(), base.toString(),
                "--out-dir", dir.resolve("out").toString(), "--metric", "sink.busy_us_per_row"));
        assertTrue(output.out().contains("sink.busy_us_per_row: no value in 1 of 4 baseline runs, judged without them"),
                output.out());
    }

    @Test
    void badInputExitsTwoNamingWhatIsWrong() throws Exception {
        Path base = side("base", 10.0);
        Path missing = dir.resolve("nowhere");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compare", missing.toString(), base.toString()));
        assertTrue(output.err().contains("candidate " + missing + " does not exist"), output.err());

        Path notJson = Files.writeString(dir.resolve("report.json"), "{ not json");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compare", notJson.toString(), base.toString()));
        assertTrue(output.err().contains("candidate " + notJson + " is not a readable run report"), output.err());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compare", base.toString(), empty.toString()));
        assertTrue(output.err().contains("baseline " + empty + " holds no report.json"), output.err());

        assertEquals(ExitCode.BAD_INPUT, Main.execute("compare", base.toString(), base.toString(), "--metric",
                "sink.busy"));
        assertTrue(output.err().contains("--metric: metric \"sink.busy\" names no metric"), output.err());

        Path out = dir.resolve("out");
        assertEquals(ExitCode.BAD_INPUT, Main.execute("compare", base.toString(), base.toString(), "--tolerance",
                "lots", "--out-dir", out.toString()));
        assertTrue(output.err().contains("--tolerance must be a percentage"), output.err());
        assertFalse(Files.exists(out), "nothing is written for bad input");
    }

    @Test
    void aComparisonThatCouldJudgeNoMetricPassesNothing() throws Exception {
        Path base = side("base", 10.0, 11.0);
        Path cand = side("cand", 10.0, 11.0);
        // The reports have freshness for car_telemetry only.
        assertEquals(ExitCode.ERROR, Main.execute("compare", cand.toString(), base.toString(), "--metric",
                "sink.freshness_p99_ms{table=bike_metrics}", "--out-dir", dir.resolve("out").toString()));
        assertTrue(output.err().contains("no metric could be judged"), output.err());
    }
}
