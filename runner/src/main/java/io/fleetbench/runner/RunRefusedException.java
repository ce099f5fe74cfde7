package io.fleetbench.runner;

/**
 * A run refused before anything started (exit 2): a valid profile asking for something this build
 * cannot do, or a target that is not usable (no AWS region, a stream that does not exist).
 */
public final class RunRefusedException extends Exception {
    public RunRefusedException(String message) {
        super(message);
    }
}
