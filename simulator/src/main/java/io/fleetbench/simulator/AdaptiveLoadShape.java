package io.fleetbench.simulator;

/**
 * A load shape that decides how it goes on from what the run achieved so far. The simulator calls
 * {@link #observe} about once a second on its generator thread, and once more when generation
 * stops. Offsets already handed out never change; the shape may only end earlier (offsets become
 * {@link LoadShape#NEVER}).
 */
public interface AdaptiveLoadShape extends LoadShape {

    /** What the run achieved up to {@code observation.offsetNanos()}. */
    void observe(LoadObservation observation);
}
