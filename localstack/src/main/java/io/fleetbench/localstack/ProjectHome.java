package io.fleetbench.localstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project directory: the one that holds {@code local/package.json}. */
public final class ProjectHome {
    /** System property that names the project directory explicitly. */
    public static final String PROPERTY = "fleetbench.home";

    private ProjectHome() {
    }

    /** The directory named by {@value #PROPERTY}, else the nearest one at or above the working directory with {@code local/package.json}. */
    public static Path locate() {
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path home = Path.of(explicit).toAbsolutePath().normalize();
            if (!isHome(home)) {
                throw new StackException("system property " + PROPERTY + " names " + home
                        + ", which has no local/package.json");
            }
            return home;
        }
        return locateFrom(Path.of("").toAbsolutePath());
    }

    /** The nearest directory at or above {@code start} with {@code local/package.json}. */
    public static Path locateFrom(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (isHome(dir)) {
                return dir;
            }
        }
        throw new StackException("no fleetbench project (a directory with local/package.json) at or above " + start
                + "; run from inside the project or set -D" + PROPERTY + "=<dir>");
    }

    private static boolean isHome(Path dir) {
        return Files.isRegularFile(dir.resolve("local").resolve("package.json"));
    }
}
