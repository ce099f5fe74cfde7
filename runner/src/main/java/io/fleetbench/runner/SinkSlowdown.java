package io.fleetbench.runner;

/**
 * The lake sink's test-only slowdown ({@code LakeSinkConfig.slowdown}), which the harness takes from a JVM
 * system property so that {@code fleetbench ab --candidate-java-option} can make a deliberately slower candidate.
 */
public final class SinkSlowdown {
    /** The system property, a fraction >= 0 such as 0.3. */
    public static final String PROPERTY = "fleetbench.test.sinkSlowdown";

    private SinkSlowdown() {
    }

    /**
     * The slowdown the system property asks for, 0 when it is not set.
     *
     * @throws IllegalArgumentException if it is not a finite number >= 0
     */
    public static double fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    /** A value of the system property as a slowdown; null or blank is 0. */
    static double parse(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        double f;
        try {
            f = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!Double.isFinite(f) || f < 0) {
            throw new IllegalArgumentException("system property " + PROPERTY
                    + " must be a fraction >= 0, such as 0.3; found \"" + value + "\"");
        }
        return f;
    }
}
