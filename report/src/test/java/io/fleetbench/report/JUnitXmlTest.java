package io.fleetbench.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JUnit XML parses back with the counts, names and messages that went in, special characters included. */
class JUnitXmlTest {
    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void countsAndMessagesSurviveEscaping() throws Exception {
        String xml = JUnitXml.render("fleetbench run r<1>", "2026-11-26T10:00:00Z", 12.5, List.of(
                JUnitXml.TestCase.passed("producer.sustained_rate > 1000", "fleetbench.thresholds", 0),
                JUnitXml.TestCase.failed("producer.put_latency_p99_ms < 2000", "fleetbench.thresholds", 0,
                        "observed 2345.6, condition \"< 2000\" & more", "details <b>\u0001</b>"),
                JUnitXml.TestCase.skipped("sink.busy_us_per_row", "fleetbench.compare", "no value in the baseline")));
        Document d = parse(xml);
        Element suites = d.getDocumentElement();
        assertEquals("testsuites", suites.getTagName());
        assertEquals("3", suites.getAttribute("tests"));
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertEquals("fleetbench run r<1>", suite.getAttribute("name"));
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        assertEquals("12.500", suite.getAttribute("time"));
        NodeList cases = d.getElementsByTagName("testcase");
        assertEquals(3, cases.getLength());
        Element failed = (Element) cases.item(1);
        assertEquals("producer.put_latency_p99_ms < 2000", failed.getAttribute("name"));
        assertEquals("fleetbench.thresholds", failed.getAttribute("classname"));
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        assertEquals("observed 2345.6, condition \"< 2000\" & more", failure.getAttribute("message"));
        assertEquals("details <b>?</b>", failure.getTextContent());
        assertEquals(0, ((Element) cases.item(0)).getElementsByTagName("failure").getLength());
        assertEquals("no value in the baseline",
                ((Element) ((Element) cases.item(2)).getElementsByTagName("skipped").item(0)).getAttribute("message"));
    }

    @Test
    void anInstantIsWrittenAsTheSchemasDateTimeWithoutAZone() {
        assertEquals("2026-11-26T16:57:02", JUnitXml.schemaTimestamp("2026-11-26T16:57:02.509900349Z"));
        assertEquals("2026-11-26T16:57:00", JUnitXml.schemaTimestamp("2026-11-26T16:57:00Z"));
        assertEquals("not a time", JUnitXml.schemaTimestamp("not a time"));
    }
}
