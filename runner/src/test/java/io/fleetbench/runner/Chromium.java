package io.fleetbench.runner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headless Chromium (Debian's {@code chromium} package) for tests of pages: the DOM after the
 * page's scripts ran, and screenshots. A test that uses it calls {@code RequiredTool.CHROMIUM.require()}
 * first, so that a missing browser skips or fails it before it does anything else.
 */
final class Chromium {
    private static final Pattern CHART = Pattern.compile("<section[^>]*class=\"chart\"[^>]*>");

    private Chromium() {
    }

    /** A chart element of a page as drawn: its id, whether uPlot drew it, and the values it drew. */
    record Chart(String id, boolean drawn, int points) {
    }

    /** The DOM after the page's scripts had {@code budgetMillis} of virtual time. */
    static String dumpDom(String url, int budgetMillis) throws Exception {
        return run("--virtual-time-budget=" + budgetMillis, "--dump-dom", url).stdout();
    }

    /**
     * The DOM of a page that follows an event stream, once it loaded or after {@code millis}: a page
     * with an open stream never goes idle, so virtual time would never reach the dump.
     */
    static String dumpDomLive(String url, int millis) throws Exception {
        return run("--timeout=" + millis, "--dump-dom", url).stdout();
    }

    /** A screenshot of a page that loads completely, 1400 by 2000 pixels, after its scripts had virtual time. */
    static void screenshot(String url, Path png, int budgetMillis) throws Exception {
        screenshot(png, "--virtual-time-budget=" + budgetMillis, url);
    }

    /** A screenshot of a page that follows an event stream, once it loaded or after {@code millis}. */
    static void screenshotLive(String url, Path png, int millis) throws Exception {
        screenshot(png, "--timeout=" + millis, url);
    }

    private static void screenshot(Path png, String wait, String url) throws Exception {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        Output out = run(wait, "--window-size=1400,2000", "--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(), url);
        assertTrue(Files.isRegularFile(png) && Files.size(png) > 10_000,
                () -> "no screenshot of " + url + " in " + png + ": " + out.stderr());
    }

    /** The chart elements of a dumped DOM. */
    static List<Chart> charts(String dom) {
        List<Chart> charts = new ArrayList<>();
        Matcher m = CHART.matcher(dom);
        while (m.find()) {
            String tag = m.group();
            charts.add(new Chart(attribute(tag, "id"), "true".equals(attribute(tag, "data-drawn")),
                    Integer.parseInt(attribute(tag, "data-points"))));
        }
        return charts;
    }

    /** Asserts that the DOM holds the given charts and that each was drawn with at least one value. */
    static void assertDrawn(String dom, List<String> ids) {
        List<Chart> charts = charts(dom);
        assertEquals(ids, charts.stream().map(Chart::id).toList(), "chart elements");
        for (Chart c : charts) {
            assertTrue(c.drawn() && c.points() > 0, "chart " + c.id() + " was not drawn: " + c);
        }
    }

    private static String attribute(String tag, String name) {
        Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(tag);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + tag);
        }
        return m.group(1);
    }

    private record Output(String stdout, String stderr) {
    }

    private static Output run(String... args) throws Exception {
        Path browser = RequiredTool.CHROMIUM.require();
        Path profile = Files.createTempDirectory("fleetbench-chromium");
        Path stderr = Files.createTempFile("fleetbench-chromium", ".txt");
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within 60 s: " + command);
            }
        } finally {
            p.destroyForcibly();
        }
        Output output = new Output(new String(out, StandardCharsets.UTF_8), Files.readString(stderr));
        Files.delete(stderr);
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + command + "\n" + output.stderr());
        return output;
    }
}
