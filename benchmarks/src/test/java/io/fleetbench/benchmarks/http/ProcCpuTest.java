package io.fleetbench.benchmarks.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcCpuTest {
    /** A JVM's stat line: utime 1234 and stime 56 ticks; its children 7 and 8; the command name holds ") (". */
    private static final String STAT = "977 (java) (x) S 1 977 977 0 -1 4194560 5000 0 0 0 1234 56 7 8 20 0 40 0"
            + " 2646906 4000000000 50000 18446744073709551615";

    @Test
    void readsUserAndSystemTimeAfterTheCommandName() {
        ProcCpu cpu = ProcCpu.withTicks(100);

        assertEquals(12.90, cpu.seconds(STAT, false), 1e-9);
        assertEquals(0.15, cpu.seconds(STAT, true), 1e-9);
    }

    @Test
    void aLineThatIsNoStatLineIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcCpu.withTicks(100).seconds("42 (sh) S 1 2", false));

        assertTrue(e.getMessage().contains("42 (sh) S 1 2"), e.getMessage());
    }

    @Test
    void readsThisProcessOnLinux() throws Exception {
        ProcCpu cpu = ProcCpu.ofThisMachine();

        assertTrue(cpu.seconds(ProcessHandle.current().pid()) > 0);
    }
}
