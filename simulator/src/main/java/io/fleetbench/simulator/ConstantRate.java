package io.fleetbench.simulator;

/**
 * Events evenly spaced at a fixed rate: event n is intended at {@code n / eventsPerSecond} seconds.
 *
 * @param eventsPerSecond the rate, greater than 0 and at most 1e9
 */
public record ConstantRate(double eventsPerSecond) implements LoadShape {
    private static final double NANOS_PER_SECOND = 1e9;

    public ConstantRate {
        if (!(eventsPerSecond > 0 && eventsPerSecond <= NANOS_PER_SECOND)) {
            throw new IllegalArgumentException("eventsPerSecond must be in (0, 1e9], found " + eventsPerSecond);
        }
    }

    @Override
    public long offsetNanos(long eventIndex) {
        return (long) (eventIndex * NANOS_PER_SECOND / eventsPerSecond);
    }

    @Override
    public long firstIndexAtOrAfter(long offsetNanos) {
        if (offsetNanos <= 0) {
            return 0;
        }
        long n = (long) Math.ceil(offsetNanos * eventsPerSecond / NANOS_PER_SECOND);
        // The double estimate can be one off either way; settle it against offsetNanos itself.
        while (n > 0 && offsetNanos(n - 1) >= offsetNanos) {
            n--;
        }
        while (offsetNanos(n) < offsetNanos) {
            n++;
        }
        return n;
    }

    @Override
    public double rateAt(long offsetNanos) {
        return eventsPerSecond;
    }
}
