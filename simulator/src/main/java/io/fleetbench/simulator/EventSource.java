package io.fleetbench.simulator;

/**
 * Where the simulator takes its events from, whatever drives the load: each event comes with its
 * intended send time. Events the caller cannot send at their intended time are counted as
 * shortfall (like k6's {@code dropped_iterations}), never hidden. Single writer: one thread polls;
 * {@link #shortfall()} may be read from any thread.
 */
public interface EventSource {

    /** The clock reading at which the schedule started, on the {@link System#nanoTime()} scale. */
    long startNanos();

    /** Whether every event before the end has been handed out or counted as shortfall. */
    boolean finished();

    /**
     * Takes the next due event, or returns null if none is due yet. Events too far overdue are
     * first counted as shortfall and skipped.
     *
     * @param producedAtMillis the wall clock now, epoch milliseconds, stamped on the event
     */
    ScheduledEvent poll(long producedAtMillis);

    /**
     * For a caller that cannot send now: counts events due by now as shortfall and skips them, or
     * leaves them to be skipped once too far overdue.
     *
     * @return how many events were counted now
     */
    long dropDue();

    /** Events that were due but not sent at their intended time. */
    long shortfall();

    /** The target rate now, events per second. */
    double targetRate();

    /** A fixed arrival rate: the limiter decides when, the fleet which device sends. */
    static EventSource arrivalRate(ArrivalRateLimiter limiter, Fleet fleet) {
        return new ArrivalRateSource(limiter, fleet);
    }
}
