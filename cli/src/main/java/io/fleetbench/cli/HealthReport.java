package io.fleetbench.cli;

import io.fleetbench.telemetry.ByteSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetbench.compactor.FileSizeHistogram;
import io.fleetbench.compactor.TableHealth;

import java.util.List;
import java.util.Locale;

/** {@link TableHealth} as {@code fleetbench table health} prints it: a table for people, or JSON. */
final class HealthReport {
    /** Width of the longest histogram bar, in characters. */
    static final int BAR_WIDTH = 40;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HealthReport() {
    }

    /**
     * One table's health: a row per partition and the totals, the histogram of the table's file sizes
     * in Delta's bins from the smallest to the largest bin in use, and the log's state.
     */
    static String text(TableHealth h) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s (%s) at version %d; target file size %s, small below %s%n", h.table(),
                h.path(), h.version(), ByteSize.format(h.targetFileBytes()),
                ByteSize.format(h.smallFileBytes())));
        int width = Math.max("partition".length(), h.partitions().stream().mapToInt(p -> p.name().length()).max().orElse(0));
        String row = "  %-" + width + "s %9s %12s %12s %12s%n";
        b.append(String.format(Locale.ROOT, row, "partition", "files", "size", "small files", "small bytes"));
        for (TableHealth.Partition p : h.partitions()) {
            b.append(partitionRow(row, p.name().isEmpty() ? "(unpartitioned)" : p.name(), p));
        }
        b.append(partitionRow(row, "total", h.total()));
        FileSizeHistogram hist = h.total().histogram();
        int first = -1;
        int last = -1;
        long most = 0;
        for (int i = 0; i < FileSizeHistogram.bins(); i++) {
            if (hist.files(i) > 0) {
                first = first < 0 ? i : first;
                last = i;
                most = Math.max(most, hist.files(i));
            }
        }
        if (first < 0) {
            b.append("  no data files\n");
        } else {
            b.append("  file sizes (Delta's FileSizeHistogram bins):\n");
            for (int i = first; i <= last; i++) {
                long n = hist.files(i);
                int bar = n == 0 ? 0 : (int) Math.max(1, Math.round((double) n * BAR_WIDTH / most));
                b.append(String.format(Locale.ROOT, "  %21s %9d %12s  %s%n", FileSizeHistogram.label(i), n,
                        ByteSize.format(hist.bytes(i)), "#".repeat(bar)));
            }
        }
        TableHealth.Log log = h.log();
        b.append(String.format(Locale.ROOT, "  log: %s (every %d commits), %d commits since; %d commit files from version"
                        + " %d; %d tombstones (removed files the snapshot remembers)%n",
                log.latestCheckpoint() < 0 ? "no checkpoint yet" : "checkpoint at version " + log.latestCheckpoint(),
                log.checkpointInterval(), log.commitsSinceCheckpoint(), log.commitFiles(), log.oldestCommit(),
                log.tombstones()));
        b.append(String.format(Locale.ROOT, "       log retention %s; %s%n", VacuumCommand.format(log.logRetention()),
                log.standaloneLogCleanup()
                        ? "delta.enableExpiredLogCleanup is on: delta-standalone writers delete old commits after each "
                        + "checkpoint, even a quiet source's newest (its next writer then fails with "
                        + "MissingProgressException); set it to false and clean with fleetbench vacuum"
                        : "cleaned by fleetbench vacuum, which keeps every source's newest commit"));
        return b.toString();
    }

    private static String partitionRow(String format, String name, TableHealth.Partition p) {
        return String.format(Locale.ROOT, format, name, String.format(Locale.ROOT, "%,d", p.files()),
                ByteSize.format(p.bytes()), percent(p.smallFileRatio()), percent(p.smallByteRatio()));
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }

    /** Several tables' health as one JSON document: {@code {"tables": [...]}}. */
    static String json(List<TableHealth> tables) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("tables");
        for (TableHealth h : tables) {
            ObjectNode t = array.addObject();
            t.put("table", h.table());
            t.put("path", h.path());
            t.put("version", h.version());
            t.put("targetFileBytes", h.targetFileBytes());
            t.put("smallFileBytes", h.smallFileBytes());
            partition(t.putObject("total"), h.total());
            ArrayNode partitions = t.putArray("partitions");
            h.partitions().forEach(p -> partition(partitions.addObject().put("partition", p.name()), p));
            TableHealth.Log log = h.log();
            t.putObject("log")
                    .put("latestCheckpoint", log.latestCheckpoint())
                    .put("checkpointInterval", log.checkpointInterval())
                    .put("commitsSinceCheckpoint", log.commitsSinceCheckpoint())
                    .put("oldestCommit", log.oldestCommit())
                    .put("commitFiles", log.commitFiles())
                    .put("logRetentionMillis", log.logRetention().toMillis())
                    .put("standaloneLogCleanup", log.standaloneLogCleanup())
                    .put("tombstones", log.tombstones());
        }
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("writing table health as JSON", e);
        }
    }

    private static void partition(ObjectNode node, TableHealth.Partition p) {
        node.put("files", p.files())
                .put("bytes", p.bytes())
                .put("smallFiles", p.smallFiles())
                .put("smallBytes", p.smallBytes())
                .put("smallFileRatio", p.smallFileRatio())
                .put("smallByteRatio", p.smallByteRatio());
        ArrayNode bins = node.putArray("histogram");
        FileSizeHistogram h = p.histogram();
        for (int i = 0; i < FileSizeHistogram.bins(); i++) {
            if (h.files(i) > 0) {
                ObjectNode bin = bins.addObject().put("fromBytes", FileSizeHistogram.lowerBound(i));
                if (i + 1 < FileSizeHistogram.bins()) {
                    bin.put("toBytes", FileSizeHistogram.upperBound(i));
                } else {
                    bin.putNull("toBytes");
                }
                bin.put("files", h.files(i)).put("bytes", h.bytes(i));
            }
        }
    }
}
