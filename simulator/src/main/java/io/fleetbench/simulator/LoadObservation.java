package io.fleetbench.simulator;

import org.HdrHistogram.Histogram;

import java.util.Objects;

/**
 * What the simulator achieved, told to an {@link AdaptiveLoadShape}.
 *
 * @param offsetNanos      offset from the start of the run at which this was observed
 * @param issued           events handed out for sending since the start
 * @param shortfall        events due since the start that could not be sent at their intended time
 * @param putLatencyMicros put latencies (from intended send time) recorded since the previous
 *                         observation; read during the call only, never kept
 * @param last             whether generation has stopped: this is the run's final observation
 */
public record LoadObservation(long offsetNanos, long issued, long shortfall, Histogram putLatencyMicros,
                              boolean last) {
    public LoadObservation {
        Objects.requireNonNull(putLatencyMicros, "putLatencyMicros");
        if (offsetNanos < 0 || issued < 0 || shortfall < 0) {
            throw new IllegalArgumentException("offset and counts must be >= 0, found offset " + offsetNanos
                    + " ns, issued " + issued + ", shortfall " + shortfall);
        }
    }
}
