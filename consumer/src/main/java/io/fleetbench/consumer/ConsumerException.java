package io.fleetbench.consumer;

/** The consumer cannot start or had to stop: a missing stream, a lease table it cannot use, a failed sink. */
public class ConsumerException extends RuntimeException {
    public ConsumerException(String message) {
        super(message);
    }

    public ConsumerException(String message, Throwable cause) {
        super(message, cause);
    }
}
