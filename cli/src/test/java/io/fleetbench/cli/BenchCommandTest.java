package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.CapturedOutput;

import io.fleetbench.benchmarks.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code fleetbench bench}: bad ones are refused with exit code 2 before anything runs. */
class BenchCommandTest {
    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    @Test
    void anUnknownStageIsRefusedNamingTheValidOnes() {
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "--stages", "generator,emulator"));
        String err = output.err();
        assertTrue(err.contains("--stages: unknown stage \"emulator\"; the stages are generator, producer, sink, compactor"),
                err);
        assertEquals("", output.out());
    }

    @Test
    void sizesAndRoundsOutOfRangeAreRefusedNamingTheOption() {
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "--rounds", "0"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "--events", "-5"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "--shards", "65"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "--compactor-files", "1"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "--kinesis-port", "4567", "--dynamodb-port", "4567"));
        assertEquals(ExitCode.BAD_INPUT, Main.execute("bench", "--rounds", "three"));
        String err = output.err();
        assertTrue(err.contains("--rounds must be >= 1, found 0"), err);
        assertTrue(err.contains("--events must be >= 1, found -5"), err);
        assertTrue(err.contains("--shards must be in [1, 64], found 65"), err);
        assertTrue(err.contains("--compactor-files must be >= 2, found 1"), err);
        assertTrue(err.contains("--kinesis-port and --dynamodb-port must differ, found 4567 for both"), err);
        assertTrue(err.contains("three"), err);
        assertEquals("", output.out());
    }

    @Test
    void stagesRunInPipelineOrderWhateverTheOrderGiven() {
        assertEquals(List.of(Stage.GENERATOR, Stage.SINK, Stage.COMPACTOR),
                Stage.parse(List.of("compactor", "sink,generator", "sink")));
        assertEquals(List.of(Stage.values()), Stage.parse(List.of("generator,producer,sink,compactor")));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Stage.parse(List.of("")));
        assertTrue(empty.getMessage().contains("unknown stage \"\""), empty.getMessage());
    }
}
