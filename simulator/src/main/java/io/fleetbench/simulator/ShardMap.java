package io.fleetbench.simulator;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The open shards of a stream and their hash-key ranges, to predict which shard a partition key
 * lands on the way Kinesis does: the MD5 of the key's UTF-8 bytes, read as an unsigned 128-bit
 * integer, falls in exactly one shard's range. A map read from the stream also knows the closed
 * shards ListShards still named ({@link #byId}), so that a record put before a reshard can be
 * judged by the range of the shard it landed in. Immutable and thread-safe: a producer that
 * follows resharding replaces its map.
 */
public final class ShardMap {
    /** The largest hash key, 2^128 - 1. */
    public static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(ShardMap::md5);

    private final List<Shard> shards;
    /** Every shard of the map, open or closed, by id. */
    private final Map<String, Shard> byId;
    /** The index of each open shard, by id. */
    private final Map<String, Integer> openIndex;
    private final long[] startHigh;
    private final long[] startLow;

    /**
     * One open shard.
     *
     * @param shardId      the shard's id, for example {@code shardId-000000000000}
     * @param startHashKey first hash key of its range, in [0, 2^128)
     * @param endHashKey   last hash key of its range, inclusive, at least {@code startHashKey}
     */
    public record Shard(String shardId, BigInteger startHashKey, BigInteger endHashKey) {
        public Shard {
            Objects.requireNonNull(shardId, "shardId");
            if (startHashKey.signum() < 0 || endHashKey.compareTo(MAX_HASH_KEY) > 0
                    || startHashKey.compareTo(endHashKey) > 0) {
                throw new IllegalArgumentException("a shard's hash-key range must satisfy 0 <= start <= end < 2^128,"
                        + " found [" + startHashKey + ", " + endHashKey + "] for " + shardId);
            }
        }

        /** Whether a hash key falls in this shard's range. */
        public boolean covers(BigInteger hashKey) {
            return hashKey.compareTo(startHashKey) >= 0 && hashKey.compareTo(endHashKey) <= 0;
        }
    }

    private ShardMap(List<Shard> shards, List<Shard> closed) {
        List<Shard> sorted = new ArrayList<>(shards);
        sorted.sort(Comparator.comparing(Shard::startHashKey));
        if (sorted.isEmpty() || sorted.get(0).startHashKey().signum() != 0
                || !sorted.get(sorted.size() - 1).endHashKey().equals(MAX_HASH_KEY)) {
            throw new IllegalArgumentException("the shards must cover the hash-key space [0, 2^128) without gaps,"
                    + " found " + sorted);
        }
        for (int i = 1; i < sorted.size(); i++) {
            if (!sorted.get(i).startHashKey().equals(sorted.get(i - 1).endHashKey().add(BigInteger.ONE))) {
                throw new IllegalArgumentException("the shards' hash-key ranges must be contiguous, found "
                        + sorted.get(i - 1) + " then " + sorted.get(i));
            }
        }
        this.shards = List.copyOf(sorted);
        Map<String, Shard> ids = new HashMap<>();
        for (Shard c : closed) {
            ids.put(c.shardId(), c);
        }
        for (Shard o : sorted) {
            if (ids.put(o.shardId(), o) != null) {
                throw new IllegalArgumentException("shard " + o.shardId()
                        + " is listed twice, or both open and closed");
            }
        }
        this.byId = Map.copyOf(ids);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            index.put(sorted.get(i).shardId(), i);
        }
        this.openIndex = Map.copyOf(index);
        startHigh = new long[sorted.size()];
        startLow = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            BigInteger start = sorted.get(i).startHashKey();
            startHigh[i] = start.shiftRight(64).longValue();
            startLow[i] = start.longValue();
        }
    }

    /**
     * A map of these shards.
     *
     * @throws IllegalArgumentException if their ranges do not cover [0, 2^128) contiguously
     */
    public static ShardMap of(List<Shard> shards) {
        return new ShardMap(shards, List.of());
    }

    /**
     * A map of these open shards that also knows these closed ones ({@link #byId}); only the open
     * ones route keys.
     *
     * @throws IllegalArgumentException if the open shards' ranges do not cover [0, 2^128) contiguously,
     *                                  or a shard id is given twice
     */
    public static ShardMap of(List<Shard> open, List<Shard> closed) {
        return new ShardMap(open, closed);
    }

    /**
     * {@code n} shards of equal ranges, as CreateStream makes them, named {@code shardId-000000000000} on.
     *
     * @param n 1 to 100,000
     */
    public static ShardMap even(int n) {
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("shard count must be in [1, 100000], found " + n);
        }
        BigInteger space = MAX_HASH_KEY.add(BigInteger.ONE);
        BigInteger step = space.divide(BigInteger.valueOf(n));
        List<Shard> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BigInteger start = step.multiply(BigInteger.valueOf(i));
            BigInteger end = i == n - 1 ? MAX_HASH_KEY : start.add(step).subtract(BigInteger.ONE);
            list.add(new Shard(String.format("shardId-%012d", i), start, end));
        }
        return new ShardMap(list, List.of());
    }

    /**
     * Reads the shards of a stream with ListShards (every page): the open ones (those without an
     * ending sequence number) route keys, the closed ones are known by id.
     *
     * @throws ShardMapException if ListShards fails or does not answer within the timeout
     */
    public static ShardMap fetch(KinesisAsyncClient client, String streamName, Duration timeout) {
        try {
            return fetchAsync(client, streamName, timeout).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof ShardMapException sme) {
                throw sme;
            }
            throw new ShardMapException("ListShards on stream " + streamName + " failed: " + cause.getMessage(), cause);
        } catch (RuntimeException e) {
            throw new ShardMapException("ListShards on stream " + streamName + " failed: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new ShardMapException("ListShards on stream " + streamName + " did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShardMapException("interrupted while listing the shards of stream " + streamName, e);
        }
    }

    /**
     * Reads the shards of a stream as {@link #fetch} does, without blocking: each ListShards call may
     * take up to {@code callTimeout}.
     *
     * @return completes with the map, or exceptionally with the SDK's failure, or with a
     *         {@link ShardMapException} if the open shards do not cover the hash-key space
     */
    public static CompletableFuture<ShardMap> fetchAsync(KinesisAsyncClient client, String streamName,
                                                         Duration callTimeout) {
        return page(client, streamName, callTimeout, null, new ArrayList<>(), new ArrayList<>());
    }

    private static CompletableFuture<ShardMap> page(KinesisAsyncClient client, String streamName, Duration timeout,
                                                    String next, List<Shard> open, List<Shard> closed) {
        ListShardsRequest.Builder b = next == null ? ListShardsRequest.builder().streamName(streamName)
                : ListShardsRequest.builder().nextToken(next);
        ListShardsRequest request = b.overrideConfiguration(o -> o.apiCallTimeout(timeout)).build();
        CompletableFuture<ListShardsResponse> response;
        try {
            response = client.listShards(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return response.thenCompose(r -> {
            for (var s : r.shards()) {
                Shard shard = new Shard(s.shardId(), new BigInteger(s.hashKeyRange().startingHashKey()),
                        new BigInteger(s.hashKeyRange().endingHashKey()));
                boolean isOpen = s.sequenceNumberRange() == null
                        || s.sequenceNumberRange().endingSequenceNumber() == null;
                (isOpen ? open : closed).add(shard);
            }
            if (r.nextToken() != null) {
                return page(client, streamName, timeout, r.nextToken(), open, closed);
            }
            try {
                return CompletableFuture.completedFuture(new ShardMap(open, closed));
            } catch (IllegalArgumentException e) {
                throw new ShardMapException("stream " + streamName + " has no consistent set of open shards: "
                        + e.getMessage(), e);
            }
        });
    }

    /** Number of shards. */
    public int size() {
        return shards.size();
    }

    /** The shards, by ascending hash-key range; a shard's index here is what {@link #shardOf} returns. */
    public List<Shard> shards() {
        return shards;
    }

    /** The id of the shard at this index. */
    public String shardId(int index) {
        return shards.get(index).shardId();
    }

    /** The open shard at this index. */
    public Shard shard(int index) {
        return shards.get(index);
    }

    /** A shard of the map by id, open or closed; null if the map does not know it. */
    public Shard byId(String shardId) {
        return byId.get(shardId);
    }

    /** The index of an open shard by id; -1 if it is not an open shard of the map. */
    public int indexOf(String shardId) {
        return openIndex.getOrDefault(shardId, -1);
    }

    /** The index of the shard a partition key hashes to. */
    public int shardOf(String partitionKey) {
        byte[] d = MD5.get().digest(partitionKey.getBytes(StandardCharsets.UTF_8));
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (d[i] & 0xFF);
            low = low << 8 | (d[i + 8] & 0xFF);
        }
        int lo = 0;
        int hi = startHigh.length - 1;
        // The last shard whose start is <= the hash; the ranges are contiguous, so it holds the hash.
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            int c = Long.compareUnsigned(startHigh[mid], high);
            if (c < 0 || c == 0 && Long.compareUnsigned(startLow[mid], low) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The hash key of a partition key: the MD5 of its UTF-8 bytes as an unsigned 128-bit integer. */
    public static BigInteger hashKey(String partitionKey) {
        return new BigInteger(1, MD5.get().digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }

    @Override
    public String toString() {
        return "ShardMap" + shards;
    }
}
