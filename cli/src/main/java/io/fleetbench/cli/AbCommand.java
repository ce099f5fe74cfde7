package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.regress.ab.BaselineJar;
import io.fleetbench.regress.ab.ChildProcess;
import io.fleetbench.regress.CompareInputException;
import io.fleetbench.regress.CompareSettings;
import io.fleetbench.regress.Comparison;
import io.fleetbench.regress.ComparisonFiles;
import io.fleetbench.regress.ReportSamples;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileException;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.runner.ProfileMapping;
import io.fleetbench.localstack.ProjectHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code fleetbench ab --baseline <jar|git-ref> <profile>}: runs a profile with the baseline build and the
 * candidate build alternately, N times each on this machine, then compares the runs as {@code compare} does.
 */
@Command(name = "ab", description = {
        "Run a profile with a baseline build and the candidate build alternately (baseline, candidate, candidate, baseline, ...), N times"
                + " each, and compare the runs; exit 98 on a significant regression beyond the tolerance, 1 if a run"
                + " failed."})
final class AbCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Parameters(index = "0", paramLabel = "<profile.yaml>", description = "The load profile both builds run.")
    Path profileFile;

    @Option(names = "--baseline", required = true, paramLabel = "<jar|git-ref>",
            description = "The baseline: a fleetbench.jar, or a git ref of this project, built once and cached in"
                    + " runs/.ab-builds/.")
    String baseline;

    @Option(names = "--candidate", paramLabel = "<jar>",
            description = "The candidate jar (default: the jar this command runs from).")
    Path candidate;

    @Option(names = "--runs", paramLabel = "<n>", defaultValue = "5",
            description = "Runs of each build (default: ${DEFAULT-VALUE}); with 1 no interval can be computed.")
    int runs;

    @Option(names = "--baseline-java-option", paramLabel = "<option>",
            description = "A JVM option of the baseline's runs (repeatable).")
    List<String> baselineJavaOptions = new ArrayList<>();

    @Option(names = "--candidate-java-option", paramLabel = "<option>",
            description = "A JVM option of the candidate's runs (repeatable).")
    List<String> candidateJavaOptions = new ArrayList<>();

    @Option(names = "--runs-dir", paramLabel = "<dir>",
            description = "Where the ab folder and the build cache go (default: runs/ in the project).")
    Path runsDir;

    @Option(names = "--kinesis-port", paramLabel = "<port>",
            description = "Passed to each run's --kinesis-port (default: run's own).")
    Integer kinesisPort;

    @Option(names = "--dynamodb-port", paramLabel = "<port>",
            description = "Passed to each run's --dynamodb-port (default: run's own).")
    Integer dynamodbPort;

    @Mixin
    CompareOptions compare;

    /** One run of one side. */
    record Run(String side, int index, int exit, double seconds, String report, String log) {
    }

    /** What {@code ab.json} holds. */
    record AbResult(String profile, String baselineJar, String candidateJar, List<String> baselineJavaOptions,
                    List<String> candidateJavaOptions, int runsPerSide, List<Run> runs, Comparison comparison) {
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        CompareSettings settings;
        LoadProfile profile;
        try {
            settings = compare.settings();
        } catch (CompareInputException e) {
            System.err.println("fleetbench ab: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        if (runs < 1) {
            System.err.println("fleetbench ab: --runs must be >= 1 (5 by default), found " + runs);
            return ExitCode.BAD_INPUT;
        }
        try {
            profile = new ProfileLoader().load(profileFile);
            ProfileMapping.simulatorConfig(profile, "check");
        } catch (ProfileException e) {
            System.err.println("fleetbench ab: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench ab: " + profileFile + ": " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        Path profilePath = profileFile.toAbsolutePath().normalize();
        Path candidateJar = candidate != null ? candidate.toAbsolutePath().normalize() : ownJar();
        if (candidateJar == null || !Files.isRegularFile(candidateJar)) {
            System.err.println("fleetbench ab: " + (candidateJar == null
                    ? "this command does not run from a jar; give the candidate with --candidate <jar>"
                    : "--candidate " + candidateJar + " is not a file"));
            return ExitCode.BAD_INPUT;
        }
        Path home = ProjectHome.locate();
        Path runsRoot = (runsDir != null ? runsDir : home.resolve("runs")).toAbsolutePath().normalize();
        Path baselineJar;
        try {
            if (BaselineJar.namesJar(baseline)) {
                baselineJar = Path.of(baseline).toAbsolutePath().normalize();
                if (!Files.isRegularFile(baselineJar)) {
                    System.err.println("fleetbench ab: --baseline " + baselineJar + " is not a file");
                    return ExitCode.BAD_INPUT;
                }
            } else {
                String sha = BaselineJar.commit(home, baseline);
                baselineJar = BaselineJar.build(home, baseline, sha, runsRoot, System.out);
            }
        } catch (BaselineJar.BuildException e) {
            System.err.println("fleetbench ab: " + e.getMessage());
            return e.badInput() ? ExitCode.BAD_INPUT : ExitCode.ERROR;
        }
        Path abDir = runsRoot.resolve("ab-" + LocalDateTime.now().format(STAMP) + "-" + profile.name());
        Files.createDirectories(abDir);
        System.out.printf("ab %s: %d runs of each build, alternately in ABBA order; folder %s%n  baseline  %s%s%n  candidate %s%s%n",
                profile.name(), runs, abDir, baselineJar, options(baselineJavaOptions), candidateJar,
                options(candidateJavaOptions));

        List<Run> done = new ArrayList<>();
        List<ReportSamples.Sample> baseSamples = new ArrayList<>();
        List<ReportSamples.Sample> candSamples = new ArrayList<>();
        int total = 2 * runs;
        for (int k = 0; k < total; k++) {
            // Pairs in ABBA order (baseline, candidate, candidate, baseline, ...), so that a machine that slowly
            // gets faster or slower over the runs weighs on both sides alike.
            int pair = k / 2;
            boolean isBaseline = (k % 2 == 0) == (pair % 2 == 0);
            String side = isBaseline ? "baseline" : "candidate";
            int index = pair + 1;
            Path runDir = abDir.resolve(side + "-" + index);
            Path log = abDir.resolve(side + "-" + index + ".log");
            List<String> command = command(isBaseline ? baselineJar : candidateJar,
                    isBaseline ? baselineJavaOptions : candidateJavaOptions, home, profilePath, runDir);
            long t0 = System.nanoTime();
            int exit = execute(command, log);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "run %d of %d: %s %d, %.1f s, exit %d%s%n", k + 1, total, side, index,
                    seconds, exit, exit == ExitCode.THRESHOLD_FAILED ? " (a threshold failed; still a sample)" : "");
            Path report = exit == ExitCode.OK || exit == ExitCode.THRESHOLD_FAILED ? findReport(runDir) : null;
            done.add(new Run(side, index, exit, seconds, report == null ? null : report.toString(), log.toString()));
            if (report == null) {
                System.err.printf("fleetbench ab: run %d of %d (%s %d) failed: exit %d%s; see %s%n", k + 1, total, side,
                        index, exit, exit == ExitCode.OK || exit == ExitCode.THRESHOLD_FAILED ? " without a report.json" : "",
                        log);
                return ExitCode.ERROR;
            }
            ReportSamples.Sample sample;
            try {
                sample = ReportSamples.load(side, report).get(0);
            } catch (CompareInputException e) {
                System.err.println("fleetbench ab: run " + (k + 1) + " of " + total + ": " + e.getMessage());
                return ExitCode.ERROR;
            }
            if (sample.report().aborted() != null) {
                // A load stopped early ran for less time than the others: its figures do not compare with theirs.
                System.err.printf("fleetbench ab: run %d of %d (%s %d) was stopped by its abortOnFail threshold %s %s"
                                + " at %.1f s, so its figures do not compare with full runs; see %s%n", k + 1, total,
                        side, index, sample.report().aborted().threshold(), sample.report().aborted().condition(),
                        sample.report().aborted().atSeconds(), report);
                return ExitCode.ERROR;
            }
            (isBaseline ? baseSamples : candSamples).add(sample);
        }
        Comparison c = Comparison.of(baseline, baseSamples, candidateJar.toString(), candSamples, settings);
        System.out.print(ComparisonFiles.table(c));
        AbResult result = new AbResult(profilePath.toString(), baselineJar.toString(), candidateJar.toString(),
                List.copyOf(baselineJavaOptions), List.copyOf(candidateJavaOptions), runs, List.copyOf(done), c);
        List<String> intro = new ArrayList<>();
        intro.add("profile: `" + profilePath + "`, " + runs + " runs of each build, alternately in ABBA order");
        if (!baselineJavaOptions.isEmpty()) {
            intro.add("baseline JVM options: `" + String.join(" ", baselineJavaOptions) + "`");
        }
        if (!candidateJavaOptions.isEmpty()) {
            intro.add("candidate JVM options: `" + String.join(" ", candidateJavaOptions) + "`");
        }
        ComparisonFiles.write(abDir, "ab", c, result, intro, (System.nanoTime() - started) / 1e9);
        System.out.println("written: " + abDir.resolve("ab.json") + ", ab.md, junit.xml");
        if (c.judgedNothing()) {
            System.err.println("fleetbench ab: no metric could be judged: a side has no value for any of them; nothing"
                    + " passed");
        }
        return c.exitCode();
    }

    private List<String> command(Path jar, List<String> javaOptions, Path home, Path profile, Path runDir) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(javaOptions);
        c.add("-D" + ProjectHome.PROPERTY + "=" + home);
        c.add("-Daws.cborEnabled=false");
        c.addAll(List.of("-jar", jar.toString(), "run", profile.toString(), "--runs-dir", runDir.toString(),
                "--metrics-port", "0"));
        if (kinesisPort != null) {
            c.addAll(List.of("--kinesis-port", kinesisPort.toString()));
        }
        if (dynamodbPort != null) {
            c.addAll(List.of("--dynamodb-port", dynamodbPort.toString()));
        }
        return c;
    }

    private static int execute(List<String> command, Path log) throws IOException, InterruptedException {
        Files.writeString(log, String.join(" ", command) + System.lineSeparator());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        p.getOutputStream().close();
        // If ab itself is stopped (Ctrl-C, a CI job's timeout), the run and what it started stop too.
        try (ChildProcess child = ChildProcess.guard(p, false, "ab-stop-run")) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                child.stop();
                throw e;
            }
        }
    }

    /** The report.json of the single run folder a run made under its runs folder, or null. */
    private static Path findReport(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(runDir)) {
            return s.map(d -> d.resolve("report.json")).filter(Files::isRegularFile).sorted().reduce((a, b) -> b)
                    .orElse(null);
        }
    }

    /** The jar file this class was loaded from, or null when it runs from classes. */
    private static Path ownJar() {
        try {
            var source = AbCommand.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path p = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    private static String options(List<String> javaOptions) {
        return javaOptions.isEmpty() ? "" : " with " + String.join(" ", javaOptions);
    }
}
