package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileException;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.profile.ProfileSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code fleetbench profiles validate <file>...}: checks load profiles without running anything. */
@Command(name = "profiles", description = "Work with load profiles.", subcommands = ProfilesCommand.Validate.class)
final class ProfilesCommand {

    /** Validates each file and prints what it would do. */
    @Command(name = "validate", description = "Validate load profiles; exit 2 if any is invalid.")
    static final class Validate implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "<profile.yaml>", description = "Load profile files.")
        List<Path> files;

        @Override
        public Integer call() {
            ProfileLoader loader = new ProfileLoader();
            int exit = ExitCode.OK;
            for (Path f : files) {
                try {
                    LoadProfile p = loader.load(f);
                    System.out.printf("%s: ok: %s: %s%n", f, p.name(), ProfileSummary.describe(p));
                } catch (ProfileException e) {
                    System.err.println(e.getMessage());
                    exit = ExitCode.BAD_INPUT;
                }
            }
            return exit;
        }
    }
}
