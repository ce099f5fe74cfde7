package io.fleetbench.lakesink.dlq;

import io.delta.kernel.defaults.engine.DefaultEngine;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a dead-letter table holds: rows by the reason they were rejected for, with a few of the
 * rejection messages of each reason. It reads only the reason and message columns, never payloads.
 */
public final class DeadLetterListing {
    /** Distinct messages kept per reason. */
    public static final int SAMPLES_PER_REASON = 3;

    /**
     * A dead-letter table's contents by reason.
     *
     * @param table    the table
     * @param version  its snapshot version that was read
     * @param byReason rows per reason, in reason order
     * @param samples  up to {@value #SAMPLES_PER_REASON} distinct messages per reason, in the order read
     */
    public record Listing(String table, long version, Map<String, Long> byReason, Map<String, List<String>> samples) {

        /** All rows. */
        public long rows() {
            return byReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private DeadLetterListing() {
    }

    /**
     * Lists a dead-letter table.
     *
     * @throws NoDeadLetterTableException if there is no dead-letter table at {@code path}
     */
    public static Listing list(Configuration hadoopConf, String path) {
        DeadLetterTable table = new DeadLetterTable(DefaultEngine.create(hadoopConf), path);
        Map<String, Long> byReason = new TreeMap<>();
        Map<String, List<String>> samples = new TreeMap<>();
        table.forEach(List.of(DeadLetterTable.REASON, DeadLetterTable.MESSAGE), letter -> {
            byReason.merge(letter.reason(), 1L, Long::sum);
            List<String> s = samples.computeIfAbsent(letter.reason(), k -> new ArrayList<>());
            if (s.size() < SAMPLES_PER_REASON && !s.contains(letter.message())) {
                s.add(letter.message());
            }
        });
        return new Listing(path, table.version(), Collections.unmodifiableMap(byReason),
                Collections.unmodifiableMap(samples));
    }
}
