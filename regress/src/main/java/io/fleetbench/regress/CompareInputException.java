package io.fleetbench.regress;

/** Input a comparison cannot use: a missing or unreadable report, a bad metric key or tolerance. The message names what and where. */
public final class CompareInputException extends Exception {
    public CompareInputException(String message) {
        super(message);
    }

    public CompareInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
