package io.fleetbench.runner.pipeline;

import io.fleetbench.runner.TestEvents;
import io.fleetbench.runner.TestLake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pipeline seen through its lake alone: rows counted from the tables' logs, idle once the counts stand still. */
class ExternalPipelineTest {
    private static final StreamAccess STREAM = new StreamAccess("s", 1, Optional.empty(), Optional.empty());

    @Test
    void countsTheRowsOfEveryEventTableFromTheirFilesStatistics(@TempDir Path dir) throws Exception {
        try (TestLake lake = new TestLake(dir, Clock.systemUTC());
             ExternalPipeline pipeline = new ExternalPipeline(new LakeLayout(dir.toString()), Optional.empty(),
                     Duration.ZERO, Duration.ofHours(1))) {
            pipeline.start(STREAM);
            assertEquals(0, pipeline.progress().rowsCommitted(), "no table yet: nothing committed");

            lake.flush("shard-0", TestEvents.car(1), TestEvents.car(2), TestEvents.bike(3));
            lake.flush("shard-1", TestEvents.bike(4));
            pipeline.refresh();
            PipelineProgress p = pipeline.progress();
            assertEquals(4, p.rowsCommitted(), p.toString());
            assertEquals(0, p.deadLetters());
            assertFalse(p.idle(), "the counts just moved: not idle before the quiet period");
            pipeline.stop();
        }
    }

    @Test
    void isIdleOnceTheCountsStoodStillForTheQuietPeriod(@TempDir Path dir) throws Exception {
        try (TestLake lake = new TestLake(dir, Clock.systemUTC());
             ExternalPipeline pipeline = new ExternalPipeline(new LakeLayout(dir.toString()), Optional.empty(),
                     Duration.ZERO, Duration.ZERO)) {
            lake.flush("shard-0", TestEvents.car(1));
            pipeline.start(STREAM);
            PipelineProgress p = pipeline.progress();
            assertEquals(1, p.rowsCommitted());
            assertTrue(p.idle(), p.toString());
        }
    }

    @Test
    void aReadyUrlThatNeverAnswersFailsTheStartNamingIt(@TempDir Path dir) {
        URI nobody = URI.create("http://127.0.0.1:9/health");
        try (ExternalPipeline pipeline = new ExternalPipeline(new LakeLayout(dir.toString()), Optional.of(nobody),
                Duration.ofMillis(300), Duration.ZERO)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pipeline.start(STREAM));
            assertTrue(e.getMessage().startsWith("the pipeline under test is not ready: " + nobody), e.getMessage());
        }
    }
}
