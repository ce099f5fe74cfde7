package io.fleetbench.compactor;

import io.fleetbench.telemetry.ByteSize;

import java.util.Arrays;

/**
 * File counts and bytes by file size, in the bins of Delta's own {@code FileSizeHistogram}
 * ({@code DEFAULT_BINS} in delta-spark's {@code org.apache.spark.sql.delta.stats}): exponential up to
 * 8 MiB, then finer around 128 MiB, then coarser up to 256 GiB. Each boundary is the start of a bin
 * (included) and the next boundary its end (excluded); the last bin is open-ended. Immutable once built.
 */
public final class FileSizeHistogram {
    private static final long KB = 1024L;
    private static final long MB = 1024L * KB;
    private static final long GB = 1024L * MB;

    /** The bins' lower bounds, exactly Delta's {@code FileSizeHistogram.DEFAULT_BINS}. */
    private static final long[] BOUNDARIES = {
        0L,
        8 * KB, 16 * KB, 32 * KB, 64 * KB, 128 * KB, 256 * KB,
        512 * KB, 1 * MB, 2 * MB, 4 * MB,
        8 * MB, 12 * MB, 16 * MB, 20 * MB, 24 * MB, 28 * MB,
        32 * MB, 36 * MB, 40 * MB,
        48 * MB, 56 * MB, 64 * MB, 72 * MB, 80 * MB,
        88 * MB, 96 * MB, 104 * MB, 112 * MB, 120 * MB,
        124 * MB, 128 * MB, 132 * MB, 136 * MB, 140 * MB, 144 * MB,
        160 * MB, 176 * MB, 192 * MB, 208 * MB, 224 * MB, 240 * MB,
        256 * MB, 272 * MB, 288 * MB, 304 * MB, 320 * MB, 336 * MB,
        352 * MB, 368 * MB, 384 * MB, 400 * MB, 416 * MB, 432 * MB,
        448 * MB, 464 * MB, 480 * MB, 496 * MB, 512 * MB, 528 * MB,
        544 * MB, 560 * MB, 576 * MB,
        640 * MB, 704 * MB, 768 * MB, 832 * MB, 896 * MB, 960 * MB,
        1024 * MB, 1088 * MB, 1152 * MB, 1216 * MB, 1280 * MB,
        1344 * MB, 1408 * MB,
        1536 * MB, 1664 * MB, 1792 * MB, 1920 * MB, 2048 * MB,
        2304 * MB, 2560 * MB, 2816 * MB, 3072 * MB,
        3328 * MB, 3584 * MB, 3840 * MB, 4 * GB,
        8 * GB, 16 * GB, 32 * GB, 64 * GB, 128 * GB, 256 * GB
    };

    private final long[] files = new long[BOUNDARIES.length];
    private final long[] bytes = new long[BOUNDARIES.length];

    /** Number of bins: 95. */
    public static int bins() {
        return BOUNDARIES.length;
    }

    /** The lower bound of a bin, in bytes (included). */
    public static long lowerBound(int bin) {
        return BOUNDARIES[bin];
    }

    /** The upper bound of a bin, in bytes (excluded), or {@link Long#MAX_VALUE} for the last, open-ended bin. */
    public static long upperBound(int bin) {
        return bin + 1 < BOUNDARIES.length ? BOUNDARIES[bin + 1] : Long.MAX_VALUE;
    }

    /**
     * The bin of a file size: the last bin whose lower bound is at most the size.
     *
     * @throws IllegalArgumentException if the size is negative
     */
    public static int binOf(long sizeBytes) {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("a file size must be >= 0, found " + sizeBytes);
        }
        int i = Arrays.binarySearch(BOUNDARIES, sizeBytes);
        return i >= 0 ? i : -i - 2;
    }

    /** An empty histogram. */
    FileSizeHistogram() {
    }

    /** A histogram of the given file sizes. */
    public static FileSizeHistogram of(long... sizes) {
        FileSizeHistogram h = new FileSizeHistogram();
        for (long s : sizes) {
            h.add(s);
        }
        return h;
    }

    /** Counts one file. */
    void add(long sizeBytes) {
        int bin = binOf(sizeBytes);
        files[bin]++;
        bytes[bin] += sizeBytes;
    }

    /** A new histogram with the counts of this one and another. */
    public FileSizeHistogram plus(FileSizeHistogram other) {
        FileSizeHistogram sum = new FileSizeHistogram();
        for (int i = 0; i < files.length; i++) {
            sum.files[i] = files[i] + other.files[i];
            sum.bytes[i] = bytes[i] + other.bytes[i];
        }
        return sum;
    }

    /** Files counted in a bin. */
    public long files(int bin) {
        return files[bin];
    }

    /** Total size of the files counted in a bin. */
    public long bytes(int bin) {
        return bytes[bin];
    }

    /** The bin's range as a person reads it, e.g. {@code 8 KiB - 16 KiB} or {@code >= 256 GiB}. */
    public static String label(int bin) {
        if (bin + 1 == BOUNDARIES.length) {
            return ">= " + ByteSize.format(BOUNDARIES[bin]);
        }
        return ByteSize.format(BOUNDARIES[bin]) + " - " + ByteSize.format(BOUNDARIES[bin + 1]);
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof FileSizeHistogram h && Arrays.equals(files, h.files) && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
