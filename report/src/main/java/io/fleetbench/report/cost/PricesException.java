package io.fleetbench.report.cost;

/** A prices file that cannot be used: missing, unreadable, or breaking its schema. The message names the file, line and key. */
public final class PricesException extends Exception {
    public PricesException(String message) {
        super(message);
    }
}
