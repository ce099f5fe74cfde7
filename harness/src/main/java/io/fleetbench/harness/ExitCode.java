package io.fleetbench.harness;

/** Process exit codes of the {@code fleetbench} command, documented in the README. */
public final class ExitCode {
    /** The command did what was asked, and every check passed. */
    public static final int OK = 0;
    /** Anything else went wrong, including an audit that found lost or duplicated events. */
    public static final int ERROR = 1;
    /** Bad input or configuration, refused before anything started. */
    public static final int BAD_INPUT = 2;

    private ExitCode() {
    }
}
