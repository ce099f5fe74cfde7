package io.fleetbench.simulator;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardMapTest {

    @Test
    void evenShardsSplitTheHashSpaceLikeCreateStream() {
        ShardMap two = ShardMap.even(2);
        assertEquals(BigInteger.ZERO, two.shards().get(0).startHashKey());
        assertEquals(new BigInteger("170141183460469231731687303715884105727"), two.shards().get(0).endHashKey());
        assertEquals(new BigInteger("170141183460469231731687303715884105728"), two.shards().get(1).startHashKey());
        assertEquals(ShardMap.MAX_HASH_KEY, two.shards().get(1).endHashKey());
        assertEquals("shardId-000000000001", two.shardId(1));
    }

    /** Hash keys computed independently with Python: int(hashlib.md5(key).hexdigest(), 16). */
    @Test
    void hashesKeysWithMd5AsAnUnsigned128BitInteger() {
        assertEquals(new BigInteger("87904383825604479211810871359020735638"), ShardMap.hashKey("car-1"));
        assertEquals(new BigInteger("330225085624307372411674829674061789861"), ShardMap.hashKey("bike-1"));
        ShardMap two = ShardMap.even(2);
        assertEquals(0, two.shardOf("car-1"));
        assertEquals(1, two.shardOf("bike-1"));
        assertEquals(1, two.shardOf("car-3"));
        assertEquals(0, two.shardOf("bike-2"));
    }

    @Test
    void agreesWithTheRangesForManyKeysAndUnevenShards() {
        BigInteger a = new BigInteger("1000000000000000000000000000000000000");
        BigInteger b = new BigInteger("300000000000000000000000000000000000000");
        ShardMap map = ShardMap.of(List.of(
                new ShardMap.Shard("s2", b, ShardMap.MAX_HASH_KEY),
                new ShardMap.Shard("s0", BigInteger.ZERO, a.subtract(BigInteger.ONE)),
                new ShardMap.Shard("s1", a, b.subtract(BigInteger.ONE))));
        for (int i = 0; i < 10_000; i++) {
            String key = "device-" + i;
            BigInteger h = ShardMap.hashKey(key);
            ShardMap.Shard s = map.shards().get(map.shardOf(key));
            assertEquals(true, h.compareTo(s.startHashKey()) >= 0 && h.compareTo(s.endHashKey()) <= 0, key);
        }
        assertEquals("s0", map.shardId(0));
    }

    @Test
    void refusesRangesWithAGap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardMap.of(List.of(
                new ShardMap.Shard("s0", BigInteger.ZERO, BigInteger.TEN),
                new ShardMap.Shard("s1", BigInteger.valueOf(12), ShardMap.MAX_HASH_KEY))));
        assertEquals(true, e.getMessage().contains("contiguous"), e.getMessage());
    }

    @Test
    void fetchReadsTheOpenShardsWithListShards() {
        ShardMap three = ShardMap.even(3);
        ShardMap fetched = ShardMap.fetch(new FakeKinesis().withShards(three), "s", java.time.Duration.ofSeconds(1));
        assertEquals(three.shards(), fetched.shards());
    }

    @Test
    void aFetchedMapRoutesByTheOpenShardsAndKnowsTheClosedOnesById() {
        BigInteger middle = ShardMap.MAX_HASH_KEY.shiftRight(1);
        ShardMap split = ShardMap.of(List.of(
                new ShardMap.Shard("shardId-000000000001", BigInteger.ZERO, middle),
                new ShardMap.Shard("shardId-000000000002", middle.add(BigInteger.ONE), ShardMap.MAX_HASH_KEY)));
        ShardMap fetched = ShardMap.fetch(new FakeKinesis().reshard(split), "s", Duration.ofSeconds(1));
        assertEquals(split.shards(), fetched.shards(), "only the open shards route keys");
        ShardMap.Shard parent = fetched.byId("shardId-000000000000");
        assertEquals(ShardMap.even(1).shard(0), parent, "the closed parent, by id");
        assertEquals(-1, fetched.indexOf("shardId-000000000000"), "a closed shard has no index");
        assertEquals(0, fetched.indexOf("shardId-000000000001"), "though its first child starts where it did");
        assertEquals(1, fetched.indexOf("shardId-000000000002"));
        assertNull(fetched.byId("shardId-000000000003"));
        assertTrue(parent.covers(ShardMap.MAX_HASH_KEY));
        assertFalse(fetched.shard(0).covers(middle.add(BigInteger.ONE)));
    }

    @Test
    void fetchAsyncFailsWithTheListingsFailure() {
        CompletableFuture<ShardMap> f = ShardMap.fetchAsync(new FakeKinesis().failingListings(1), "s",
                Duration.ofSeconds(1));
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertTrue(e.getCause().getMessage().contains("injected ListShards failure"), e.getCause().toString());
        ShardMapException fetchFailure = assertThrows(ShardMapException.class,
                () -> ShardMap.fetch(new FakeKinesis().failingListings(1), "s", Duration.ofSeconds(1)));
        assertTrue(fetchFailure.getMessage().startsWith("ListShards on stream s failed"), fetchFailure.getMessage());
    }
}
