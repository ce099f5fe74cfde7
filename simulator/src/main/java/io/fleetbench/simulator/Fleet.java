package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.TelemetryEvent;

import java.util.UUID;

/**
 * A fleet of cars and bikes that report in turn. Devices take turns in index order, cars first,
 * each offset within the reporting interval by its index, so events come out in device-time order
 * and every device's n-th event has {@code seq = n} and device time
 * {@code start + (n - 1) * interval + index * interval / devices}. Each device's events depend only
 * on the seed and its index. Not thread-safe: one generator thread drives a fleet.
 */
public final class Fleet {
    /** Largest per-device sequence number that fits in the event id. */
    static final long MAX_SEQ = (1L << 40) - 1;

    private final FleetConfig config;
    private final long startEpochMillis;
    private final long intervalMillis;
    private final int devices;
    private final DeviceModel cars;
    private final DeviceModel bikes;
    private final long seedBits;
    private long generated;

    /** A fleet whose device time starts at the config's start, or at the wall clock now if that is 0. */
    public Fleet(FleetConfig config) {
        this.config = config;
        this.startEpochMillis = config.startEpochMillis() != 0 ? config.startEpochMillis() : System.currentTimeMillis();
        this.intervalMillis = config.reportingInterval().toMillis();
        this.devices = config.devices();
        double intervalSeconds = intervalMillis / 1000.0;
        this.cars = new CarModel(config.seed(), config.cars(), intervalSeconds);
        this.bikes = new BikeModel(config.seed(), config.bikes(), intervalSeconds);
        this.seedBits = DeviceRandom.mix(config.seed() ^ 0x5EED_F1EE_7BE4_C4L);
    }

    /** The config this fleet was built from. */
    public FleetConfig config() {
        return config;
    }

    /** Device time of the fleet's first event, epoch milliseconds. */
    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** Number of events generated so far. */
    public long generated() {
        return generated;
    }

    /**
     * Advances the next device in turn and returns its event.
     *
     * @param producedAtMillis the wall clock now, epoch milliseconds
     */
    public TelemetryEvent next(long producedAtMillis) {
        long g = generated;
        long round = g / devices;
        int index = (int) (g % devices);
        long seq = round + 1;
        if (seq > MAX_SEQ) {
            throw new IllegalStateException("device sequence numbers must stay <= " + MAX_SEQ + ", reached " + seq);
        }
        generated = g + 1;
        long eventTime = startEpochMillis + round * intervalMillis + index * intervalMillis / devices;
        DeviceModel model = index < cars.size() ? cars : bikes;
        int device = index < cars.size() ? index : index - cars.size();
        return model.next(device, eventId(model.family(), device, seq), deviceId(model.family(), device),
                seq, eventTime, producedAtMillis);
    }

    /** The id of a device: {@code car-000123} or {@code bike-000045}. */
    public static String deviceId(EventFamily family, int index) {
        String prefix = family == EventFamily.CAR_TELEMETRY ? "car-" : "bike-";
        String n = Integer.toString(index);
        return n.length() >= 6 ? prefix + n : prefix + "000000".substring(n.length()) + n;
    }

    /**
     * A version-8 UUID (RFC 9562) that packs family, device index and sequence number, so ids are
     * unique within a fleet by construction, together with 50 bits derived from the seed, so fleets
     * with other seeds almost surely use other ids. A re-send of the same event keeps its id.
     */
    String eventId(EventFamily family, int device, long seq) {
        long familyBit = family == EventFamily.CAR_TELEMETRY ? 0 : 1;
        long msb = familyBit << 63
                | (long) device << 34
                | (seedBits >>> 46) << 16
                | 0x8000L
                | (seedBits & 0xFFF);
        long lsb = 0x8000_0000_0000_0000L
                | ((seedBits >>> 12) & 0x3F_FFFF) << 40
                | seq;
        return new UUID(msb, lsb).toString();
    }
}
