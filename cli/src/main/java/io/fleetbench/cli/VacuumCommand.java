package io.fleetbench.cli;

import io.fleetbench.telemetry.ByteSize;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.ProgressBar;

import io.delta.standalone.DeltaLog;
import io.fleetbench.compactor.RetentionBeyondHistoryException;
import io.fleetbench.compactor.Vacuum;
import io.fleetbench.compactor.VacuumOptions;
import io.fleetbench.compactor.VacuumProgress;
import io.fleetbench.compactor.VacuumResult;
import io.fleetbench.profile.Durations;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code fleetbench vacuum <table>}: deletes data files the table no longer needs, and old log files. */
@Command(name = "vacuum", description = {
        "Delete the data files of a Delta table that its snapshot no longer references and that are older than the "
                + "retention: files removed (by compaction) longer ago than the retention, and orphan files (never "
                + "committed, e.g. left by a crashed writer or compactor) last modified longer ago than it. Files the "
                + "snapshot references, files modified within the retention and _delta_log are never deleted.",
        "Then clean the log: commit and checkpoint files older than the table's delta.logRetentionDuration (30 days "
                + "by default) go, except the latest checkpoint, the commits after it and the newest commit of every "
                + "source (application id) that committed to the table."})
final class VacuumCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<table>", description = "Path or URI of the Delta table.")
    String table;

    @Option(names = "--retention", paramLabel = "<duration>", defaultValue = "7d", converter = Converters.DurationOrZero.class,
            description = "How long removed and orphan files are kept, e.g. 7d, 36h, 0s; under 1h needs --force "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--dry-run", description = "List what would be deleted, with sizes and reasons; delete nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Allow a retention under 1h. Only when nothing writes to the table: a "
            + "writer's new files are orphans until its commit lands, and a shorter retention can delete them.")
    boolean force;

    @Override
    public Integer call() {
        if (retention.compareTo(VacuumOptions.MIN_RETENTION) < 0 && !force) {
            System.err.println("fleetbench: vacuum: --retention " + format(retention) + " is under the minimum of 1h: "
                    + "files that a running writer or compactor has written but not yet committed would be deleted. "
                    + "Add --force if nothing writes to " + table + ".");
            return ExitCode.BAD_INPUT;
        }
        if (!DeltaLog.forTable(new Configuration(), table).tableExists()) {
            System.err.println("fleetbench: vacuum: no Delta table at " + table + " (expected a folder with _delta_log)");
            return ExitCode.BAD_INPUT;
        }
        VacuumResult r;
        ProgressBar bar = ProgressBar.onConsole("vacuum");
        VacuumProgress[] last = {new VacuumProgress(0, 0, 0, 0)};
        try {
            r = new Vacuum(new Configuration(), Clock.systemUTC()).vacuum(table,
                    new VacuumOptions(retention, dryRun, force), p -> {
                        last[0] = p;
                        bar.update(p.examined(), p.total(), "files examined", progressDetail(p, dryRun));
                    });
        } catch (RetentionBeyondHistoryException e) {
            System.err.println("fleetbench: vacuum: " + beyondHistory(table, e));
            return ExitCode.BAD_INPUT;
        }
        bar.finish(last[0].examined(), last[0].total(), "files examined", progressDetail(last[0], dryRun));
        System.out.print(describe(r));
        return ExitCode.OK;
    }

    /** The figures after the bar: files deleted and bytes freed so far, or that would be in a dry run. */
    static String progressDetail(VacuumProgress p, boolean dryRun) {
        return String.format(Locale.ROOT, "%s %,d, %s %s", dryRun ? "would delete" : "deleted", p.deleted(),
                ByteSize.format(p.bytesFreed()), dryRun ? "to free" : "freed");
    }

    /** Why a retention was refused for reaching back past the table's history, and what to ask for instead. */
    static String beyondHistory(String table, RetentionBeyondHistoryException e) {
        return "--retention " + format(e.retention()) + " reaches back to " + e.cutoff() + ", further than the history"
                + " of " + table + ": its snapshot keeps removed files for " + format(e.tombstoneRetention())
                + " (delta.deletedFileRetentionDuration) and the oldest commit in its log, version " + e.oldestCommit()
                + ", was written at " + e.oldestCommitWritten() + ", so files removed before then could not be told"
                + " from orphans. Nothing was deleted. Use a shorter retention: --retention "
                + format(e.longestRetention()) + " or less.";
    }

    /** What a vacuum prints: every file in a dry run, counts by reason otherwise. */
    static String describe(VacuumResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "vacuum%s: %s at version %d, retention %s: files removed or last modified"
                        + " before %s go%n", r.dryRun() ? " (dry run, nothing deleted)" : "", r.tablePath(), r.version(),
                format(r.retention()), r.cutoff()));
        b.append(String.format(Locale.ROOT, "  %s %,d data files, %s (%d removed, %d orphan)%n",
                r.dryRun() ? "would delete" : "deleted", r.files().size(), ByteSize.format(r.bytes()),
                r.files(VacuumResult.Reason.REMOVED).size(), r.files(VacuumResult.Reason.UNREFERENCED).size()));
        if (r.dryRun()) {
            for (VacuumResult.DeletableFile f : r.files()) {
                b.append(String.format(Locale.ROOT, "    %-8s %10s  %s  (%s)%n", f.reason().label(),
                        ByteSize.format(f.sizeBytes()), f.path(), f.removed()
                                .map(t -> "removed " + t).orElse("last modified " + f.modified())));
            }
        }
        b.append(String.format(Locale.ROOT, "  kept: %,d referenced by the snapshot, %,d removed within the retention, "
                        + "%,d not referenced but modified within the retention%n",
                r.referencedFiles(), r.removedWithinRetention(), r.youngUnreferenced()));
        VacuumResult.LogCleanup log = r.log();
        if (log.latestCheckpoint() < 0) {
            b.append("  log: no checkpoint yet, nothing to clean\n");
        } else if (log.files().isEmpty()) {
            b.append(String.format(Locale.ROOT, "  log: nothing to delete (log retention %s, latest checkpoint %d, oldest"
                    + " commit %d)%n", format(log.retention()), log.latestCheckpoint(), log.keptFromVersion()));
        } else {
            b.append(String.format(Locale.ROOT, "  log: %s %,d files below version %d (log retention %s, latest "
                            + "checkpoint %d)%n", r.dryRun() ? "would delete" : "deleted", log.files().size(),
                    log.keptFromVersion(), format(log.retention()), log.latestCheckpoint()));
        }
        log.pinnedBy().ifPresent(id -> b.append(String.format(Locale.ROOT,
                "       kept from version %d for the newest commit of %s: a writer of that source reads its "
                        + "position from it%n", log.keptFromVersion(), id)));
        return b.toString();
    }

    /**
     * A duration as {@code --retention} reads it: whole days, then the rest in the form
     * {@link Durations#format} writes (e.g. {@code 7d}, {@code 9d5h}, {@code 36m}).
     */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        Duration rest = d.minusDays(d.toDays());
        if (d.toDays() == 0 || rest.toMillisPart() != 0) {
            return Durations.format(d);
        }
        return d.toDays() + "d" + (rest.isZero() ? "" : Durations.format(rest));
    }
}
