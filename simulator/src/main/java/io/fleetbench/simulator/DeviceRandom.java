package io.fleetbench.simulator;

/**
 * SplitMix64 over one {@code long} of state per device, so each device draws its own reproducible
 * sequence whatever order the fleet visits devices in, at eight bytes per device.
 */
final class DeviceRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private DeviceRandom() {
    }

    /** A well-mixed 64-bit hash of a value (the SplitMix64 finalizer). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The initial state of one device's generator; {@code kind} tells cars (0) from bikes (1). */
    static long seed(long fleetSeed, int kind, int device) {
        return mix(mix(fleetSeed) + ((long) kind << 32 | device));
    }

    /** The next 64 random bits of device {@code i}. */
    static long nextLong(long[] state, int i) {
        long s = state[i] + GOLDEN_GAMMA;
        state[i] = s;
        return mix(s);
    }

    /** A uniform double in [0, 1). */
    static double nextDouble(long[] state, int i) {
        return (nextLong(state, i) >>> 11) * 0x1.0p-53;
    }

    /** A uniform double in [lo, hi). */
    static double uniform(long[] state, int i, double lo, double hi) {
        return lo + (hi - lo) * nextDouble(state, i);
    }

    /** A standard normal variate (Box-Muller; draws two uniforms). */
    static double gaussian(long[] state, int i) {
        double u1 = 1 - nextDouble(state, i);
        double u2 = nextDouble(state, i);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A uniform double in [0, 1) that depends only on the key, for properties fixed per device. */
    static double hashDouble(long key) {
        return (mix(key) >>> 11) * 0x1.0p-53;
    }
}
