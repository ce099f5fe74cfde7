package io.fleetbench.cli;

import io.fleetbench.report.AuditReport;
import io.fleetbench.report.ExitCode;
import io.fleetbench.report.ReportWriter;
import io.fleetbench.runner.ProgressBar;
import io.fleetbench.runner.audit.AuditTarget;
import io.fleetbench.runner.audit.RunAudit;
import io.fleetbench.runner.pipeline.LakeLayout;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fleetbench audit <run folder>}: the exact audit {@code run} ends with, on a run folder afterwards:
 * also one whose run was killed, or one of {@code simulate} whose events a team's pipeline wrote.
 */
@Command(name = "audit", description = "Judge the Delta tables a pipeline wrote against the acknowledgement"
        + " manifests of a run folder, as sets: lost events (acknowledged, not in the lake), unexpected ones (in the"
        + " lake, never acknowledged nor ambiguous), pipeline duplicates (the same event at the same stream position"
        + " twice) and producer re-sends (at different positions, with their cause), dead letters. The same code"
        + " run calls at its end. Writes audit-report.json and audit.txt into the run folder. Exit 0 passed, 1"
        + " failed, 2 bad input.")
final class AuditCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<run folder>", description = "A folder of run or simulate (runs/<id>),"
            + " holding acks.manifest (or acks-<i>-of-<n>.manifest).")
    Path runFolder;

    @Option(names = "--lake", paramLabel = "<root>", description = "The folder or URI of the tables (default: the lake"
            + " the run recorded in its audit-target.json).")
    String lake;

    @Override
    public Integer call() {
        if (!Files.isDirectory(runFolder)) {
            System.err.println("fleetbench: " + runFolder + " is not a folder: give a run folder (runs/<id>)");
            return ExitCode.BAD_INPUT;
        }
        Optional<AuditTarget> target;
        try {
            target = AuditTarget.read(runFolder);
        } catch (IOException e) {
            System.err.println("fleetbench: " + runFolder.resolve(AuditTarget.FILE_NAME) + ": cannot read it: "
                    + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        String root = lake != null ? lake : target.map(AuditTarget::lake).orElse(null);
        if (root == null) {
            System.err.println("fleetbench: " + runFolder + " does not say where its lake is (no "
                    + AuditTarget.FILE_NAME + " with a lake): give --lake <root>");
            return ExitCode.BAD_INPUT;
        }
        List<Path> manifests = AckManifest.find(runFolder);
        if (manifests.isEmpty()) {
            System.err.println("fleetbench: " + runFolder + " holds no acknowledgement manifest ("
                    + AckManifest.FILE_NAME + "): it was not written by run or simulate of this build");
            return ExitCode.BAD_INPUT;
        }
        int schemaChangeVersion = target.map(AuditTarget::schemaChangeVersion).orElse(EventSchema.CURRENT_VERSION);
        ProgressBar bar = ProgressBar.onConsole("audit");
        long[] last = {0, 0, 0};
        long start = System.nanoTime();
        RunAudit.Result result;
        try {
            result = RunAudit.judge(RunAudit.Inputs.ofRunFolder(new LakeLayout(root), runFolder, schemaChangeVersion,
                    null, Map.of(), Optional.empty()), (done, total, rows, what) -> {
                        last[0] = done;
                        last[1] = total;
                        last[2] = rows;
                        bar.update(done, total, "files", String.format("%,d rows read, %s", rows, what));
                    });
        } catch (ManifestException | IllegalArgumentException e) {
            System.err.println("fleetbench: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("fleetbench: reading the lake " + root + ": " + e.getMessage());
            return ExitCode.ERROR;
        }
        bar.finish(last[0], last[1], "files", String.format("%,d rows read", last[2]));
        double seconds = (System.nanoTime() - start) / 1e9;
        AuditReport report = new AuditReport(runFolder.toString(), root,
                manifests.stream().map(p -> p.getFileName().toString()).toList(), Instant.now().toString(), seconds,
                seconds > 0 ? last[2] / seconds : 0, result.tables(), result.audit());
        try {
            System.out.print(ReportWriter.write(report, runFolder));
        } catch (IOException e) {
            System.err.println("fleetbench: cannot write the audit into " + runFolder + ": " + e.getMessage());
            return ExitCode.ERROR;
        }
        return result.audit().passed() ? ExitCode.OK : ExitCode.ERROR;
    }
}
