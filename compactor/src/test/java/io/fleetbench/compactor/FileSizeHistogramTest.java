package io.fleetbench.compactor;

import io.fleetbench.telemetry.ByteSize;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bins are Delta's {@code FileSizeHistogram.DEFAULT_BINS}, and sizes land in them as in Delta. */
class FileSizeHistogramTest {
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;

    @Test
    void theBinsAreDeltasDefaultBins() {
        assertEquals(95, FileSizeHistogram.bins());
        assertEquals(0, FileSizeHistogram.lowerBound(0));
        assertEquals(8 * KB, FileSizeHistogram.lowerBound(1));
        assertEquals(4 * MB, FileSizeHistogram.lowerBound(10));
        assertEquals(8 * MB, FileSizeHistogram.lowerBound(11));
        assertEquals(12 * MB, FileSizeHistogram.lowerBound(12));
        assertEquals(124 * MB, FileSizeHistogram.lowerBound(30));
        assertEquals(128 * MB, FileSizeHistogram.lowerBound(31));
        assertEquals(4 * GB, FileSizeHistogram.lowerBound(88));
        assertEquals(256 * GB, FileSizeHistogram.lowerBound(94));
        assertEquals(Long.MAX_VALUE, FileSizeHistogram.upperBound(94));
        for (int i = 1; i < FileSizeHistogram.bins(); i++) {
            assertEquals(FileSizeHistogram.upperBound(i - 1), FileSizeHistogram.lowerBound(i));
        }
    }

    @Test
    void aSizeLandsInTheLastBinStartingAtOrBelowIt() {
        assertEquals(0, FileSizeHistogram.binOf(0));
        assertEquals(0, FileSizeHistogram.binOf(8 * KB - 1));
        assertEquals(1, FileSizeHistogram.binOf(8 * KB));
        assertEquals(30, FileSizeHistogram.binOf(128 * MB - 1));
        assertEquals(31, FileSizeHistogram.binOf(128 * MB));
        assertEquals(94, FileSizeHistogram.binOf(1024 * GB));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileSizeHistogram.binOf(-1));
        assertEquals("a file size must be >= 0, found -1", e.getMessage());
    }

    @Test
    void countsFilesAndBytesPerBinAndAddsUp() {
        FileSizeHistogram a = FileSizeHistogram.of(100, 200, 9 * KB);
        FileSizeHistogram b = FileSizeHistogram.of(300, 130 * MB);
        FileSizeHistogram sum = a.plus(b);
        assertEquals(3, sum.files(0));
        assertEquals(600, sum.bytes(0));
        assertEquals(1, sum.files(1));
        assertEquals(9 * KB, sum.bytes(1));
        assertEquals(1, sum.files(31));
        assertEquals(2, a.files(0), "plus leaves its operands alone");
        assertEquals(FileSizeHistogram.of(100, 200, 300, 9 * KB, 130 * MB), sum);
    }

    @Test
    void labelsReadAsSizes() {
        assertEquals("0 B - 8 KiB", FileSizeHistogram.label(0));
        assertEquals("124 MiB - 128 MiB", FileSizeHistogram.label(30));
        assertEquals(">= 256 GiB", FileSizeHistogram.label(94));
        assertEquals("1.5 MiB", ByteSize.format(3 * MB / 2));
        assertEquals("999 B", ByteSize.format(999));
    }
}
