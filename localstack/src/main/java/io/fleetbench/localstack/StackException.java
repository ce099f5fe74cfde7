package io.fleetbench.localstack;

/** The local stack could not be installed, started, found or stopped; the message says what to do. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
