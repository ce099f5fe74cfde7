package io.fleetbench.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * The spin-class schedule: classes start every {@code every}, aligned to UTC midnight (so every
 * 30 minutes means on the hour and half hour), and each bike joins a class it is free for with
 * probability {@code riders}, within {@code joinWindow} of the start, most riders in its first moments.
 *
 * @param every      time between two class starts, 1 minute to 24 hours. Default 30 min.
 * @param length     length of a class, 1 minute to 12 hours. Default 45 min.
 * @param joinWindow how late a rider may join after the start, 0 to {@code length}. Default 2 min.
 * @param riders     probability that a free bike rides a given class, (0, 1]. Default 0.1.
 */
public record BikeClasses(Duration every, Duration length, Duration joinWindow, double riders) {

    public BikeClasses {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(joinWindow, "joinWindow");
        if (every.compareTo(Duration.ofMinutes(1)) < 0 || every.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("classes.every must be in [1 min, 24 h], found " + every);
        }
        if (length.compareTo(Duration.ofMinutes(1)) < 0 || length.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("classes.length must be in [1 min, 12 h], found " + length);
        }
        if (joinWindow.isNegative() || joinWindow.compareTo(length) > 0) {
            throw new IllegalArgumentException("classes.joinWindow must be in [0, length=" + length + "], found " + joinWindow);
        }
        if (!(riders > 0 && riders <= 1)) {
            throw new IllegalArgumentException("classes.riders must be in (0, 1], found " + riders);
        }
    }

    /** Every 30 minutes, 45 minutes long, joined within 2 minutes by 10 % of free bikes. */
    public static BikeClasses defaults() {
        return new BikeClasses(Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(2), 0.1);
    }
}
