package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.manifest.Outcome;

/**
 * A record ready for the producer.
 *
 * @param partitionKey  the Kinesis partition key: the device id
 * @param data          the encoded record
 * @param intendedNanos intended send time on the {@link System#nanoTime()} scale
 * @param key           the event's {@linkplain EventIds#key device key}
 * @param mark          what a data fault did to this record on purpose ({@link Outcome#DUPLICATE_SENT},
 *                      {@link Outcome#MALFORMED_SENT} or {@link Outcome#NEWER_SCHEMA_SENT}), recorded in the
 *                      acknowledgement manifest when it is sent; null for a plain record
 */
public record OutgoingRecord(String partitionKey, byte[] data, long intendedNanos, long key, Outcome mark) {
}
