package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.ProgressBar;

import io.fleetbench.lakesink.dlq.DeadLetterListing;
import io.fleetbench.lakesink.dlq.DeadLetterReplay;
import io.fleetbench.lakesink.dlq.NoDeadLetterTableException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/** {@code fleetbench dlq list|replay <dead_letters table>}: inspects the dead-letter table and replays what now decodes. */
@Command(name = "dlq", description = "Inspect the dead-letter table, and replay the records that this build decodes.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Replay.class})
final class DlqCommand {

    /** Counts the dead letters by reason, with a few messages each; never prints payloads. */
    @Command(name = "list", description = "Count the dead letters by reason, with a few of their messages (never payloads).")
    static final class ListLetters implements Callable<Integer> {
        @Parameters(paramLabel = "<dead_letters table>", description = "Path or URI of the dead-letter table.")
        String table;

        @Override
        public Integer call() {
            DeadLetterListing.Listing l;
            try {
                l = DeadLetterListing.list(new Configuration(), table);
            } catch (NoDeadLetterTableException e) {
                System.err.println("fleetbench: dlq list: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            System.out.printf(Locale.ROOT, "%s (version %d): %,d dead letters%n", l.table(), l.version(), l.rows());
            for (Map.Entry<String, Long> e : l.byReason().entrySet()) {
                System.out.printf(Locale.ROOT, "  %-28s %,10d%n", e.getKey(), e.getValue());
                for (String message : l.samples().get(e.getKey())) {
                    System.out.printf("      e.g. %s%n", message);
                }
            }
            return ExitCode.OK;
        }
    }

    /** Re-validates every dead letter and writes the ones that decode now into the event tables, exactly once. */
    @Command(name = "replay", description = {
            "Re-validate the dead letters with this build's codec and write the ones that now decode into the event "
                    + "tables, exactly once: replaying again writes nothing twice. Records that still fail stay in the "
                    + "dead-letter table, which is never changed."})
    static final class Replay implements Callable<Integer> {
        @Parameters(paramLabel = "<dead_letters table>", description = "Path or URI of the dead-letter table.")
        String table;

        @Option(names = "--into", paramLabel = "<table root>",
                description = "Folder of the event tables (default: the folder that holds the dead-letter table).")
        String into;

        @Option(names = "--dry-run", description = "Re-validate and count only; write nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Configuration conf = new Configuration();
            Path tablePath = new Path(table);
            String root = into != null ? into : tablePath.getParent() == null ? "." : tablePath.getParent().toString();
            if (!isDirectory(conf, root)) {
                System.err.println("fleetbench: dlq replay: no folder at " + root
                        + " (expected the folder of the event tables)");
                return ExitCode.BAD_INPUT;
            }
            DeadLetterReplay.Result r;
            ProgressBar bar = ProgressBar.onConsole("dlq replay");
            try {
                r = new DeadLetterReplay(conf, Clock.systemUTC()).replay(table, root, dryRun,
                        p -> bar.update(p.done(), p.total(), "records", ""));
            } catch (NoDeadLetterTableException e) {
                System.err.println("fleetbench: dlq replay: " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            long decoded = r.replayed() + r.alreadyReplayed() + r.samePosition();
            bar.finish(decoded, decoded, "records", String.format(Locale.ROOT, "%s %,d, already replayed %,d",
                    dryRun ? "decode now" : "replayed", r.replayed(), r.alreadyReplayed()));
            System.out.print(describe(r));
            return ExitCode.OK;
        }

        private static boolean isDirectory(Configuration conf, String path) {
            Path p = new Path(path);
            try {
                return p.getFileSystem(conf).getFileStatus(p).isDirectory();
            } catch (FileNotFoundException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException("looking at " + path, e);
            }
        }
    }

    /** The summary a replay prints. */
    static String describe(DeadLetterReplay.Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "dlq replay%s: %s (version %d) into %s%n",
                r.dryRun() ? " (dry run, nothing written)" : "", r.table(), r.tableVersion(), r.tableRoot()));
        b.append(String.format(Locale.ROOT, "  dead letters read: %,d%n", r.read()));
        b.append(String.format(Locale.ROOT, "  %s %,d%s%n", r.dryRun() ? "decode now:       " : "replayed:         ",
                r.replayed(), counts(r.replayedByTable())));
        if (!r.dryRun()) {
            b.append(String.format(Locale.ROOT, "  already replayed:  %,d%n", r.alreadyReplayed()));
        }
        b.append(String.format(Locale.ROOT, "  still invalid:     %,d%s%n", r.stillInvalid(),
                counts(r.stillInvalidByReason())));
        if (r.samePosition() > 0) {
            b.append(String.format(Locale.ROOT,
                    "  skipped:           %,d rows at a stream, shard and position another row had%n", r.samePosition()));
        }
        return b.toString();
    }

    private static String counts(Map<String, Long> byName) {
        if (byName.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner(", ", " (", ")");
        byName.forEach((name, n) -> j.add(String.format(Locale.ROOT, "%s %,d", name, n)));
        return j.toString();
    }
}
