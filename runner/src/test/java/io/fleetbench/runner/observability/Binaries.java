package io.fleetbench.runner.observability;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Finds the external programs the observability tests run, and fails loudly when one is missing. */
final class Binaries {

    private Binaries() {
    }

    /**
     * The executable {@code name} on the PATH.
     *
     * @param debianPackage the Debian package that provides it, named in the failure
     */
    static Path require(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("'" + name + "' is not on the PATH (" + path + "); install Debian's " + debianPackage
                + " package: apt-get install -y --no-install-recommends " + debianPackage + " (.ci/run does)");
    }
}
