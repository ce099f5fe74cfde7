package io.fleetbench.simulator;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A hand-written Kinesis double: records every PutRecords request and answers it with a script. Like the
 * stream, it puts each record it acknowledges in the open shard its partition key hashes to (the answer's
 * {@code shardId}, whatever the script wrote there), so a test can reshard it between requests.
 */
final class FakeKinesis implements KinesisAsyncClient {
    final List<PutRecordsRequest> requests = new ArrayList<>();
    final List<CompletableFuture<PutRecordsResponse>> pending = new ArrayList<>();
    private Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> answer = FakeKinesis::success;
    private ShardMap shards = ShardMap.even(1);
    private final List<ShardMap.Shard> closed = new ArrayList<>();
    private int failingListings;
    private int listShardsCalls;
    /** Every record the stream acknowledged, where it put it, in the order of the answers. */
    final List<Landing> landings = new ArrayList<>();

    /** A record the stream wrote: the shard it put it in, and the record as put. */
    record Landing(String shardId, String partitionKey, byte[] data) {
    }

    /** Lists these shards, and puts records in them, from now on (one shard until then). */
    FakeKinesis withShards(ShardMap shards) {
        this.shards = shards;
        return this;
    }

    /**
     * Reshards the stream: records go to these open shards from now on, and the open shards that are not among
     * them are listed as closed from now on.
     */
    FakeKinesis reshard(ShardMap next) {
        for (ShardMap.Shard s : shards.shards()) {
            if (next.indexOf(s.shardId()) < 0) {
                closed.add(s);
            }
        }
        shards = next;
        return this;
    }

    /** Fails the next {@code n} ListShards calls as a service error would. */
    FakeKinesis failingListings(int n) {
        failingListings = n;
        return this;
    }

    /** ListShards calls so far. */
    int listShardsCalls() {
        return listShardsCalls;
    }

    @Override
    public CompletableFuture<ListShardsResponse> listShards(ListShardsRequest request) {
        listShardsCalls++;
        if (failingListings > 0) {
            failingListings--;
            return CompletableFuture.failedFuture(KinesisException.builder().statusCode(500)
                    .message("injected ListShards failure").build());
        }
        List<Shard> list = new ArrayList<>();
        for (ShardMap.Shard s : closed) {
            list.add(shard(s).sequenceNumberRange(r -> r.startingSequenceNumber("0").endingSequenceNumber("9"))
                    .build());
        }
        for (ShardMap.Shard s : shards.shards()) {
            list.add(shard(s).sequenceNumberRange(r -> r.startingSequenceNumber("0")).build());
        }
        return CompletableFuture.completedFuture(ListShardsResponse.builder().shards(list).build());
    }

    private static Shard.Builder shard(ShardMap.Shard s) {
        return Shard.builder().shardId(s.shardId()).hashKeyRange(r -> r.startingHashKey(s.startHashKey().toString())
                .endingHashKey(s.endHashKey().toString()));
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
        ShardMap routing = shards;
        return answer.apply(request).thenApply(r -> routed(request, r, routing));
    }

    /** The answer with each acknowledged record in the shard its key hashes to, noted in {@link #landings}. */
    private PutRecordsResponse routed(PutRecordsRequest request, PutRecordsResponse response, ShardMap routing) {
        if (response.records().size() != request.records().size()) {
            return response;
        }
        List<PutRecordsResultEntry> results = new ArrayList<>();
        for (int i = 0; i < response.records().size(); i++) {
            PutRecordsResultEntry e = response.records().get(i);
            if (e.errorCode() != null) {
                results.add(e);
                continue;
            }
            PutRecordsRequestEntry r = request.records().get(i);
            String shardId = routing.shardId(routing.shardOf(r.partitionKey()));
            landings.add(new Landing(shardId, r.partitionKey(), r.data().asByteArrayUnsafe()));
            results.add(e.toBuilder().shardId(shardId).build());
        }
        return response.toBuilder().records(results).build();
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
