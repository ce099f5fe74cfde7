package io.fleetbench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's junit.xml (a case per threshold and the audit) and summary.md. */
class RunSummariesTest {
    @TempDir
    Path dir;

    @Test
    void everyThresholdAndTheAuditIsATestCase() throws Exception {
        RunReport report = TestReports.report("r1", 1990, 2345.6, 12.0).withThresholds(List.of(
                new RunReport.ThresholdResult("producer.sustained_rate", "> 1900", 1990.0, true),
                new RunReport.ThresholdResult("producer.put_latency_p99_ms", "< 2000", 2345.6, false),
                new RunReport.ThresholdResult("lake.small_bytes_share", "< 0.5", null, false)));
        RunSummaries.write(report, dir);

        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        NodeList cases = d.getElementsByTagName("testcase");
        Element audit = (Element) cases.item(0);
        assertEquals("audit", audit.getAttribute("name"));
        assertEquals("fleetbench.checks", audit.getAttribute("classname"));
        Element p99 = (Element) cases.item(2);
        assertEquals("producer.put_latency_p99_ms < 2000", p99.getAttribute("name"));
        assertEquals("fleetbench.thresholds", p99.getAttribute("classname"));
        assertEquals("observed 2345.6, condition producer.put_latency_p99_ms < 2000",
                ((Element) p99.getElementsByTagName("failure").item(0)).getAttribute("message"));
        assertEquals("observed no value, condition lake.small_bytes_share < 0.5",
                ((Element) ((Element) cases.item(3)).getElementsByTagName("failure").item(0)).getAttribute("message"));

        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("**THRESHOLDS FAILED**: 2 of 3"), md);
        assertTrue(md.contains("| `producer.put_latency_p99_ms` | `< 2000` | 2345.6 | **failed** |"), md);
        assertTrue(md.contains("| sink busy per row | 12.00 us |"), md);
    }

    @Test
    void anAbortFailsItsOwnTestCaseEvenWhenItsConditionHoldsOverTheWholeRun() throws Exception {
        RunReport report = TestReports.report("r3", 1990, 300, 12.0).withThresholds(List.of(
                new RunReport.ThresholdResult("producer.put_latency_p99_ms", "< 1000", 300.0, true)))
                .withAborted(new RunReport.Aborted("producer.put_latency_p99_ms", "< 1000", 1500.0, 4.0));
        RunSummaries.write(report, dir);

        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        Element abort = (Element) d.getElementsByTagName("testcase").item(1);
        assertEquals("abortOnFail producer.put_latency_p99_ms < 1000", abort.getAttribute("name"));
        assertEquals("stopped the load at 4.0 s: observed 1500, condition producer.put_latency_p99_ms < 1000",
                ((Element) abort.getElementsByTagName("failure").item(0)).getAttribute("message"));
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("**THRESHOLDS FAILED**: producer.put_latency_p99_ms < 1000 failed while the load ran"
                + " and stopped it at 4.0 s, observed 1500"), md);
    }

    @Test
    void aFailedAuditFailsItsTestCase() throws Exception {
        RunReport ok = TestReports.report("r2", 1990, 300, 12.0);
        RunReport.Audit a = ok.audit();
        RunReport failed = new RunReport(ok.runId(), ok.profile(), ok.profileFile(), ok.startedAt(), ok.durationSeconds(),
                ok.producer(), ok.load(), ok.shardLoad(), ok.pipeline(), ok.tables(), ok.lake(),
                new RunReport.Audit(false, true, a.acknowledged(), 8, 8, 2, 0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 0, 0,
                        0, 0L, 0, true, List.of(), List.of(), List.of("2 events lost")));
        RunSummaries.write(failed, dir);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        Element failure = (Element) d.getElementsByTagName("failure").item(0);
        assertEquals("audit failed: 2 lost, 0 duplicated: 2 events lost", failure.getAttribute("message"));
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("**FAILED**: the audit found problems"));
    }
}
