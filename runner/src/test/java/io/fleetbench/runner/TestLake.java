package io.fleetbench.runner;

import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.telemetry.TelemetryEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small lake written by the real sink, flush by flush: each flush commits one file per partition it
 * touches. Records take positions 1, 2, 3, ... in the order they are appended, over every shard.
 */
public final class TestLake implements AutoCloseable {
    private final DeltaLakeSink sink;
    private final Map<String, ShardWriter> writers = new HashMap<>();
    private int position;

    /** A lake with the sink's defaults under {@code root}, its commits timed by {@code clock}. */
    public TestLake(Path root, Clock clock) {
        this.sink = new DeltaLakeSink(LakeSinkConfig.defaults(root.toString()), new SimpleMeterRegistry(), clock);
    }

    /** Appends the events to a shard's writer, opened on first use, and flushes it. */
    public TestLake flush(String shard, List<? extends TelemetryEvent> events) {
        ShardWriter w = writers.computeIfAbsent(shard, sink::open);
        for (TelemetryEvent e : events) {
            w.append(new SinkRecord(SourcePosition.of(Integer.toString(++position), 0), e));
        }
        w.flush();
        return this;
    }

    /** Appends the events to a shard's writer, opened on first use, and flushes it. */
    public TestLake flush(String shard, TelemetryEvent... events) {
        return flush(shard, List.of(events));
    }

    /** The sink, e.g. for its table paths. */
    public DeltaLakeSink sink() {
        return sink;
    }

    /** Closes the writers, then the sink. */
    @Override
    public void close() {
        writers.values().forEach(ShardWriter::close);
        sink.close();
    }
}
