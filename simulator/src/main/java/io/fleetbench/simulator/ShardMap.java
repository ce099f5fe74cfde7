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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The open shards of a stream and their hash-key ranges, to predict which shard a partition key
 * lands on the way Kinesis does: the MD5 of the key's UTF-8 bytes, read as an unsigned 128-bit
 * integer, falls in exactly one shard's range. Thread-safe.
 */
public final class ShardMap {
    /** The largest hash key, 2^128 - 1. */
    public static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(ShardMap::md5);

    private final List<Shard> shards;
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
    }

    private ShardMap(List<Shard> shards) {
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
        return new ShardMap(shards);
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
        return new ShardMap(list);
    }

    /**
     * Reads the open shards of a stream with ListShards (every page).
     *
     * @throws ShardMapException if ListShards fails or does not answer within the timeout
     */
    public static ShardMap fetch(KinesisAsyncClient client, String streamName, Duration timeout) {
        List<Shard> list = new ArrayList<>();
        String next = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            do {
                ListShardsRequest request = next == null
                        ? ListShardsRequest.builder().streamName(streamName).build()
                        : ListShardsRequest.builder().nextToken(next).build();
                ListShardsResponse response = client.listShards(request)
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                for (var s : response.shards()) {
                    if (s.sequenceNumberRange() == null || s.sequenceNumberRange().endingSequenceNumber() == null) {
                        list.add(new Shard(s.shardId(), new BigInteger(s.hashKeyRange().startingHashKey()),
                                new BigInteger(s.hashKeyRange().endingHashKey())));
                    }
                }
                next = response.nextToken();
            } while (next != null);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ShardMapException("ListShards on stream " + streamName + " failed: " + cause.getMessage(), cause);
        } catch (RuntimeException e) {
            throw new ShardMapException("ListShards on stream " + streamName + " failed: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new ShardMapException("ListShards on stream " + streamName + " did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShardMapException("interrupted while listing the shards of stream " + streamName, e);
        }
        try {
            return new ShardMap(list);
        } catch (IllegalArgumentException e) {
            throw new ShardMapException("stream " + streamName + " has no consistent set of open shards: "
                    + e.getMessage(), e);
        }
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
