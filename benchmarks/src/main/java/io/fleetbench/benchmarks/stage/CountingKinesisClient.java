package io.fleetbench.benchmarks.stage;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes PutRecords calls on to a real client and counts them; the producer uses no other call. Does
 * not close the client it wraps.
 */
final class CountingKinesisClient implements KinesisAsyncClient {
    private final KinesisAsyncClient client;
    private final AtomicLong putRecordsCalls = new AtomicLong();

    CountingKinesisClient(KinesisAsyncClient client) {
        this.client = client;
    }

    /** PutRecords calls so far, retries included. */
    long putRecordsCalls() {
        return putRecordsCalls.get();
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
        putRecordsCalls.incrementAndGet();
        return client.putRecords(request);
    }

    @Override
    public String serviceName() {
        return client.serviceName();
    }

    @Override
    public void close() {
    }
}
