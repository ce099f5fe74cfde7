package io.fleetbench.report;

/** Process exit codes of the {@code fleetbench} command, documented in the README. */
public final class ExitCode {
    /** The command did what was asked, and every check passed. */
    public static final int OK = 0;
    /** Anything else went wrong, including an audit that found lost or duplicated events. */
    public static final int ERROR = 1;
    /** Bad input or configuration, refused before anything started. */
    public static final int BAD_INPUT = 2;
    /**
     * The run completed and its checks passed, but a threshold of the profile failed, at the end or, with
     * {@code abortOnFail}, while the load ran (which stopped the load). A failed check
     * (the audit of {@code run}, the producer's accounts of {@code simulate}) takes precedence: the run
     * then exits {@link #ERROR}, its thresholds reported all the same.
     */
    public static final int THRESHOLD_FAILED = 99;
    /**
     * A comparison ({@code compare}, {@code ab}) found a regression: a metric of the candidate is worse
     * than the baseline's beyond the tolerance, and significantly so.
     */
    public static final int REGRESSION = 98;

    private ExitCode() {
    }

    /** The exit code of a finished run: a failed check first, then a failed threshold. */
    public static int ofRun(boolean checksPassed, boolean thresholdFailed) {
        if (!checksPassed) {
            return ERROR;
        }
        return thresholdFailed ? THRESHOLD_FAILED : OK;
    }
}
