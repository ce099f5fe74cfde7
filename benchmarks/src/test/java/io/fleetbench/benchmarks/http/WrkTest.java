package io.fleetbench.benchmarks.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrkTest {
    private static final ProcCpu TICKS_100 = ProcCpu.withTicks(100);
    /** wrk 4.1's output with --latency, then the shell's stat line: its children used 150 + 40 ticks. */
    private static final String OUTPUT = """
            Running 20s test @ http://127.0.0.1:40123/v1/telemetry
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    45.12ms   30.01ms   1.20s    80.00%
                Req/Sec     1.33k   200.00     1.80k    70.00%
              Latency Distribution
                 50%  812.00us
                 75%   60.00ms
                 90%  100.00ms
                 99%    1.20s
              26520 requests in 20.02s, 3.50MB read
              Socket errors: connect 0, read 2, write 0, timeout 5
              Non-2xx or 3xx responses: 3
            Requests/sec:   1324.68
            Transfer/sec:    179.00KB
            fleetbench-rusage: 4242 (sh) S 4240 4240 2572 0 -1 4194304 88 260 0 3 0 0 150 40 20 0 1 0 2646906
            """;

    @Test
    void readsTheRequestsErrorsPercentilesAndCpuOfItsOutput() {
        Wrk.Run run = Wrk.parse(OUTPUT, TICKS_100);

        assertEquals(26_520, run.requests());
        assertEquals(3, run.non2xx());
        assertEquals(7, run.socketErrors());
        assertEquals(20.02, run.seconds(), 1e-9);
        assertEquals(0.812, run.p50Ms(), 1e-9);
        assertEquals(1_200, run.p99Ms(), 1e-9);
        assertEquals(1.9, run.cpuSeconds(), 1e-9);
    }

    @Test
    void outputWithoutErrorsHasNone() {
        String clean = OUTPUT.replaceAll("(?m)^.*(Socket errors|Non-2xx).*\\n", "");

        Wrk.Run run = Wrk.parse(clean, TICKS_100);

        assertEquals(0, run.non2xx());
        assertEquals(0, run.socketErrors());
    }

    @Test
    void outputWithoutTheStatLineIsRefusedQuotingIt() {
        String noStat = OUTPUT.substring(0, OUTPUT.indexOf("fleetbench-rusage"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Wrk.parse(noStat, TICKS_100));

        assertTrue(e.getMessage().contains("Requests/sec:   1324.68"), e.getMessage());
    }

    @Test
    void timesAreReadInEveryUnitWrkPrints() {
        assertEquals(0.5, Wrk.millis("500.00", "us"), 1e-9);
        assertEquals(60_000, Wrk.millis("1.00", "m"), 1e-9);
        assertEquals(7_200_000, Wrk.millis("2", "h"), 1e-9);
    }
}
