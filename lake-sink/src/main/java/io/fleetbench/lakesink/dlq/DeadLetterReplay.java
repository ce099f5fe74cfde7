package io.fleetbench.lakesink.dlq;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Re-validates the records of a dead-letter table with this build's {@link JsonCodec} and writes the
 * ones that now decode (for example records of a schema version an older build did not know) into
 * the event tables through the lake sink, exactly once.
 *
 * <p>Exactly once: the records of each stream and shard are written, in position order, by one sink
 * writer whose source is {@code dlq-replay-<shard>} under the stream's name as application id, so the
 * event tables keep the replay's progress with a {@code txn} action per shard, apart from the
 * consumer's. A second replay finds every record at or below that progress and drops it; a replay
 * that stopped half-way goes on where it stopped. Each row written keeps the dead letter's shard and
 * position as its provenance, as if the consumer had decoded the record when it arrived. The
 * dead-letter table is only read: a replayed record stays there as a record of what happened, and one
 * that still fails stays there too.
 * Decoded events are held in memory until they are written; payloads of the records that still fail
 * are not kept.
 */
public final class DeadLetterReplay {
    /** Prefix of the replay's source id; the original shard id follows. */
    public static final String SOURCE_PREFIX = "dlq-replay-";

    /**
     * What a replay did.
     *
     * @param table                 the dead-letter table
     * @param tableVersion          its snapshot version that was read
     * @param tableRoot             the folder of the event tables written to
     * @param dryRun                whether nothing was written ({@code replayedByTable} then says what would be)
     * @param read                  dead letters read
     * @param replayedByTable       records written (or, in a dry run, that decode), by event table
     * @param alreadyReplayed       records an earlier replay had written, dropped; 0 in a dry run, which does not look
     * @param stillInvalidByReason  records that still fail, by the reason the codec gives now
     * @param samePosition          rows at a stream, shard and position another row already had, skipped
     */
    public record Result(String table, long tableVersion, String tableRoot, boolean dryRun, long read,
                         Map<String, Long> replayedByTable, long alreadyReplayed,
                         Map<String, Long> stillInvalidByReason, long samePosition) {

        /** Records written, or in a dry run, that would be. */
        public long replayed() {
            return replayedByTable.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Records that still fail to decode. */
        public long stillInvalid() {
            return stillInvalidByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * How far a replay has gone, reported after each record that decodes now.
     *
     * @param done  records that decode now gone through: written, dropped as already replayed, or skipped
     * @param total records that decode now, all of which a replay goes through
     */
    public record Progress(long done, long total) {
    }

    /** A record that decodes now, and where it came from. */
    private record Decoded(SourcePosition position, TelemetryEvent event) {
    }

    /** The stream and shard a dead letter came from: one replay writer each. */
    private record Source(String stream, String shard) {
    }

    private final Configuration hadoopConf;
    private final Engine engine;
    private final JsonCodec codec = new JsonCodec();
    private final Clock clock;

    /** A replay through the given Hadoop configuration (enough for local directories by default). */
    public DeadLetterReplay(Configuration hadoopConf, Clock clock) {
        this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
        this.engine = DefaultEngine.create(hadoopConf);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The replay source id of a shard's dead letters. */
    public static String sourceId(String shard) {
        return SOURCE_PREFIX + shard;
    }

    /**
     * Replays a dead-letter table into the event tables under {@code tableRoot}.
     *
     * @param deadLetterTable path or URI of the dead-letter table
     * @param tableRoot       path or URI of the folder that holds the event tables (created if missing)
     * @param dryRun          re-validate and count only
     * @throws NoDeadLetterTableException if there is no dead-letter table at {@code deadLetterTable}
     */
    public Result replay(String deadLetterTable, String tableRoot, boolean dryRun) {
        return replay(deadLetterTable, tableRoot, dryRun, p -> { });
    }

    /**
     * Replays a dead-letter table as {@link #replay(String, String, boolean)} does, telling
     * {@code progress} after each record that decodes now has been gone through.
     *
     * @param progress told how far the replay has gone; called on this thread
     */
    public Result replay(String deadLetterTable, String tableRoot, boolean dryRun, Consumer<Progress> progress) {
        Objects.requireNonNull(progress, "progress");
        DeadLetterTable table = new DeadLetterTable(engine, deadLetterTable);
        Map<Source, List<Decoded>> bySource = new LinkedHashMap<>();
        Map<String, Long> stillInvalid = new TreeMap<>();
        long[] read = {0};
        table.forEach(List.of(DeadLetterTable.RAW, DeadLetterTable.STREAM, DeadLetterTable.SHARD,
                DeadLetterTable.SEQUENCE_NUMBER, DeadLetterTable.SUB_SEQUENCE_NUMBER), letter -> {
            read[0]++;
            try {
                TelemetryEvent event = codec.decode(letter.raw());
                bySource.computeIfAbsent(new Source(letter.stream(), letter.shard()), k -> new ArrayList<>())
                        .add(new Decoded(letter.position(), event));
            } catch (InvalidEventException e) {
                stillInvalid.merge(e.reason().label(), 1L, Long::sum);
            }
        });
        Map<String, Long> replayed = new TreeMap<>();
        long already = 0;
        long samePosition = 0;
        Map<String, List<Map.Entry<Source, List<Decoded>>>> byStream = new TreeMap<>();
        long total = bySource.values().stream().mapToLong(List::size).sum();
        Counter done = new Counter(total, progress);
        for (Map.Entry<Source, List<Decoded>> e : bySource.entrySet()) {
            e.getValue().sort(Comparator.comparing(Decoded::position));
            byStream.computeIfAbsent(e.getKey().stream(), k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, List<Map.Entry<Source, List<Decoded>>>> stream : byStream.entrySet()) {
            if (dryRun) {
                for (Map.Entry<Source, List<Decoded>> source : stream.getValue()) {
                    samePosition += write(null, source.getValue(), replayed, done)[1];
                }
                continue;
            }
            LakeSinkConfig config = LakeSinkConfig.defaults(tableRoot).withApplicationId(stream.getKey());
            try (DeltaLakeSink sink = new DeltaLakeSink(config, hadoopConf, new SimpleMeterRegistry(), clock)) {
                for (Map.Entry<Source, List<Decoded>> source : stream.getValue()) {
                    String shard = source.getKey().shard();
                    try (ShardWriter w = sink.open(sourceId(shard), shard)) {
                        long[] counts = write(w, source.getValue(), replayed, done);
                        already += counts[0];
                        samePosition += counts[1];
                    }
                }
            }
        }
        return new Result(deadLetterTable, table.version(), tableRoot, dryRun, read[0],
                Collections.unmodifiableMap(replayed), already, Collections.unmodifiableMap(stillInvalid), samePosition);
    }

    /**
     * Writes one shard's decoded records, in position order, and commits them; with a null writer (a
     * dry run) only counts them. Adds what was written to {@code replayed} by table once committed, and
     * returns the records dropped as already replayed and those skipped for a repeated position.
     */
    private static long[] write(ShardWriter w, List<Decoded> records, Map<String, Long> replayed, Counter done) {
        long already = 0;
        long samePosition = 0;
        SourcePosition previous = null;
        Map<String, Long> written = new TreeMap<>();
        for (Decoded d : records) {
            done.increment();
            if (d.position().equals(previous)) {
                samePosition++;
                continue;
            }
            previous = d.position();
            if (w == null || w.append(new SinkRecord(d.position(), d.event()))) {
                written.merge(d.event().family().wireName(), 1L, Long::sum);
            } else {
                already++;
            }
            if (w != null && w.flushDue()) {
                w.flush();
            }
        }
        if (w != null) {
            w.flush();
        }
        written.forEach((table, n) -> replayed.merge(table, n, Long::sum));
        return new long[] {already, samePosition};
    }

    /** Counts the records gone through and reports each count. */
    private static final class Counter {
        private final long total;
        private final Consumer<Progress> progress;
        private long done;

        Counter(long total, Consumer<Progress> progress) {
            this.total = total;
            this.progress = progress;
        }

        void increment() {
            progress.accept(new Progress(++done, total));
        }
    }
}
