package io.fleetbench.simulator;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A hand-written Kinesis double: records every PutRecords request and answers it with a script. */
final class FakeKinesis implements KinesisAsyncClient {
    final List<PutRecordsRequest> requests = new ArrayList<>();
    final List<CompletableFuture<PutRecordsResponse>> pending = new ArrayList<>();
    private Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> answer = FakeKinesis::success;
    private ShardMap shards = ShardMap.even(1);

    /** Lists these shards from now on (one shard until then). */
    FakeKinesis withShards(ShardMap shards) {
        this.shards = shards;
        return this;
    }

    @Override
    public CompletableFuture<ListShardsResponse> listShards(ListShardsRequest request) {
        List<Shard> list = new ArrayList<>();
        for (ShardMap.Shard s : shards.shards()) {
            list.add(Shard.builder().shardId(s.shardId())
                    .hashKeyRange(r -> r.startingHashKey(s.startHashKey().toString())
                            .endingHashKey(s.endHashKey().toString()))
                    .sequenceNumberRange(r -> r.startingSequenceNumber("0")).build());
        }
        return CompletableFuture.completedFuture(ListShardsResponse.builder().shards(list).build());
    }

    /** Answers every later request with this function. */
    FakeKinesis answering(Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> answer) {
        this.answer = answer;
        return this;
    }

    /** Leaves every later request unanswered, in {@link #pending}, until the test completes it. */
    FakeKinesis holding() {
        return answering(r -> {
            CompletableFuture<PutRecordsResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        });
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
        requests.add(request);
        return answer.apply(request);
    }

    static CompletableFuture<PutRecordsResponse> success(PutRecordsRequest request) {
        return CompletableFuture.completedFuture(response(request.records().size(), i -> null));
    }

    /** A response whose i-th entry carries the error code {@code errorCodeOf.apply(i)}, or succeeds if null. */
    static PutRecordsResponse response(int n, Function<Integer, String> errorCodeOf) {
        List<PutRecordsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < n; i++) {
            String code = errorCodeOf.apply(i);
            if (code == null) {
                results.add(PutRecordsResultEntry.builder().shardId("shardId-000000000000")
                        .sequenceNumber(Integer.toString(i)).build());
            } else {
                failed++;
                results.add(PutRecordsResultEntry.builder().errorCode(code).errorMessage("injected").build());
            }
        }
        return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {
    }
}
