package io.fleetbench.runner.compaction;


import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Helpers over the row multisets of {@link io.fleetbench.runner.KernelRows}: a filter, a column, a checksum. */
final class KernelRowSet {
    /** The rows whose text a predicate accepts, with their counts. */
    static Map<String, Integer> where(Map<String, Integer> rows, Predicate<String> keep) {
        Map<String, Integer> kept = new HashMap<>();
        rows.forEach((row, n) -> {
            if (keep.test(row)) {
                kept.put(row, n);
            }
        });
        return kept;
    }

    /** The value of one column in a row's text. */
    static String column(String row, String name) {
        for (String part : row.split("\\|")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("row has no column " + name + ": " + row);
    }

    /** SHA-256 over the sorted SHA-256 hashes of every row, each as often as it occurs. */
    static String checksum(Map<String, Integer> rows) {
        try {
            List<String> hashes = new ArrayList<>();
            for (Map.Entry<String, Integer> e : rows.entrySet()) {
                String h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(e.getKey().getBytes(StandardCharsets.UTF_8)));
                for (int i = 0; i < e.getValue(); i++) {
                    hashes.add(h);
                }
            }
            hashes.sort(null);
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            for (String h : hashes) {
                all.update(h.getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(all.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
