package io.fleetbench.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.kinesis.common.HashKeyRangeForLease;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Prepares the KCL lease table before the scheduler starts.
 *
 * <p>KCL 3.x queries its table through the index {@value #OWNER_INDEX} and adds it with an
 * UpdateTable that dynalite ignores, so the table is created here with the index. For a new
 * application the shard leases can also be created here, owned by this worker, which is what the
 * KCL's own first shard sync and lease assignment end up with after a 1-30 s random back-off and a
 * leader election.
 */
public final class LeaseTables {
    /** The index KCL 3.x uses to find a worker's leases. */
    public static final String OWNER_INDEX = "LeaseOwnerToLeaseKeyIndex";

    private static final Logger log = LoggerFactory.getLogger(LeaseTables.class);
    private static final String LEASE_KEY = "leaseKey";
    private static final String LEASE_OWNER = "leaseOwner";
    private static final String ENTITY_TYPE = "entityType";
    private static final String LEASE_ENTITY = "LEASE";
    private static final long POLL_MILLIS = 100;

    private final DynamoDbAsyncClient dynamo;
    private final Duration timeout;

    /**
     * @param dynamo  the DynamoDB client
     * @param timeout how long each call, and the wait for a new table to turn active, may take
     */
    public LeaseTables(DynamoDbAsyncClient dynamo, Duration timeout) {
        this.dynamo = dynamo;
        this.timeout = timeout;
    }

    /**
     * Creates the lease table with its owner index, on-demand billing, unless it exists, and
     * waits until it is active. Safe to call again and from several workers.
     */
    public void ensureLeaseTable(String table) {
        CreateTableRequest request = CreateTableRequest.builder()
                .tableName(table)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(LEASE_KEY).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(LEASE_OWNER).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(LEASE_KEY).keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(OWNER_INDEX)
                        .keySchema(
                                KeySchemaElement.builder().attributeName(LEASE_OWNER).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(LEASE_KEY).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
        try {
            call(dynamo.createTable(request), "create lease table " + table);
            log.info("Created lease table {} with index {}", table, OWNER_INDEX);
        } catch (ConsumerException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw e;
            }
        }
        awaitActive(table);
    }

    /**
     * Creates a lease owned by {@code workerId} for every shard of the stream, if the table holds
     * no lease yet. The leases are the ones the KCL creates for an empty lease table (all shards,
     * open and closed, parents recorded, checkpoint at the initial position); each is written only
     * if absent, so a worker that races this loses nothing.
     *
     * @return the shard ids claimed, empty if the application already had leases
     */
    public List<String> claimShardsIfNew(String table, KinesisAsyncClient kinesis, String stream, String workerId,
                                         InitialPositionInStream initialPosition) {
        if (hasLeases(table)) {
            return List.of();
        }
        ExtendedSequenceNumber start = switch (initialPosition) {
            case TRIM_HORIZON -> ExtendedSequenceNumber.TRIM_HORIZON;
            case LATEST -> ExtendedSequenceNumber.LATEST;
            case AT_TIMESTAMP -> throw new IllegalArgumentException("claiming shards from AT_TIMESTAMP is not supported");
        };
        // The KCL's own serializer, so that the items are exactly what it would have written.
        DynamoDBLeaseSerializer serializer = new DynamoDBLeaseSerializer();
        List<String> claimed = new ArrayList<>();
        for (Shard shard : listShards(kinesis, stream)) {
            Lease lease = new Lease();
            lease.leaseKey(shard.shardId());
            lease.leaseOwner(workerId);
            lease.leaseCounter(1L);
            lease.ownerSwitchesSinceCheckpoint(0L);
            lease.checkpoint(start);
            List<String> parents = new ArrayList<>(2);
            if (shard.parentShardId() != null) {
                parents.add(shard.parentShardId());
            }
            if (shard.adjacentParentShardId() != null) {
                parents.add(shard.adjacentParentShardId());
            }
            lease.parentShardIds(parents);
            lease.hashKeyRange(HashKeyRangeForLease.fromHashKeyRange(shard.hashKeyRange()));
            try {
                call(dynamo.putItem(b -> b.tableName(table).item(serializer.toDynamoRecord(lease))
                        .conditionExpression("attribute_not_exists(" + LEASE_KEY + ")")), "claim shard " + shard.shardId());
                claimed.add(shard.shardId());
            } catch (ConsumerException e) {
                if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                    throw e;
                }
            }
        }
        log.info("Claimed {} shard leases of stream {} for worker {}: {}", claimed.size(), stream, workerId, claimed);
        return claimed;
    }

    /**
     * Sets the checkpoint of every shard lease in the table back to {@code position}, as an operator does after the
     * stream was lost and created anew: the checkpoints point into a stream that no longer exists. Each lease keeps its
     * owner, loses any pending checkpoint, and has its counter raised by two, so that the worker holding it finds it
     * changed at its next renewal, lets it go and takes it again from the new checkpoint. By two: a counter one above
     * its own the KCL takes for a renewal of its own whose answer it missed, and keeps the lease as it is, reading on
     * from where it was. Coordinator entries are left alone.
     *
     * @return the leases reset
     */
    public int resetCheckpoints(String table, InitialPositionInStream position) {
        String checkpoint = (position == InitialPositionInStream.LATEST ? ExtendedSequenceNumber.LATEST
                : ExtendedSequenceNumber.TRIM_HORIZON).sequenceNumber();
        int reset = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            ScanResponse page = call(dynamo.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(from).build()),
                    "scan lease table " + table);
            for (Map<String, AttributeValue> item : page.items()) {
                if (item.containsKey(ENTITY_TYPE) && !LEASE_ENTITY.equals(item.get(ENTITY_TYPE).s())) {
                    continue;
                }
                try {
                    call(dynamo.updateItem(b -> b.tableName(table)
                            .key(Map.of(LEASE_KEY, item.get(LEASE_KEY)))
                            .updateExpression("SET checkpoint = :checkpoint, checkpointSubSequenceNumber = :zero,"
                                    + " leaseCounter = leaseCounter + :two"
                                    + " REMOVE pendingCheckpoint, pendingCheckpointSubSequenceNumber, pendingCheckpointState")
                            .conditionExpression("attribute_exists(" + LEASE_KEY + ")")
                            .expressionAttributeValues(Map.of(":checkpoint", AttributeValue.fromS(checkpoint),
                                    ":zero", AttributeValue.fromN("0"), ":two", AttributeValue.fromN("2")))),
                            "reset the checkpoint of lease " + item.get(LEASE_KEY).s() + " in " + table);
                    reset++;
                } catch (ConsumerException e) {
                    // A lease deleted meanwhile (its shard ended and was cleaned up) has no checkpoint left to reset.
                    if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                        throw e;
                    }
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        log.info("Reset the checkpoints of {} leases in {} to {}", reset, table, checkpoint);
        return reset;
    }

    /**
     * The owner of every shard lease in the table, by lease key (the shard id); a lease without an owner maps to an
     * empty string. Coordinator entries are left out.
     */
    public Map<String, String> leaseOwners(String table) {
        Map<String, String> owners = new java.util.TreeMap<>();
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            ScanResponse page = call(dynamo.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(from).build()),
                    "scan lease table " + table);
            for (Map<String, AttributeValue> item : page.items()) {
                if (!item.containsKey(ENTITY_TYPE) || LEASE_ENTITY.equals(item.get(ENTITY_TYPE).s())) {
                    AttributeValue owner = item.get(LEASE_OWNER);
                    owners.put(item.get(LEASE_KEY).s(), owner == null || owner.s() == null ? "" : owner.s());
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return owners;
    }

    private boolean hasLeases(String table) {
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            ScanResponse page = call(dynamo.scan(ScanRequest.builder().tableName(table)
                    .projectionExpression(LEASE_KEY + ", " + ENTITY_TYPE)
                    .exclusiveStartKey(from).build()), "scan lease table " + table);
            // Since KCL 3.5 the lease table also holds coordinator entities; a lease has no entity type or LEASE.
            if (page.items().stream().anyMatch(item -> !item.containsKey(ENTITY_TYPE)
                    || LEASE_ENTITY.equals(item.get(ENTITY_TYPE).s()))) {
                return true;
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return false;
    }

    private List<Shard> listShards(KinesisAsyncClient kinesis, String stream) {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            ListShardsRequest request = next == null
                    ? ListShardsRequest.builder().streamName(stream).build()
                    : ListShardsRequest.builder().nextToken(next).build();
            ListShardsResponse page = call(kinesis.listShards(request), "list the shards of stream " + stream);
            shards.addAll(page.shards());
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    private void awaitActive(String table) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TableDescription t = call(dynamo.describeTable(b -> b.tableName(table)), "describe lease table " + table).table();
            boolean hasIndex = t.hasGlobalSecondaryIndexes()
                    && t.globalSecondaryIndexes().stream().anyMatch(i -> OWNER_INDEX.equals(i.indexName()));
            if (!hasIndex) {
                // On DynamoDB the KCL adds the index itself; on dynalite it would wait for it forever.
                log.warn("Lease table {} exists without index {}; the KCL will try to add it, which dynalite ignores",
                        table, OWNER_INDEX);
            }
            boolean indexActive = !hasIndex || t.globalSecondaryIndexes().stream()
                    .filter(i -> OWNER_INDEX.equals(i.indexName()))
                    .map(GlobalSecondaryIndexDescription::indexStatus)
                    .allMatch(s -> s == IndexStatus.ACTIVE);
            if (t.tableStatus() == TableStatus.ACTIVE && indexActive) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ConsumerException("lease table " + table + " is not active after " + timeout
                        + ": status " + t.tableStatus() + ", index " + OWNER_INDEX + (indexActive ? " active" : " not active"));
            }
            sleep(POLL_MILLIS);
        }
    }

    private <T> T call(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConsumerException("cannot " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ConsumerException("cannot " + what + ": no answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsumerException("interrupted while trying to " + what, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsumerException("interrupted while waiting for the lease table", e);
        }
    }
}
