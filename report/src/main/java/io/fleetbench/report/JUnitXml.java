package io.fleetbench.report;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a JUnit XML report, the format CI systems (GitHub Actions, GitLab, Jenkins) show as test results:
 * one {@code <testsuites>} holding one {@code <testsuite>} with a {@code <testcase>} per check, each
 * passed, failed (with a message) or skipped (with the reason nothing was judged).
 */
public final class JUnitXml {
    private JUnitXml() {
    }

    /** How a test case ended. */
    public enum Outcome {
        PASSED, FAILED, SKIPPED
    }

    /**
     * One test case.
     *
     * @param name      what was checked, such as {@code producer.put_latency_p99_ms < 2000}
     * @param className the group, such as {@code fleetbench.thresholds}
     * @param seconds   how long it took, 0 for a check of figures already measured
     * @param message   for a failed case, the observed value against the condition; for a skipped one, why;
     *                  null for a passed one
     * @param details   more text for a failed or skipped case, or null
     */
    public record TestCase(String name, String className, double seconds, Outcome outcome, String message,
                           String details) {
        public TestCase {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** A passed case. */
        public static TestCase passed(String name, String className, double seconds) {
            return new TestCase(name, className, seconds, Outcome.PASSED, null, null);
        }

        /** A failed case with its message. */
        public static TestCase failed(String name, String className, double seconds, String message, String details) {
            return new TestCase(name, className, seconds, Outcome.FAILED, message, details);
        }

        /** A case that could not be judged, with the reason. */
        public static TestCase skipped(String name, String className, String message) {
            return new TestCase(name, className, 0, Outcome.SKIPPED, message, null);
        }
    }

    private static final DateTimeFormatter SCHEMA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

    /**
     * JUnit's schema takes a date-time without a zone: an instant ({@code 2026-11-26T16:57:02.5Z}) is written
     * in UTC to the second ({@code 2026-11-26T16:57:02}); anything else as given.
     */
    static String schemaTimestamp(String timestamp) {
        try {
            return SCHEMA_TIME.format(LocalDateTime.ofInstant(Instant.parse(timestamp), ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return timestamp;
        }
    }

    /** The name and counts that {@code testsuites} and {@code testsuite} both carry. */
    private static void totals(XMLStreamWriter x, String name, int tests, long failures, long skipped, double seconds)
            throws XMLStreamException {
        attr(x, "name", name);
        x.writeAttribute("tests", Integer.toString(tests));
        x.writeAttribute("failures", Long.toString(failures));
        x.writeAttribute("errors", "0");
        x.writeAttribute("skipped", Long.toString(skipped));
        x.writeAttribute("time", time(seconds));
    }

    /** The document for one suite of cases. */
    public static String render(String suiteName, String timestamp, double seconds, List<TestCase> cases) {
        long failures = cases.stream().filter(c -> c.outcome() == Outcome.FAILED).count();
        long skipped = cases.stream().filter(c -> c.outcome() == Outcome.SKIPPED).count();
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            totals(x, suiteName, cases.size(), failures, skipped, seconds);
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            totals(x, suiteName, cases.size(), failures, skipped, seconds);
            if (timestamp != null) {
                attr(x, "timestamp", schemaTimestamp(timestamp));
            }
            for (TestCase c : cases) {
                x.writeCharacters("\n    ");
                x.writeStartElement("testcase");
                attr(x, "name", c.name());
                attr(x, "classname", c.className());
                x.writeAttribute("time", time(c.seconds()));
                if (c.outcome() != Outcome.PASSED) {
                    x.writeCharacters("\n      ");
                    x.writeStartElement(c.outcome() == Outcome.FAILED ? "failure" : "skipped");
                    if (c.message() != null) {
                        attr(x, "message", c.message());
                    }
                    if (c.outcome() == Outcome.FAILED) {
                        x.writeAttribute("type", "fleetbench");
                    }
                    String text = c.details() != null ? c.details() : c.message();
                    if (text != null && c.outcome() == Outcome.FAILED) {
                        x.writeCharacters(clean(text));
                    }
                    x.writeEndElement();
                    x.writeCharacters("\n    ");
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit XML of " + suiteName, e);
        }
        return out.toString();
    }

    /** Writes {@link #render} to a file in UTF-8. */
    public static void write(Path file, String suiteName, String timestamp, double seconds, List<TestCase> cases)
            throws IOException {
        Files.writeString(file, render(suiteName, timestamp, seconds, cases), StandardCharsets.UTF_8);
    }

    private static void attr(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeAttribute(name, clean(value));
    }

    /** Drops characters XML 1.0 cannot hold at all (control characters other than tab and line breaks). */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            b.appendCodePoint(allowed ? cp : '?');
        });
        return b.toString();
    }

    private static String time(double seconds) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, seconds));
    }
}
