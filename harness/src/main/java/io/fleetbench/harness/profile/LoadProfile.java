package io.fleetbench.harness.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A load profile: what fleet to simulate, how fast to send, for how long, and how the pipeline is
 * set up. Bound from YAML by {@link ProfileLoader}; every option but {@code name}, {@code duration}
 * and {@code rate} has a default. The YAML schema is documented in {@code loadprofiles/README.md}.
 */
public record LoadProfile(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("description") String description,
        @JsonProperty(value = "duration", required = true) Duration duration,
        @JsonProperty(value = "rate", required = true) double rate,
        @JsonProperty("fleet") Fleet fleet,
        @JsonProperty("stream") Stream stream,
        @JsonProperty("sink") Sink sink,
        @JsonProperty("drain") Drain drain) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Kinesalite and the simulator together sustain about 20k raw records/s on 2 cores; AWS far more. */
    static final double MAX_RATE = 10_000_000;

    public LoadProfile {
        require(name != null, "name", "is required");
        require(NAME.matcher(name).matches(), "name",
                "must be 1-63 lowercase letters, digits or '-', starting with a letter or digit, found \"" + name + "\"");
        require(duration != null, "duration", "is required");
        require(rate > 0 && rate <= MAX_RATE, "rate", "must be in (0, " + (long) MAX_RATE + "] events/s, found " + rate);
        description = description == null ? "" : description;
        fleet = fleet == null ? new Fleet(null, null, null) : fleet;
        stream = stream == null ? new Stream(null, null) : stream;
        sink = sink == null ? new Sink(null, null) : sink;
        drain = drain == null ? new Drain(null) : drain;
    }

    /** Events the profile asks for in total. */
    public long targetEvents() {
        return (long) Math.floor(rate * duration.toNanos() / 1e9);
    }

    /** The simulated fleet. */
    public record Fleet(
            @JsonProperty("seed") Long seed,
            @JsonProperty("cars") Integer cars,
            @JsonProperty("bikes") Integer bikes) {
        /** Defaults: seed 1, 1,000 cars, 500 bikes. */
        public Fleet {
            seed = seed == null ? 1L : seed;
            cars = cars == null ? 1_000 : cars;
            bikes = bikes == null ? 500 : bikes;
            require(cars >= 0, "fleet.cars", "must not be negative, found " + cars);
            require(bikes >= 0, "fleet.bikes", "must not be negative, found " + bikes);
            require(cars + bikes > 0, "fleet", "needs at least one car or bike");
        }
    }

    /** The Kinesis stream. */
    public record Stream(
            @JsonProperty("name") String name,
            @JsonProperty("shards") Integer shards) {
        /** Defaults: a name made from the profile and run, 2 shards. */
        public Stream {
            shards = shards == null ? 2 : shards;
            require(shards >= 1 && shards <= 64, "stream.shards", "must be in [1, 64] on the local stack, found " + shards);
            require(name == null || name.matches("[a-zA-Z0-9_.-]{1,128}"), "stream.name",
                    "must be 1-128 characters of a-z, A-Z, 0-9, '_', '.', '-', found \"" + name + "\"");
        }
    }

    /** The Delta sink. */
    public record Sink(
            @JsonProperty("maxLatency") Duration maxLatency,
            @JsonProperty("targetFileSize") DataSize targetFileSize) {
        /** Defaults: files are written at most 5 s after their first record arrives, or at 128 MiB. */
        public Sink {
            maxLatency = maxLatency == null ? Duration.ofSeconds(5) : maxLatency;
            targetFileSize = targetFileSize == null ? new DataSize(128L << 20) : targetFileSize;
        }
    }

    /** The end of a run: how long to wait for the pipeline to commit what was acknowledged. */
    public record Drain(@JsonProperty("timeout") Duration timeout) {
        /** Default: 60 s. */
        public Drain {
            timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        }
    }

    private static void require(boolean ok, String field, String rule) {
        if (!ok) {
            throw new InvalidFieldException(field, rule);
        }
    }

    /** A field whose value breaks a rule; {@link ProfileLoader} adds the file and line. */
    static final class InvalidFieldException extends IllegalArgumentException {
        private final String field;

        InvalidFieldException(String field, String rule) {
            super(field + " " + rule);
            this.field = Objects.requireNonNull(field);
        }

        String field() {
            return field;
        }
    }
}
