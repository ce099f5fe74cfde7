package io.fleetbench.runner.pipeline;

import io.fleetbench.lakesink.DeltaLakeSink;
import io.fleetbench.telemetry.EventFamily;

/**
 * Where a pipeline's Delta tables are: one table per event family and the dead-letter table, below
 * one root, named as the reference sink names them ({@code <root>/car_telemetry}, ...,
 * {@code <root>/dead_letters}). A team's pipeline is audited on the same layout.
 *
 * @param root the folder or URI of the tables
 */
public record LakeLayout(String root) {
    /** The table of an event family. */
    public String tablePath(EventFamily family) {
        return DeltaLakeSink.tablePath(root, family);
    }

    /** The dead-letter table. */
    public String deadLetterTablePath() {
        return DeltaLakeSink.deadLetterTablePath(root);
    }
}
