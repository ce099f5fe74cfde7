package io.fleetbench.ingest;

/**
 * One validated event of a request, as it goes into the stream.
 *
 * @param data         the event's JSON exactly as the client sent it (for a PutRecords body, its decoded
 *                     {@code Data}), so that its id and every field stay byte-identical
 * @param partitionKey the event's device id, or the record's {@code PartitionKey} of a PutRecords body
 */
public record IngestEvent(byte[] data, String partitionKey) {
}
