package io.fleetbench.runner;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The live line: the producer's counts, ambiguous outcomes only when there are any, the pipeline's when it has one. */
class LiveLineTest {

    private static LiveLine.Sample sample(long acknowledgedAfterAmbiguous, long ambiguous, long rows) {
        return new LiveLine.Sample("send", Duration.ofSeconds(5), Duration.ofSeconds(10), 2000, 1990.4, 10_000, 9_800,
                acknowledgedAfterAmbiguous, 3, ambiguous, 0, rows, 250);
    }

    @Test
    void ambiguousOutcomesAreShownOnlyWhenThereAreAny() {
        assertEquals("send  [##########----------]    5s/10s | rate   1,990/s of 2,000/s | sent 10,000 acked 9,800"
                + " failed 3 short 0 | rows 9,500 | lag 250 ms", LiveLine.format(sample(0, 0, 9_500)));
        assertEquals("send  [##########----------]    5s/10s | rate   1,990/s of 2,000/s | sent 10,000 acked 9,800"
                + " (1,200 maybe twice) failed 3 ambiguous 12 short 0", LiveLine.format(sample(1_200, 12, -1)));
    }
}
