package io.fleetbench.benchmarks.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline client: wrk, one thread, {@code -c} keep-alive connections each with one request at a time, POSTing the
 * body with a Lua script. Its CPU time is its whole process's, read from the shell that runs it: once wrk has ended
 * and been waited for, the shell's {@code /proc/<pid>/stat} holds it as the children's user and system time.
 */
final class Wrk {
    /** Marks the shell's stat line in the output. */
    private static final String RUSAGE = "fleetbench-rusage: ";
    /** Runs wrk, then prints the shell's stat line after it; the exit status is wrk's. Arguments: wrk and its own. */
    private static final String SHELL = "\"$@\"; rc=$?; read -r stat < /proc/$$/stat; echo \"" + RUSAGE
            + "$stat\"; exit $rc";
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m|h)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s|m|h)\\s*$");

    private final Path executable;
    private final Path script;
    private final String version;

    private Wrk(Path executable, Path script, String version) {
        this.executable = executable;
        this.script = script;
        this.version = version;
    }

    /**
     * Checks that wrk runs and writes the script that POSTs the body, {@code post.lua}, into the folder.
     *
     * @param body the file every request's body is read from, once, when wrk starts
     * @throws IllegalStateException if wrk is missing or does not run, saying how to install it
     */
    static Wrk prepare(Path executable, Path folder, Path body) throws IOException, InterruptedException {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("wrk is not at " + executable + ": this benchmark measures fleetbench's"
                    + " HTTP target against wrk, which it needs (Debian: apt-get install wrk; or --wrk <path>)");
        }
        Process p = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        if (!out.startsWith("wrk ")) {
            throw new IllegalStateException(executable + " --version should print \"wrk <version> ...\", found \""
                    + out.strip() + "\"");
        }
        Path script = folder.resolve("post.lua");
        Files.writeString(script, "-- Written by HttpFrontDoorBench: POST the body fleetbench's HTTP target sends.\n"
                + "wrk.method = \"POST\"\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "local f = assert(io.open([==[" + body.toAbsolutePath() + "]==], \"rb\"))\n"
                + "wrk.body = f:read(\"*a\")\n"
                + "f:close()\n", StandardCharsets.UTF_8);
        return new Wrk(executable, script, out.lines().findFirst().orElse("").strip());
    }

    /** wrk's version line. */
    String version() {
        return version;
    }

    /** What one wrk run measured. */
    record Run(long requests, long non2xx, long socketErrors, double seconds, double p50Ms, double p99Ms,
               double cpuSeconds) {
    }

    /**
     * Runs wrk against the URL for the duration and waits for it.
     *
     * @param timeout how long one request may take before wrk counts it as a timeout
     * @throws IllegalStateException if wrk fails or prints what it should not, with its output
     */
    Run run(String url, int connections, Duration duration, Duration timeout, ProcCpu cpu)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", SHELL, "sh", executable.toString(), "-t1",
                "-c" + connections, "-d" + duration.getSeconds() + "s", "--timeout", timeout.getSeconds() + "s",
                "--latency", "-s", script.toString(), url));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(duration.getSeconds() + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not end within a minute of its duration; its output:\n" + out);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("wrk exited with " + p.exitValue() + ": " + String.join(" ", command)
                    + "\n" + out);
        }
        return parse(out, cpu);
    }

    /**
     * The figures in wrk's output (run with {@code --latency}) followed by the shell's stat line.
     *
     * @throws IllegalStateException if a figure is missing, quoting the output
     */
    static Run parse(String out, ProcCpu cpu) {
        Matcher requests = find(REQUESTS, out, "\"<n> requests in <time>\"");
        Matcher non2xx = NON_2XX.matcher(out);
        long socketErrors = 0;
        Matcher errors = SOCKET_ERRORS.matcher(out);
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(errors.group(g));
            }
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(out);
        while (percentile.find()) {
            double ms = millis(percentile.group(2), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = ms;
            } else {
                p99 = ms;
            }
        }
        int at = out.lastIndexOf(RUSAGE);
        if (at < 0) {
            throw new IllegalStateException("no " + RUSAGE.strip() + " line after wrk's output:\n" + out);
        }
        String stat = out.substring(at + RUSAGE.length()).lines().findFirst().orElse("");
        return new Run(Long.parseLong(requests.group(1)), non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
                socketErrors, millis(requests.group(2), requests.group(3)) / 1e3, p50, p99, cpu.seconds(stat, true));
    }

    private static Matcher find(Pattern pattern, String out, String what) {
        Matcher m = pattern.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk's output has no " + what + ":\n" + out);
        }
        return m;
    }

    /** A time as wrk prints it ({@code 812.00us}, {@code 12.5ms}, {@code 20.01s}, {@code 1.00m}) in milliseconds. */
    static double millis(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v / 1e3;
            case "ms" -> v;
            case "s" -> v * 1e3;
            case "m" -> v * 60e3;
            case "h" -> v * 3600e3;
            default -> throw new IllegalArgumentException("wrk's time units are us, ms, s, m and h, found " + unit);
        };
    }
}
