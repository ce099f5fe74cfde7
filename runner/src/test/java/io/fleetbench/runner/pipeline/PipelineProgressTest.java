package io.fleetbench.runner.pipeline;

import io.fleetbench.sink.SourcePosition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whether a pipeline has every shard in the lake up to the last records the producer had acknowledged: the drain's
 * question once copies of re-sent records make the rows outnumber the acknowledgements.
 */
class PipelineProgressTest {
    private static final String A = "shardId-000000000000";
    private static final String B = "shardId-000000000001";

    private static PipelineProgress durable(Map<String, SourcePosition> positions) {
        return new PipelineProgress(100, 0, 0, 0, true, Map.of(), Double.NaN, positions);
    }

    @Test
    void everyShardMustBeInTheLakeUpToItsLastAcknowledgedRecord() {
        Map<String, String> ends = Map.of(A, "10", B, "123");

        assertTrue(durable(Map.of(A, SourcePosition.of("10", 0), B, SourcePosition.of("200", 0))).reached(ends));
        assertFalse(durable(Map.of(A, SourcePosition.of("9", 0), B, SourcePosition.of("200", 0))).reached(ends),
                "shard A's last acknowledged record is not in yet; 9 < 10 as numbers, though not as text");
        assertFalse(durable(Map.of(A, SourcePosition.of("10", 0))).reached(ends), "nothing of shard B is in");
        assertTrue(durable(Map.of(A, SourcePosition.of("10", 4), B, SourcePosition.of("123", 0))).reached(ends),
                "a user record of the last aggregate counts as its position");
        assertTrue(durable(Map.of()).reached(Map.of()), "nothing acknowledged, nothing to wait for");
    }

    @Test
    void aPipelineThatCannotTellItsPositionsIsNotWaitedFor() {
        assertTrue(durable(null).reached(Map.of(A, "10")));
    }
}
