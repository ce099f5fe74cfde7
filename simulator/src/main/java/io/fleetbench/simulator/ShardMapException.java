package io.fleetbench.simulator;

/** The stream's shards could not be listed, so records cannot be assigned to shards. */
public final class ShardMapException extends RuntimeException {
    /** With the cause of the failed ListShards call. */
    public ShardMapException(String message, Throwable cause) {
        super(message, cause);
    }
}
