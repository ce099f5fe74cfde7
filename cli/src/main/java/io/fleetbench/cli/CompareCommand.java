package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.regress.CompareInputException;
import io.fleetbench.regress.CompareSettings;
import io.fleetbench.regress.Comparison;
import io.fleetbench.regress.ComparisonFiles;
import io.fleetbench.regress.ReportSamples;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code fleetbench compare <candidate> <baseline>}: judges stored runs of two builds against each other. */
@Command(name = "compare", description = {
        "Compare the stored runs of a candidate with a baseline's, metric by metric: ratio of medians, bootstrap"
                + " interval, Mann-Whitney p; exit 98 on a significant regression beyond the tolerance.",
        "Each side is a report.json, a run folder, or a folder of run folders (each report one sample)."})
final class CompareCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Parameters(index = "0", paramLabel = "<candidate>", description = "The candidate's report.json or run folder(s).")
    Path candidate;

    @Parameters(index = "1", paramLabel = "<baseline>", description = "The baseline's report.json or run folder(s).")
    Path baseline;

    @Mixin
    CompareOptions compare;

    @Option(names = "--out-dir", paramLabel = "<dir>",
            description = "Where compare.json, compare.md and junit.xml go (default: runs/compare-<timestamp> in the project).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Comparison c;
        try {
            CompareSettings settings = compare.settings();
            List<ReportSamples.Sample> base = ReportSamples.load("baseline", baseline);
            List<ReportSamples.Sample> cand = ReportSamples.load("candidate", candidate);
            c = Comparison.of(baseline.toString(), base, candidate.toString(), cand, settings);
        } catch (CompareInputException e) {
            System.err.println("fleetbench compare: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        Path dir = outDir != null ? outDir : defaultOutDir("compare");
        System.out.print(ComparisonFiles.table(c));
        ComparisonFiles.write(dir, "compare", c, c, new ArrayList<>(), (System.nanoTime() - started) / 1e9);
        System.out.println("written: " + dir.resolve("compare.json") + ", compare.md, junit.xml");
        if (c.judgedNothing()) {
            System.err.println("fleetbench compare: no metric could be judged: a side has no value for any of them"
                    + " (reports of an older build, or labels no report has); nothing passed");
        }
        return c.exitCode();
    }

    /** {@code runs/<verb>-<timestamp>} in the project, or in the working directory outside a project. */
    static Path defaultOutDir(String verb) {
        Path runs;
        try {
            runs = ProjectHome.locate().resolve("runs");
        } catch (StackException e) {
            runs = Path.of("").toAbsolutePath();
        }
        return runs.resolve(verb + "-" + LocalDateTime.now().format(STAMP)).toAbsolutePath();
    }
}
