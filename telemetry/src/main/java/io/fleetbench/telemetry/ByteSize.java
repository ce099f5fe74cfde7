package io.fleetbench.telemetry;

import java.util.Locale;

/** Sizes in bytes as people read them, in binary units: the same wording in every stage's output and report. */
public final class ByteSize {
    private ByteSize() {
    }

    /** {@code n} bytes in the largest binary unit that keeps the figure at 1 or more, e.g. {@code 3.4 MiB}, {@code 128 MiB}. */
    public static String format(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        double v = n;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%d %s", Math.round(v), units[u]);
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
