package io.fleetbench.regress;

import io.fleetbench.report.ReportWriter;
import io.fleetbench.report.RunReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runs of one side of a comparison, each {@code report.json} one sample. A side is given as a
 * {@code report.json}, a run folder holding one, or a folder whose sub-folders are run folders (sorted by
 * name; sub-folders without a report are skipped, an unreadable report is an error).
 */
public final class ReportSamples {
    static final String REPORT = "report.json";

    private ReportSamples() {
    }

    /** One run: its report and where it was read from. */
    public record Sample(Path file, RunReport report) {
    }

    /**
     * Reads every sample of a side.
     *
     * @param side the name of the side in messages, such as {@code baseline}
     * @throws CompareInputException naming the path and what is wrong with it
     */
    public static List<Sample> load(String side, Path path) throws CompareInputException {
        if (!Files.exists(path)) {
            throw new CompareInputException(side + " " + path + " does not exist; expected a report.json, a run folder"
                    + " or a folder of run folders");
        }
        if (Files.isRegularFile(path)) {
            return List.of(read(side, path));
        }
        Path direct = path.resolve(REPORT);
        if (Files.isRegularFile(direct)) {
            return List.of(read(side, direct));
        }
        List<Path> reports = new ArrayList<>();
        try (Stream<Path> children = Files.list(path)) {
            for (Path child : children.sorted().toList()) {
                Path report = child.resolve(REPORT);
                if (Files.isDirectory(child) && Files.isRegularFile(report)) {
                    reports.add(report);
                }
            }
        } catch (IOException e) {
            throw new CompareInputException(side + " " + path + " cannot be listed: " + e.getMessage(), e);
        }
        if (reports.isEmpty()) {
            throw new CompareInputException(side + " " + path + " holds no report.json, and none of its sub-folders"
                    + " does; expected a report.json, a run folder or a folder of run folders");
        }
        List<Sample> samples = new ArrayList<>();
        for (Path r : reports) {
            samples.add(read(side, r));
        }
        return List.copyOf(samples);
    }

    /** Reads one report written by {@code fleetbench run}. */
    static Sample read(String side, Path file) throws CompareInputException {
        RunReport report;
        try {
            report = ReportWriter.read(file);
        } catch (IOException e) {
            throw new CompareInputException(side + " " + file + " is not a readable run report: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
        if (report == null || report.runId() == null) {
            throw new CompareInputException(side + " " + file + " is not a run report of fleetbench run: it has no run_id");
        }
        return new Sample(file, report);
    }
}
