package io.fleetbench.simulator;

/**
 * When each event of a run is intended to be sent, as an offset from the start of the run.
 * An open model: the intended times do not depend on how fast the system under test answers.
 */
public interface LoadShape {

    /**
     * Offset from the start at which event {@code eventIndex} (from 0) is intended, nanoseconds.
     * Non-decreasing in {@code eventIndex}.
     */
    long offsetNanos(long eventIndex);

    /** The smallest event index whose intended offset is at or after {@code offsetNanos}. */
    long firstIndexAtOrAfter(long offsetNanos);

    /** The target rate at an offset from the start, events per second. */
    double rateAt(long offsetNanos);

    /** A constant arrival rate. */
    static LoadShape constant(double eventsPerSecond) {
        return new ConstantRate(eventsPerSecond);
    }
}
