package io.fleetbench.compactor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/** Groups one partition's small files into bins of up to the target size. Pure, no I/O. */
final class BinPlanner {
    private BinPlanner() {
    }

    /**
     * Packs the files smaller than 3/4 of the target size into bins, smallest first, each bin up to the
     * target size; bins with fewer than {@code minFilesPerBin} files are dropped, since rewriting them
     * would gain nothing. The same files always give the same bins, in the same order.
     */
    static <F> List<List<F>> plan(List<F> files, ToLongFunction<F> size, long targetFileBytes, int minFilesPerBin) {
        long smallFileBytes = CompactionOptions.smallFileBytes(targetFileBytes);
        List<F> small = new ArrayList<>();
        for (F f : files) {
            if (size.applyAsLong(f) < smallFileBytes) {
                small.add(f);
            }
        }
        small.sort(Comparator.comparingLong(size));
        List<List<F>> bins = new ArrayList<>();
        List<F> bin = new ArrayList<>();
        long binBytes = 0;
        for (F f : small) {
            long s = size.applyAsLong(f);
            if (!bin.isEmpty() && binBytes + s > targetFileBytes) {
                bins.add(bin);
                bin = new ArrayList<>();
                binBytes = 0;
            }
            bin.add(f);
            binBytes += s;
        }
        if (!bin.isEmpty()) {
            bins.add(bin);
        }
        bins.removeIf(b -> b.size() < minFilesPerBin);
        return bins;
    }
}
