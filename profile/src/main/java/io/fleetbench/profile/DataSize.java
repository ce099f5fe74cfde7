package io.fleetbench.profile;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A number of bytes written with a unit: {@code 512B}, {@code 64KiB}, {@code 128MiB}, {@code 1GB}. */
public record DataSize(long bytes) {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)");

    public DataSize {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a size must be positive, found " + bytes + " bytes");
        }
    }

    /** Parses a size; decimal units (KB, MB, GB) are powers of 1000, binary ones (KiB, MiB, GiB) of 1024. */
    public static DataSize parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 128MiB or 500KB (units B, KB, MB, GB, KiB, MiB, GiB), found \""
                    + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "B" -> 1;
            case "KB" -> 1_000;
            case "MB" -> 1_000_000;
            case "GB" -> 1_000_000_000;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            default -> 1L << 30;
        };
        return new DataSize(Math.multiplyExact(n, unit));
    }

    @Override
    public String toString() {
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return String.format(Locale.ROOT, "%dB", bytes);
    }
}
