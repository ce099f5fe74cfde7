package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import io.fleetbench.runner.audit.RunAudit;
import io.fleetbench.runner.pipeline.LakeLayout;
import io.fleetbench.runner.pipeline.PipelineProgress;
import io.fleetbench.telemetry.EventSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The end of a drain after the stream lost events with a restart of its emulator. The rows the lake must hold are no
 * longer a count: the events read before the stream was destroyed may be in the lake or lost with it, which only the
 * lake tells. So once the pipeline is idle, the lake is read as the audit reads it, and the drain is over when no
 * acknowledged event is missing from it but those lost with the stream; at most every {@value #EVERY_SECONDS} s, and
 * only after the pipeline committed more since the last look.
 */
final class StreamLossDrain {
    private static final long EVERY_SECONDS = 2;

    private final LakeLayout lake;
    private final Path runDir;
    private long nextLookNanos;
    private long accountedAtLastLook = -1;
    private boolean drained;

    StreamLossDrain(LakeLayout lake, Path runDir) {
        this.lake = lake;
        this.runDir = runDir;
    }

    /** Whether the last look found the lake holding every acknowledged event not lost with the stream. */
    boolean drained() {
        return drained;
    }

    /** Whether the lake holds every acknowledged event that was not lost with the stream; reads it when due. */
    boolean nothingMissing(PipelineProgress now) {
        if (System.nanoTime() < nextLookNanos || now.accounted() == accountedAtLastLook) {
            return false;
        }
        accountedAtLastLook = now.accounted();
        nextLookNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(EVERY_SECONDS);
        try {
            RunAudit.Result r = RunAudit.judge(RunAudit.Inputs.ofRunFolder(lake, runDir, EventSchema.CURRENT_VERSION,
                    null, Map.of(), Optional.empty()), RunAudit.Progress.NONE);
            RunReport.Audit a = r.audit();
            drained = a.manifestComplete() && a.lost() == 0;
            return drained;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the lake " + lake.root() + " to see whether it holds what is due", e);
        }
    }
}
