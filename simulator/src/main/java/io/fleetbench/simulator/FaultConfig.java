package io.fleetbench.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Data faults the simulator injects between generating events and sending them, each counted in
 * {@link FaultCounts}. Which device or event is hit depends only on the seed, the device and the
 * event's sequence number.
 *
 * @param offlineShare        share of devices that go offline now and then, [0, 1]. Default 0. Such a
 *                            device is offline for {@code offlineDuration} in every
 *                            {@code 4 * offlineDuration} of the run (its phase fixed by the seed),
 *                            stores what it generates meanwhile, and flushes it, shuffled, when it
 *                            comes back.
 * @param offlineDuration     how long an offline spell lasts, positive. Default 10 min.
 * @param offlineBufferEvents most events stored by all offline devices together; events beyond it are
 *                            dropped and counted. Positive. Default 200,000.
 * @param duplicates          share of events sent twice with the same event id, [0, 1]. Default 0.
 * @param clockDriftShare     share of devices whose clock is off, [0, 1]. Default 0.
 * @param clockDriftMax       largest clock offset, either way; each drifting device has a fixed
 *                            offset up to this. Not negative. Default 2 min.
 * @param malformed           share of records sent corrupted (truncated JSON), [0, 1]. Default 0.
 * @param schemaChangeAt      offset from the run's start from which events carry
 *                            {@code schemaChangeVersion}; empty for never. Default empty.
 * @param schemaChangeVersion the schema version sent from {@code schemaChangeAt} on, at least 2. Default 2.
 */
public record FaultConfig(double offlineShare, Duration offlineDuration, int offlineBufferEvents, double duplicates,
                          double clockDriftShare, Duration clockDriftMax, double malformed,
                          Optional<Duration> schemaChangeAt, int schemaChangeVersion) {

    public FaultConfig {
        Objects.requireNonNull(offlineDuration, "offlineDuration");
        Objects.requireNonNull(clockDriftMax, "clockDriftMax");
        Objects.requireNonNull(schemaChangeAt, "schemaChangeAt");
        share("offline.share", offlineShare);
        share("duplicates", duplicates);
        share("clockDrift.share", clockDriftShare);
        share("malformed", malformed);
        if (offlineDuration.isNegative() || offlineDuration.isZero()) {
            throw new IllegalArgumentException("offline.duration must be positive, found " + offlineDuration);
        }
        if (offlineBufferEvents < 1) {
            throw new IllegalArgumentException("offlineBufferEvents must be >= 1, found " + offlineBufferEvents);
        }
        if (clockDriftMax.isNegative()) {
            throw new IllegalArgumentException("clockDrift.max must be >= 0, found " + clockDriftMax);
        }
        if (schemaChangeAt.isPresent() && schemaChangeAt.get().isNegative()) {
            throw new IllegalArgumentException("schemaChange.at must be >= 0, found " + schemaChangeAt.get());
        }
        if (schemaChangeVersion < 2) {
            throw new IllegalArgumentException("schemaChange.version must be >= 2, found " + schemaChangeVersion);
        }
    }

    private static void share(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], found " + v);
        }
    }

    /** No faults. */
    public static FaultConfig none() {
        return new FaultConfig(0, Duration.ofMinutes(10), 200_000, 0, 0, Duration.ofMinutes(2), 0, Optional.empty(), 2);
    }

    /** This config with devices going offline. */
    public FaultConfig withOffline(double share, Duration duration) {
        return new FaultConfig(share, duration, offlineBufferEvents, duplicates, clockDriftShare, clockDriftMax,
                malformed, schemaChangeAt, schemaChangeVersion);
    }

    /** This config with another bound on stored offline events. */
    public FaultConfig withOfflineBufferEvents(int offlineBufferEvents) {
        return new FaultConfig(offlineShare, offlineDuration, offlineBufferEvents, duplicates, clockDriftShare,
                clockDriftMax, malformed, schemaChangeAt, schemaChangeVersion);
    }

    /** This config with duplicate sends. */
    public FaultConfig withDuplicates(double duplicates) {
        return new FaultConfig(offlineShare, offlineDuration, offlineBufferEvents, duplicates, clockDriftShare,
                clockDriftMax, malformed, schemaChangeAt, schemaChangeVersion);
    }

    /** This config with drifting device clocks. */
    public FaultConfig withClockDrift(double share, Duration max) {
        return new FaultConfig(offlineShare, offlineDuration, offlineBufferEvents, duplicates, share, max,
                malformed, schemaChangeAt, schemaChangeVersion);
    }

    /** This config with malformed records. */
    public FaultConfig withMalformed(double malformed) {
        return new FaultConfig(offlineShare, offlineDuration, offlineBufferEvents, duplicates, clockDriftShare,
                clockDriftMax, malformed, schemaChangeAt, schemaChangeVersion);
    }

    /** This config with a schema version change at an offset from the run's start. */
    public FaultConfig withSchemaChange(Duration at, int version) {
        return new FaultConfig(offlineShare, offlineDuration, offlineBufferEvents, duplicates, clockDriftShare,
                clockDriftMax, malformed, Optional.of(at), version);
    }

    /** Whether any fault is switched on. */
    public boolean any() {
        return offlineShare > 0 || duplicates > 0 || (clockDriftShare > 0 && !clockDriftMax.isZero()) || malformed > 0
                || schemaChangeAt.isPresent();
    }
}
