package io.fleetbench.cli;

import io.fleetbench.profile.DataSize;
import io.fleetbench.profile.Durations;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/** How the commands read sizes and durations, the same way a load profile writes them. */
final class Converters {
    private Converters() {
    }

    /** Sizes such as {@code 128MiB}. */
    static final class Size implements ITypeConverter<DataSize> {
        @Override
        public DataSize convert(String value) {
            return DataSize.parse(value);
        }
    }

    /** Positive durations such as {@code 30s} or {@code 1h30m}. */
    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    /** Durations such as {@code 7d} or {@code 36h}, or zero ({@code 0s}): "now" where that makes sense. */
    static final class DurationOrZero implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parseAllowingZero(value);
        }
    }
}
