package io.fleetbench.runner.pipeline;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Which pipeline a run loads: the reference pipeline it starts itself, or an external one that reads
 * the run's stream and writes Delta tables below {@code lake}.
 *
 * @param external     whether the pipeline is a team's own
 * @param lake         the external pipeline's table root; null for the reference pipeline (the run folder's lake)
 * @param readyUrl     the external pipeline's health URL, waited for before the load starts; empty for none
 * @param readyTimeout how long to wait for it
 * @param quietPeriod  how long the external lake's counts must stand still before the pipeline counts as idle
 */
public record PipelineChoice(boolean external, String lake, Optional<URI> readyUrl, Duration readyTimeout,
                             Duration quietPeriod) {
    /** The default quiet period: longer than the reference sink's default flush latency. */
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(10);

    public PipelineChoice {
        if (external && (lake == null || lake.isBlank())) {
            throw new IllegalArgumentException("an external pipeline needs the root of the Delta tables it writes");
        }
    }

    /** fleetbench's own pipeline, started by the run. */
    public static PipelineChoice reference() {
        return new PipelineChoice(false, null, Optional.empty(), Duration.ZERO, DEFAULT_QUIET_PERIOD);
    }
}
