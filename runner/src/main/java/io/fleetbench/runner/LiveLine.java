package io.fleetbench.runner;


import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The live line of a run, printed once a second: on a terminal it rewrites itself in place, in a
 * log (CI) each second gets its own line.
 */
final class LiveLine {
    private final TerminalLine line;

    LiveLine(PrintStream out, boolean terminal) {
        this.line = new TerminalLine(out, terminal);
    }

    /** One sample of the pipeline's counters. */
    record Sample(String phase, Duration elapsed, Duration planned, double targetRate, double actualRate,
                  long sent, long acknowledged, long failed, long shortfall, long rowsCommitted, long lagMillis) {
    }

    void show(Sample s) {
        line.show(format(s));
    }

    /** Ends the in-place line so the next output starts on its own line. */
    void finish() {
        line.finish();
    }

    static String format(Sample s) {
        long done = Math.min(s.elapsed.toSeconds(), s.planned.toSeconds());
        int width = 20;
        int filled = s.planned.isZero() ? width : (int) (width * done / Math.max(1, s.planned.toSeconds()));
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        String producer = String.format(Locale.ROOT,
                "%-5s [%s] %4ds/%ds | rate %,7.0f/s of %,.0f/s | sent %,d acked %,d failed %,d short %,d",
                s.phase, bar, s.elapsed.toSeconds(), s.planned.toSeconds(), s.actualRate, s.targetRate,
                s.sent, s.acknowledged, s.failed, s.shortfall);
        // Without a pipeline (simulate) there are no rows or consumer lag to show.
        return s.rowsCommitted < 0 ? producer
                : producer + String.format(Locale.ROOT, " | rows %,d | lag %,d ms", s.rowsCommitted, s.lagMillis);
    }
}
