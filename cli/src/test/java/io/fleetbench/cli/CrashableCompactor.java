package io.fleetbench.cli;

import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.CompactionResult;
import io.fleetbench.compactor.Compactor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;

/**
 * A compactor process for {@link CompactorCrashIT}: the real one-shot compactor with its defaults, run
 * over one table until it finishes or is killed.
 */
public final class CrashableCompactor {
    /** The line printed just before compaction starts. */
    public static final String STARTED = "crashable-compactor: compacting";

    private CrashableCompactor() {
    }

    /** Argument: the table's path. */
    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("expected 1 argument (tablePath), found " + args.length);
        }
        System.out.println(STARTED + " " + args[0]);
        System.out.flush();
        // The table was just written, so its partition is still open: compact it anyway, as --include-open-partitions does.
        CompactionOptions options = CompactionOptions.defaults()
                .withClosedPartitions(CompactionOptions.DEFAULT_CLOSED_AFTER, true);
        CompactionResult r = new Compactor(options, new SimpleMeterRegistry(), Clock.systemUTC()).compact(args[0]);
        System.out.println("crashable-compactor: finished: " + r);
    }
}
