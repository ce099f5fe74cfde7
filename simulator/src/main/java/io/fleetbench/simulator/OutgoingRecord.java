package io.fleetbench.simulator;

/**
 * A record ready for the producer.
 *
 * @param partitionKey  the Kinesis partition key: the device id
 * @param data          the encoded record
 * @param intendedNanos intended send time on the {@link System#nanoTime()} scale
 */
public record OutgoingRecord(String partitionKey, byte[] data, long intendedNanos) {
}
