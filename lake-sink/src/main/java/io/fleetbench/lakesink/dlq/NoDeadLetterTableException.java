package io.fleetbench.lakesink.dlq;

/** The path holds no Delta table, or one without the dead-letter table's columns; the message names it. */
public final class NoDeadLetterTableException extends RuntimeException {
    NoDeadLetterTableException(String message) {
        super(message);
    }
}
