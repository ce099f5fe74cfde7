package io.fleetbench.regress.ab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The jar of a build to compare: an existing jar file, or a git commit of the project built once into
 * {@code <runs>/.ab-builds/<sha>.jar} (from a detached worktree, removed after the build) and reused from
 * there.
 */
public final class BaselineJar {
    /** The folder under the runs folder that caches built jars. */
    public static final String CACHE = ".ab-builds";
    private static final long BUILD_TIMEOUT_MINUTES = 30;

    private BaselineJar() {
    }

    /** A build that cannot be had: an unknown ref, a failed build. The message says which and why. */
    public static final class BuildException extends Exception {
        private final boolean badInput;

        BuildException(String message, boolean badInput) {
            super(message);
            this.badInput = badInput;
        }

        /** Whether the ref itself was wrong (rather than the build failing). */
        public boolean badInput() {
            return badInput;
        }
    }

    /** Whether a {@code --baseline} value names a jar file rather than a git ref. */
    public static boolean namesJar(String value) {
        return value.toLowerCase(Locale.ROOT).endsWith(".jar") || Files.isRegularFile(Path.of(value));
    }

    /**
     * The commit a git ref names in the project.
     *
     * @throws BuildException (bad input) if git does not know the ref
     */
    public static String commit(Path home, String ref) throws BuildException {
        Result r = exec(home, null, List.of("git", "rev-parse", "--verify", "--quiet", ref + "^{commit}"), 1);
        String sha = r.output.trim();
        if (r.exit != 0 || !sha.matches("[0-9a-f]{40}")) {
            throw new BuildException("--baseline " + ref + " is neither a jar file nor a commit of the git repository at "
                    + home + (r.output.isBlank() ? "" : ": " + r.output.trim()), true);
        }
        return sha;
    }

    /**
     * The jar of a commit: the cached one, else built now (the progress goes to {@code progress}).
     *
     * @param runsDir the runs folder that holds the cache
     */
    public static Path build(Path home, String ref, String sha, Path runsDir, PrintStream progress)
            throws BuildException, IOException {
        Path cache = runsDir.resolve(CACHE);
        Path jar = cache.resolve(sha + ".jar");
        if (Files.isRegularFile(jar)) {
            progress.printf("baseline %s (%s): using the jar built before, %s%n", ref, sha.substring(0, 12), jar);
            return jar;
        }
        Files.createDirectories(cache);
        Path worktree = Files.createTempDirectory("fleetbench-ab-" + sha.substring(0, 12) + "-");
        Path log = cache.resolve(sha + ".build.log");
        long started = System.nanoTime();
        try {
            progress.printf("baseline %s (%s): checking it out into %s%n", ref, sha.substring(0, 12), worktree);
            Result add = exec(home, log, List.of("git", "worktree", "add", "--detach", worktree.toString(), sha),
                    5);
            if (add.exit != 0) {
                throw new BuildException("git worktree add for " + ref + " failed (exit " + add.exit + "); see " + log,
                        false);
            }
            // The runnable jar's module: cli, or harness in builds older than the split into modules by concern.
            String module = Files.isDirectory(worktree.resolve("cli")) ? "cli" : "harness";
            progress.printf("baseline %s: building with mvn -B -q -ntp -DskipTests package -pl %s -am"
                    + " (this takes minutes; log %s)%n", ref, module, log);
            Result mvn = exec(worktree, log, List.of("mvn", "-B", "-q", "-ntp", "-DskipTests", "package", "-pl", module,
                    "-am"), BUILD_TIMEOUT_MINUTES);
            Path built = worktree.resolve(module).resolve("target").resolve("fleetbench.jar");
            if (mvn.exit != 0 || !Files.isRegularFile(built)) {
                throw new BuildException("the build of " + ref + " (" + sha + ") failed (exit " + mvn.exit + "); see "
                        + log, false);
            }
            Path partial = cache.resolve(sha + ".jar.partial");
            Files.copy(built, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            progress.printf("baseline %s: built in %.0f s, cached as %s%n", ref, (System.nanoTime() - started) / 1e9,
                    jar);
            return jar;
        } finally {
            removeWorktree(home, log, worktree, ref, progress);
        }
    }

    /**
     * Removes the build's worktree, also after a failed {@code git worktree add} or an interrupted build: by git
     * if it can, else by deleting the folder and pruning git's record of it.
     */
    private static void removeWorktree(Path home, Path log, Path worktree, String ref, PrintStream progress) {
        boolean interrupted = Thread.interrupted();
        try {
            try {
                exec(home, log, List.of("git", "worktree", "remove", "--force", worktree.toString()), 5);
            } catch (BuildException e) {
                // Deleted below.
            }
            if (Files.exists(worktree)) {
                try (Stream<Path> files = Files.walk(worktree)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException e) {
                    // Reported below.
                }
            }
            try {
                exec(home, log, List.of("git", "worktree", "prune"), 5);
            } catch (BuildException e) {
                // A stale record of a deleted worktree is harmless; the next prune removes it.
            }
            if (Files.exists(worktree)) {
                progress.printf("baseline %s: could not remove the worktree %s; delete it, then run git worktree prune%n",
                        ref, worktree);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command; its output goes to the log (appended) or, without one, is returned. */
    private static Result exec(Path dir, Path log, List<String> command, long timeoutMinutes)
            throws BuildException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BuildException("cannot run " + command.get(0) + ": " + e.getMessage(), false);
        }
        // If ab is stopped (Ctrl-C, a CI job's timeout) while this runs, the command and its children stop too.
        try (ChildProcess child = ChildProcess.guard(p, true, "ab-stop-build")) {
            try {
                String out = log == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
                if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    child.stop();
                    throw new BuildException(String.join(" ", command) + " did not finish within " + timeoutMinutes
                            + " minutes", false);
                }
                return new Result(p.exitValue(), out);
            } catch (IOException e) {
                child.stop();
                throw new BuildException("cannot read the output of " + command.get(0) + ": " + e.getMessage(), false);
            } catch (InterruptedException e) {
                child.stop();
                Thread.currentThread().interrupt();
                throw new BuildException(String.join(" ", command) + " was interrupted", false);
            }
        }
    }
}
