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

    /**
     * One sample of the pipeline's counters.
     *
     * @param acknowledgedAfterAmbiguous of {@code acknowledged}, those accepted after an attempt that timed out or
     *                                   lost its connection (possibly in the stream twice)
     * @param ambiguous                  events given up on after such an attempt (in the stream once or not at all)
     * @param rowsCommitted              rows in the lake; negative without a pipeline
     */
    record Sample(String phase, Duration elapsed, Duration planned, double targetRate, double actualRate,
                  long sent, long acknowledged, long acknowledgedAfterAmbiguous, long failed, long ambiguous,
                  long shortfall, long rowsCommitted, long lagMillis) {
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
        // Ambiguous outcomes (timed-out or lost attempts) only when there are any, to keep the line short.
        String producer = String.format(Locale.ROOT,
                "%-5s [%s] %4ds/%ds | rate %,7.0f/s of %,.0f/s | sent %,d acked %,d%s failed %,d%s short %,d",
                s.phase, bar, s.elapsed.toSeconds(), s.planned.toSeconds(), s.actualRate, s.targetRate,
                s.sent, s.acknowledged, s.acknowledgedAfterAmbiguous == 0 ? ""
                        : String.format(Locale.ROOT, " (%,d maybe twice)", s.acknowledgedAfterAmbiguous),
                s.failed, s.ambiguous == 0 ? "" : String.format(Locale.ROOT, " ambiguous %,d", s.ambiguous),
                s.shortfall);
        // Without a pipeline (simulate) there are no rows or consumer lag to show.
        return s.rowsCommitted < 0 ? producer
                : producer + String.format(Locale.ROOT, " | rows %,d | lag %,d ms", s.rowsCommitted, s.lagMillis);
    }
}
