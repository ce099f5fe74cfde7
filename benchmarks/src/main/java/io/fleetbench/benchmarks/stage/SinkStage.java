package io.fleetbench.benchmarks.stage;

import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.lakesink.SinkMeters;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lake sink alone: one {@link DeltaLakeSink} shard writer per shard of the {@link Recording}
 * takes its shard's records, {@code batch} at a time with a flush (Parquet files finished and a Delta
 * commit per table with the shard's {@code txn}) after each, the shards taking turns on one thread.
 * Opening the sink and its writers, and closing them, is not measured. The stage flushes after each
 * batch without asking {@link ShardWriter#flushDue()}, so the commits are exactly the batches.
 */
final class SinkStage {
    private SinkStage() {
    }

    /** One round into a fresh table root. */
    static Map<String, Double> round(Recording recording, int batch, Path tableRoot, BenchProgress progress) {
        LakeSinkConfig config = LakeSinkConfig.defaults(tableRoot.toString())
                .withBufferLimits(Duration.ofHours(1), 1L << 30);
        MeterRegistry registry = new SimpleMeterRegistry();
        List<List<SinkRecord>> shards = recording.shards();
        long appended = 0;
        double commitsBefore;
        Meter meter;
        try (DeltaLakeSink sink = new DeltaLakeSink(config, registry, Clock.systemUTC())) {
            List<ShardWriter> writers = new ArrayList<>();
            try {
                for (int s = 0; s < shards.size(); s++) {
                    writers.add(sink.open(String.format(Locale.ROOT, "shardId-%012d", s)));
                }
                int[] next = new int[shards.size()];
                // Opening a writer claims its source in every table with a commit of its own: not the stage's work.
                commitsBefore = count(registry, SinkMeters.COMMITS);
                meter = new Meter();
                boolean more = true;
                while (more) {
                    more = false;
                    for (int s = 0; s < shards.size(); s++) {
                        List<SinkRecord> records = shards.get(s);
                        int end = Math.min(records.size(), next[s] + batch);
                        if (next[s] == end) {
                            continue;
                        }
                        ShardWriter w = writers.get(s);
                        for (int i = next[s]; i < end; i++) {
                            w.append(records.get(i));
                        }
                        appended += end - next[s];
                        next[s] = end;
                        w.flush();
                        more |= end < records.size();
                        progress.update(appended, recording.records(), "rows");
                    }
                }
                meter.stop();
            } finally {
                writers.forEach(ShardWriter::close);
            }
        }
        double rows = count(registry, SinkMeters.WRITTEN_ROWS);
        double bytes = count(registry, SinkMeters.WRITTEN_BYTES);
        if (rows != appended) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the sink committed %,.0f rows of the %,d records"
                    + " it was given", rows, appended));
        }
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("records", (double) appended);
        f.put("rows", rows);
        f.put("seconds", meter.wallSeconds());
        f.put("rows_per_s", rows / meter.wallSeconds());
        f.put("parquet_mb", bytes / 1e6);
        f.put("parquet_mb_per_s", bytes / 1e6 / meter.wallSeconds());
        f.put("files", count(registry, SinkMeters.FILES_WRITTEN));
        f.put("commits", count(registry, SinkMeters.COMMITS) - commitsBefore);
        f.put("cpu_s_per_million_rows", meter.cpuSeconds() / (Math.max(1, rows) / 1e6));
        return f;
    }

    static double count(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
