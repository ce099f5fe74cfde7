package io.fleetbench.runner;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line of a long command: a label, a bar of done of total, the counts, the time elapsed
 * and the time remaining (estimated from the rate so far, {@code --} until something is done); for
 * work with no known total (a negative total) only the count and the time elapsed. On a terminal the
 * line rewrites itself in place at most every {@link #TERMINAL_INTERVAL}; in a log each update gets
 * its own line, at most every {@link #LOG_INTERVAL}. {@link #finish} always prints the final line.
 * {@link #onConsole} writes to standard error, so that what a command prints to standard output stays
 * as it was.
 */
public final class ProgressBar {
    /** How often the line is redrawn, at most, on a terminal. */
    static final Duration TERMINAL_INTERVAL = Duration.ofMillis(250);
    /** How often a line is printed, at most, when the output is not a terminal. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(5);
    private static final int WIDTH = 20;

    private final TerminalLine line;
    private final boolean terminal;
    private final String label;
    private final LongSupplier nanoTime;
    private final long start;
    private long lastShown;

    /**
     * @param out      where the line goes
     * @param terminal whether {@code out} is a terminal (the line rewrites itself)
     * @param label    what is being done, e.g. {@code vacuum}
     * @param nanoTime the clock elapsed time is read from, in nanoseconds ({@code System::nanoTime})
     */
    public ProgressBar(PrintStream out, boolean terminal, String label, LongSupplier nanoTime) {
        this.line = new TerminalLine(out, terminal);
        this.terminal = terminal;
        this.label = label;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        this.lastShown = start;
    }

    /** A progress line on standard error, rewritten in place when the command runs in a terminal. */
    public static ProgressBar onConsole(String label) {
        return new ProgressBar(System.err, System.console() != null, label, System::nanoTime);
    }

    /** The time since this progress line was created. */
    Duration elapsed() {
        return Duration.ofNanos(nanoTime.getAsLong() - start);
    }

    /**
     * Shows the progress if the last line is old enough.
     *
     * @param done   units of work done
     * @param total  units of work in all, or negative if not known
     * @param unit   what a unit is, e.g. {@code files}
     * @param detail further figures to show after the times, or empty
     */
    public void update(long done, long total, String unit, String detail) {
        long now = nanoTime.getAsLong();
        Duration interval = terminal ? TERMINAL_INTERVAL : LOG_INTERVAL;
        if (now - lastShown < interval.toNanos()) {
            return;
        }
        lastShown = now;
        show(format(label, done, total, unit, detail, Duration.ofNanos(now - start)));
    }

    /** Prints the final line, whenever the last one was, and ends it. */
    public void finish(long done, long total, String unit, String detail) {
        long now = nanoTime.getAsLong();
        lastShown = now;
        show(format(label, done, total, unit, detail, Duration.ofNanos(now - start)));
        line.finish();
    }

    private void show(String text) {
        line.show(text);
    }

    /**
     * One progress line, e.g. {@code vacuum [########------------] 348/900 files | elapsed 1m12s,
     * remaining 1m54s | 3.4 MiB freed}, or without a total {@code compact 3 passes | elapsed 12m05s}.
     */
    static String format(String label, long done, long total, String unit, String detail, Duration elapsed) {
        StringBuilder b = new StringBuilder(label);
        if (total >= 0) {
            int filled = total == 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
            b.append(" [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append(']');
            b.append(String.format(Locale.ROOT, " %,d/%,d %s | elapsed %s, remaining %s", done, total, unit,
                    duration(elapsed), remaining(done, total, elapsed)));
        } else {
            b.append(String.format(Locale.ROOT, " %,d %s | elapsed %s", done, unit, duration(elapsed)));
        }
        if (!detail.isEmpty()) {
            b.append(" | ").append(detail);
        }
        return b.toString();
    }

    /** The time left at the rate so far, or {@code --} while nothing is done yet. */
    static String remaining(long done, long total, Duration elapsed) {
        if (done >= total) {
            return duration(Duration.ZERO);
        }
        if (done <= 0) {
            return "--";
        }
        return duration(Duration.ofNanos((long) ((double) elapsed.toNanos() * (total - done) / done)));
    }

    /** A duration to the second: {@code 7s}, {@code 1m05s}, {@code 2h03m}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
