package io.fleetbench.localstack;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Creates the stream a run sends to, and waits until it takes records. */
public final class StreamAdmin {
    private StreamAdmin() {
    }

    /**
     * Creates a stream with the given shards, or uses an existing one of that name, and waits
     * until it is ACTIVE.
     *
     * @return whether the stream was created by this call
     */
    public static boolean createAndAwaitActive(KinesisAsyncClient kinesis, String stream, int shards, Duration timeout)
            throws InterruptedException {
        boolean created = true;
        try {
            kinesis.createStream(b -> b.streamName(stream).shardCount(shards)).join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw new IllegalStateException("cannot create stream " + stream + " with " + shards + " shards: "
                        + e.getCause().getMessage(), e.getCause());
            }
            created = false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StreamStatus status = kinesis.describeStreamSummary(b -> b.streamName(stream)).join()
                    .streamDescriptionSummary().streamStatus();
            if (status == StreamStatus.ACTIVE) {
                return created;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + stream + " is still " + status + " after " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
