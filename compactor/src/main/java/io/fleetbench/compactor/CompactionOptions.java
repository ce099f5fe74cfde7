package io.fleetbench.compactor;

/**
 * Settings of a {@link Compactor}.
 *
 * @param targetFileBytes files smaller than 3/4 of this are merged into files of up to this size;
 *                        default 128 MiB, at least 4 bytes
 * @param minFilesPerBin  a group of files is rewritten only if it has at least this many; default 2, at least 2
 */
public record CompactionOptions(long targetFileBytes, int minFilesPerBin) {

    /** Default target file size: 128 MiB. */
    public static final long DEFAULT_TARGET_FILE_BYTES = 128L << 20;
    /** Default smallest number of files worth rewriting together: 2. */
    public static final int DEFAULT_MIN_FILES_PER_BIN = 2;

    public CompactionOptions {
        if (targetFileBytes < 4) {
            throw new IllegalArgumentException("targetFileBytes must be >= 4, found " + targetFileBytes);
        }
        if (minFilesPerBin < 2) {
            throw new IllegalArgumentException("minFilesPerBin must be >= 2, found " + minFilesPerBin);
        }
    }

    /** The defaults. */
    public static CompactionOptions defaults() {
        return new CompactionOptions(DEFAULT_TARGET_FILE_BYTES, DEFAULT_MIN_FILES_PER_BIN);
    }

    /** Files below this size are candidates: 3/4 of the target. */
    public long smallFileBytes() {
        return targetFileBytes - targetFileBytes / 4;
    }
}
