package io.fleetbench.benchmarks.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of other processes from Linux's {@code /proc/<pid>/stat}: user plus system time of every thread, in clock
 * ticks of {@code getconf CLK_TCK} (10 ms on Linux), so a figure over 20 s is good to a twentieth of a percent.
 */
final class ProcCpu {
    private final double ticksPerSecond;

    private ProcCpu(double ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * The clock ticks of this machine, from {@code getconf CLK_TCK}.
     *
     * @throws IllegalStateException if this is not Linux with {@code /proc}, or getconf fails
     */
    static ProcCpu ofThisMachine() throws IOException, InterruptedException {
        if (!Files.isReadable(Path.of("/proc/self/stat"))) {
            throw new IllegalStateException("this benchmark reads CPU times from /proc/<pid>/stat: it needs Linux,"
                    + " found " + System.getProperty("os.name"));
        }
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        if (getconf.waitFor() != 0 || !out.matches("[0-9]+")) {
            throw new IllegalStateException("getconf CLK_TCK should print the clock ticks per second, found \"" + out
                    + "\"");
        }
        return new ProcCpu(Long.parseLong(out));
    }

    /** CPU seconds a live process has used so far, all its threads. */
    double seconds(long pid) {
        try {
            return seconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII),
                    false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
    }

    /**
     * CPU seconds in a {@code stat} line: the process's own (utime + stime), or those of its children it has waited
     * for (cutime + cstime), which is how a shell that ran a command to its end gives that command's CPU time.
     *
     * @throws IllegalArgumentException if the line is not a {@code /proc/<pid>/stat} line
     */
    double seconds(String statLine, boolean children) {
        // The command name, in parentheses, may hold spaces: the fields are counted from after its last ')'.
        int close = statLine.lastIndexOf(')');
        String[] f = close < 0 ? new String[0] : statLine.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state) of proc(5): utime is field 14, stime 15, cutime 16, cstime 17.
        int first = children ? 13 : 11;
        if (f.length < 15) {
            throw new IllegalArgumentException("a /proc/<pid>/stat line has at least 17 fields, found \"" + statLine
                    + "\"");
        }
        return (Long.parseLong(f[first]) + Long.parseLong(f[first + 1])) / ticksPerSecond;
    }

    /** For tests: a machine with these clock ticks per second. */
    static ProcCpu withTicks(double ticksPerSecond) {
        return new ProcCpu(ticksPerSecond);
    }
}
