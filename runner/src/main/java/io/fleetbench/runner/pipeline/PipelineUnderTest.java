package io.fleetbench.runner.pipeline;

import java.util.Optional;

/**
 * The pipeline a run loads and audits, as the OpenMessaging Benchmark's driver is the system it
 * benchmarks: the runner creates the stream, starts the pipeline on it, drives the load, asks for its
 * progress until what was acknowledged is in the lake, stops it, and audits the lake it wrote.
 * {@link ReferencePipeline} is fleetbench's own (KCL consumer, Delta sink, compactor);
 * {@link ExternalPipeline} is a team's own, known only by the stream it reads and the lake it writes.
 */
public interface PipelineUnderTest extends AutoCloseable {

    /** What the report and the console call it: {@code reference} or {@code external}. */
    String kind();

    /** Starts the pipeline on {@code stream}, which exists and is active; returns once it takes records. */
    void start(StreamAccess stream) throws Exception;

    /** Its progress so far; cheap enough to ask ten times a second. */
    PipelineProgress progress();

    /** Why the pipeline stopped working, if it did: the run fails with it rather than wait for the drain. */
    Optional<Throwable> failure();

    /** Called once when the load is halfway: figures per row are taken from here on, after the warm-up. */
    default void loadHalfway() {
    }

    /**
     * Stops reading after what is in progress is committed and checkpointed; then gives what only the
     * pipeline knows for the report.
     */
    PipelineFigures stop() throws InterruptedException;

    /** The lake the pipeline writes: the tables the audit reads. */
    LakeLayout lake();

    /** Releases what {@link #start} took; the lake stays. */
    @Override
    void close();
}
