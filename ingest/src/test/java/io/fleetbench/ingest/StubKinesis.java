package io.fleetbench.ingest;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A Kinesis double for the endpoint's unit tests: one shard over the whole hash-key range, and PutRecords answered by
 * a script (by default every record acknowledged). It keeps every record it acknowledged, as put.
 */
final class StubKinesis implements KinesisAsyncClient {
    /** The records acknowledged so far, in order. */
    final List<PutRecordsRequestEntry> written = new CopyOnWriteArrayList<>();
    /** Requests held unanswered by {@link #holding()}, until the test completes them. */
    final List<CompletableFuture<PutRecordsResponse>> held = new CopyOnWriteArrayList<>();
    private volatile Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> script = this::acknowledge;
    private final boolean streamExists;

    StubKinesis() {
        this(true);
    }

    StubKinesis(boolean streamExists) {
        this.streamExists = streamExists;
    }

    /** Answers every later PutRecords with {@code script}. */
    StubKinesis answering(Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> script) {
        this.script = script;
        return this;
    }

    /** Holds every later PutRecords in {@link #held}; {@link #release()} acknowledges them. */
    StubKinesis holding() {
        return answering(r -> {
            CompletableFuture<PutRecordsResponse> f = new CompletableFuture<>();
            held.add(f);
            return f.thenCompose(ignored -> acknowledge(r));
        });
    }

    /** Acknowledges every held request, and every later one at once. */
    void release() {
        script = this::acknowledge;
        held.forEach(f -> f.complete(null));
    }

    /** Refuses every later request whole with a status, as the service would (4xx definite, 5xx ambiguous). */
    StubKinesis failingWith(int status) {
        return answering(r -> CompletableFuture.failedFuture(KinesisException.builder().statusCode(status)
                .message("injected " + status).build()));
    }

    @Override
    public CompletableFuture<ListShardsResponse> listShards(ListShardsRequest request) {
        if (!streamExists) {
            return CompletableFuture.failedFuture(ResourceNotFoundException.builder().statusCode(400)
                    .message("Stream " + request.streamName() + " under account 000000000000 not found.").build());
        }
        Shard shard = Shard.builder().shardId("shardId-000000000000")
                .hashKeyRange(h -> h.startingHashKey("0").endingHashKey("340282366920938463463374607431768211455"))
                .sequenceNumberRange(s -> s.startingSequenceNumber("0")).build();
        return CompletableFuture.completedFuture(ListShardsResponse.builder().shards(shard).build());
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
        return script.apply(request);
    }

    /** Acknowledges the records for which {@code fails} is false and refuses the others with a throttling code. */
    CompletableFuture<PutRecordsResponse> acknowledgeUnless(PutRecordsRequest request,
                                                            Predicate<PutRecordsRequestEntry> fails) {
        List<PutRecordsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutRecordsRequestEntry e : request.records()) {
            if (fails.test(e)) {
                failed++;
                results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("injected").build());
            } else {
                written.add(e);
                results.add(PutRecordsResultEntry.builder().shardId("shardId-000000000000")
                        .sequenceNumber(Integer.toString(written.size())).build());
            }
        }
        return CompletableFuture.completedFuture(PutRecordsResponse.builder().records(results)
                .failedRecordCount(failed).build());
    }

    private CompletableFuture<PutRecordsResponse> acknowledge(PutRecordsRequest request) {
        return acknowledgeUnless(request, e -> false);
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {
    }
}
