package io.fleetbench.runner;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The progress line: its form with and without a total, the estimate of the time left, and how often it is printed. */
class ProgressBarTest {

    @Test
    void aLineWithATotalShowsTheBarCountsElapsedAndRemaining() {
        assertEquals("vacuum [#####---------------] 25/100 files | elapsed 30s, remaining 1m30s | 1 KiB freed",
                ProgressBar.format("vacuum", 25, 100, "files", "1 KiB freed", Duration.ofSeconds(30)));
        assertEquals("replay [####################] 1,200/1,200 records | elapsed 1h01m, remaining 0s",
                ProgressBar.format("replay", 1_200, 1_200, "records", "", Duration.ofSeconds(3_690)));
        assertEquals("vacuum [####################] 0/0 files | elapsed 0s, remaining 0s",
                ProgressBar.format("vacuum", 0, 0, "files", "", Duration.ZERO));
    }

    @Test
    void theTimeLeftIsUnknownUntilSomethingIsDone() {
        assertEquals("compact [--------------------] 0/8 bins | elapsed 12s, remaining --",
                ProgressBar.format("compact", 0, 8, "bins", "", Duration.ofSeconds(12)));
        assertEquals("--", ProgressBar.remaining(0, 8, Duration.ofHours(1)));
        // 3 of 8 in 45s: 5 more at 15s each.
        assertEquals("1m15s", ProgressBar.remaining(3, 8, Duration.ofSeconds(45)));
    }

    @Test
    void openEndedWorkShowsTheCountAndElapsedOnly() {
        assertEquals("compact 3 passes | elapsed 12m05s | pass 3: 4 bins",
                ProgressBar.format("compact", 3, -1, "passes", "pass 3: 4 bins", Duration.ofSeconds(725)));
        assertEquals("health 0 refreshes | elapsed 0s", ProgressBar.format("health", 0, -1, "refreshes", "",
                Duration.ofMillis(900)));
    }

    @Test
    void durationsAreShownToTheSecond() {
        assertEquals("0s", ProgressBar.duration(Duration.ofMillis(999)));
        assertEquals("59s", ProgressBar.duration(Duration.ofSeconds(59)));
        assertEquals("1m00s", ProgressBar.duration(Duration.ofSeconds(60)));
        assertEquals("59m59s", ProgressBar.duration(Duration.ofSeconds(3_599)));
        assertEquals("2h03m", ProgressBar.duration(Duration.ofSeconds(2 * 3600 + 3 * 60 + 59)));
    }

    @Test
    void inALogALineIsPrintedAtMostEveryFiveSecondsAndTheFinalLineAlways() {
        AtomicLong now = new AtomicLong(1_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, "replay",
                now::get);
        bar.update(1, 10, "records", "");
        advance(now, Duration.ofSeconds(4));
        bar.update(2, 10, "records", "");
        advance(now, Duration.ofSeconds(1));
        bar.update(3, 10, "records", "");
        advance(now, Duration.ofSeconds(3));
        bar.update(4, 10, "records", "");
        advance(now, Duration.ofSeconds(2));
        bar.update(5, 10, "records", "");
        bar.finish(5, 10, "records", "done");
        String n = System.lineSeparator();
        assertEquals("replay [######--------------] 3/10 records | elapsed 5s, remaining 11s" + n
                        + "replay [##########----------] 5/10 records | elapsed 10s, remaining 10s" + n
                        + "replay [##########----------] 5/10 records | elapsed 10s, remaining 10s | done" + n,
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onATerminalTheLineIsRewrittenInPlaceAFewTimesASecond() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, "x", now::get);
        advance(now, Duration.ofMillis(300));
        bar.update(1, -1, "files", "long detail");
        advance(now, Duration.ofMillis(100));
        bar.update(2, -1, "files", "");
        advance(now, Duration.ofMillis(300));
        bar.update(3, -1, "files", "");
        bar.finish(4, -1, "files", "");
        assertEquals("\rx 1 files | elapsed 0s | long detail"
                        + "\rx 3 files | elapsed 0s" + " ".repeat(14)
                        + "\rx 4 files | elapsed 0s" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }

    private static void advance(AtomicLong now, Duration d) {
        now.addAndGet(d.toNanos());
    }
}
