package io.fleetbench.telemetry;

import java.util.UUID;

/**
 * The event ids of one fleet: a version-8 UUID (RFC 9562) that packs the kind of device, its index
 * within its kind and the per-device sequence number, so that ids are unique within a fleet by
 * construction, together with 52 bits derived from the fleet's seed, so that fleets with other seeds
 * almost surely use other ids. A re-send of an event keeps its id.
 *
 * <p>Layout, most significant bit first: kind (1 bit: 0 car, 1 bike), device index (29 bits), seed
 * bits (18), version {@code 8} (4), seed bits (12); variant {@code 10} (2), seed bits (22), sequence
 * number (40 bits, of which the fleet uses 31).
 *
 * <p>{@link #decode} reads an id back into a {@linkplain #key device key}: how an audit maps a row of
 * the lake onto the device and sequence number an acknowledgement manifest speaks of, without keeping
 * ids in memory.
 */
public final class EventIds {
    /** Largest device index within its kind that fits in an id. */
    public static final int MAX_DEVICE_INDEX = (1 << 29) - 1;
    /** Largest per-device sequence number a key holds. */
    public static final long MAX_SEQ = Integer.MAX_VALUE;
    /** What {@link #decode} answers for an id that is not one of this fleet's. */
    public static final long FOREIGN = -1;

    private static final long SEED_MASK_MSB = 0x3_FFFFL << 16 | 0xFFFL;
    private static final long SEED_MASK_LSB = 0x3F_FFFFL << 40;

    private final long msbSeed;
    private final long lsbSeed;

    /** The ids of the fleet with this seed (the profile's {@code fleet.seed}). */
    public EventIds(long seed) {
        long bits = mix(seed ^ 0x5EED_F1EE_7BE4_C4L);
        this.msbSeed = (bits >>> 46) << 16 | (bits & 0xFFF);
        this.lsbSeed = ((bits >>> 12) & 0x3F_FFFF) << 40;
    }

    /**
     * The id of a device's event.
     *
     * @param car    whether the device is a car (else a bike)
     * @param device the device's index within its kind, 0 to {@value #MAX_DEVICE_INDEX}
     * @param seq    the device's sequence number, 1 to {@value #MAX_SEQ}
     */
    public String eventId(boolean car, int device, long seq) {
        if (device < 0 || device > MAX_DEVICE_INDEX || seq < 1 || seq > MAX_SEQ) {
            throw new IllegalArgumentException("device index must be 0 to " + MAX_DEVICE_INDEX + " and seq 1 to "
                    + MAX_SEQ + ", found " + device + " and " + seq);
        }
        long msb = (car ? 0 : 1L) << 63 | (long) device << 34 | msbSeed | 0x8000L;
        long lsb = 0x8000_0000_0000_0000L | lsbSeed | seq;
        return new UUID(msb, lsb).toString();
    }

    /**
     * The device key of an id of this fleet, or {@link #FOREIGN} for anything else (another fleet's
     * id, a malformed string, null).
     */
    public long decode(String id) {
        if (id == null || id.length() != 36) {
            return FOREIGN;
        }
        long msb;
        long lsb;
        try {
            msb = hex(id, 0, 8) << 32 | hex(id, 9, 13) << 16 | hex(id, 14, 18);
            lsb = hex(id, 19, 23) << 48 | hex(id, 24, 36);
        } catch (NumberFormatException e) {
            return FOREIGN;
        }
        if (id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-' || id.charAt(23) != '-') {
            return FOREIGN;
        }
        if ((msb & SEED_MASK_MSB) != msbSeed || (msb & 0xF000L) != 0x8000L
                || (lsb & SEED_MASK_LSB) != lsbSeed || lsb >>> 62 != 2) {
            return FOREIGN;
        }
        long seq = lsb & 0xFF_FFFF_FFFFL;
        if (seq < 1 || seq > MAX_SEQ) {
            return FOREIGN;
        }
        boolean car = msb >>> 63 == 0;
        int device = (int) ((msb >>> 34) & MAX_DEVICE_INDEX);
        return key(car, device, seq);
    }

    /**
     * A device key: kind, device index and sequence number in one non-negative long (kind in bit 62,
     * the index in bits 31 to 59, the sequence number below).
     */
    public static long key(boolean car, int device, long seq) {
        return (car ? 0 : 1L) << 62 | (long) device << 31 | seq;
    }

    /** Whether a key is a car's. */
    public static boolean isCar(long key) {
        return (key >>> 62) == 0;
    }

    /** The device index within its kind of a key. */
    public static int device(long key) {
        return (int) ((key >>> 31) & MAX_DEVICE_INDEX);
    }

    /** The sequence number of a key. */
    public static long seq(long key) {
        return key & MAX_SEQ;
    }

    /** The id of a device: {@code car-000123} or {@code bike-000045}. */
    public static String deviceId(boolean car, int index) {
        String prefix = car ? "car-" : "bike-";
        String n = Integer.toString(index);
        return n.length() >= 6 ? prefix + n : prefix + "000000".substring(n.length()) + n;
    }

    /** Appends {@link #deviceId}'s form without making a string of it. */
    public static StringBuilder appendDeviceId(StringBuilder b, boolean car, int index) {
        b.append(car ? "car-" : "bike-");
        for (int limit = 100_000; limit > 1 && index < limit; limit /= 10) {
            b.append('0');
        }
        return b.append(index);
    }

    /**
     * Parses a device id written by {@link #deviceId} into {@code [kind, index]} as a key with
     * sequence number 0.
     *
     * @throws IllegalArgumentException if it is not such an id
     */
    public static long parseDeviceId(String deviceId) {
        boolean car = deviceId.startsWith("car-");
        if (!car && !deviceId.startsWith("bike-")) {
            throw new IllegalArgumentException("a device id is car-<n> or bike-<n>, found \"" + deviceId + "\"");
        }
        String n = deviceId.substring(car ? 4 : 5);
        int index;
        try {
            index = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a device id is car-<n> or bike-<n>, found \"" + deviceId + "\"");
        }
        if (index < 0 || index > MAX_DEVICE_INDEX || n.startsWith("+")) {
            throw new IllegalArgumentException("device index out of range in \"" + deviceId + "\"");
        }
        return key(car, index, 0);
    }

    private static long hex(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new NumberFormatException();
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** SplitMix64's finaliser, as the simulator's device randomness uses it. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
