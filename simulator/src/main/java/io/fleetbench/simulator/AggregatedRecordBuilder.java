package io.fleetbench.simulator;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs user records into one KPL-compatible aggregated Kinesis record, which the KCL splits back
 * into user records with sub-sequence numbers: the magic bytes {@code F3 89 9A C2}, then the
 * {@code AggregatedRecord} protobuf, then the MD5 of the protobuf bytes.
 *
 * <pre>
 * message AggregatedRecord {
 *   repeated string partition_key_table     = 1;
 *   repeated string explicit_hash_key_table = 2;   // never written: keys decide the shard
 *   repeated Record records                 = 3;
 * }
 * message Record {
 *   required uint64 partition_key_index     = 1;
 *   optional uint64 explicit_hash_key_index = 2;
 *   required bytes  data                    = 3;
 *   repeated Tag    tags                    = 4;
 * }
 * </pre>
 *
 * <p>The protobuf is written by hand: the producer depends on neither protobuf-java nor the KCL,
 * and these two messages need nothing but tags, varints and length-delimited bytes. The caller
 * keeps an aggregate to the records of one shard, so the aggregate's partition key (the first
 * user record's) routes every user record in it to the shard its own key hashes to. Not
 * thread-safe; reusable after {@link #reset()}.
 */
public final class AggregatedRecordBuilder {
    /** The four bytes every aggregated record starts with. */
    public static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    /** Length of the MD5 trailer. */
    public static final int DIGEST_LENGTH = 16;

    private static final int PARTITION_KEY_TABLE_TAG = 1 << 3 | 2;
    private static final int RECORDS_TAG = 3 << 3 | 2;
    private static final int PARTITION_KEY_INDEX_TAG = 1 << 3;
    private static final int DATA_TAG = 3 << 3 | 2;

    private final MessageDigest md5 = md5();
    private final Map<String, Integer> keyIndex = new HashMap<>();
    private final List<byte[]> keys = new ArrayList<>();
    private int[] recordKeys = new int[64];
    private byte[][] recordData = new byte[64][];
    private int count;
    private int protobufSize;
    private String partitionKey;
    private int partitionKeyBytes;

    /** User records in the aggregate. */
    public int count() {
        return count;
    }

    /** The aggregate's Kinesis partition key: the first user record's; null while empty. */
    public String partitionKey() {
        return partitionKey;
    }

    /** The size {@link #build()} returns now, in bytes. */
    public int size() {
        return MAGIC.length + protobufSize + DIGEST_LENGTH;
    }

    /** {@link #size()} plus the aggregate's partition key: what counts against the Kinesis record limit. */
    public int recordBytes() {
        return size() + partitionKeyBytes;
    }

    /**
     * What an aggregate of just one user record would count against the Kinesis record limit: its
     * size plus its partition key.
     *
     * @param keyBytes   the UTF-8 length of the record's partition key
     * @param dataLength the record's length
     */
    public static long singleRecordBytes(int keyBytes, int dataLength) {
        int inner = 1 + varintSize(0) + 1 + varintSize(dataLength) + dataLength;
        return (long) MAGIC.length + 1 + varintSize(keyBytes) + keyBytes + 1 + varintSize(inner) + inner
                + DIGEST_LENGTH + keyBytes;
    }

    /**
     * Adds a user record if the aggregate, with its partition key, stays within {@code limit} bytes.
     * The first record is always taken if it fits alone.
     *
     * @param key  the user record's partition key
     * @param data the user record; kept by reference until {@link #reset()}
     * @return whether it was added
     */
    public boolean tryAdd(String key, byte[] data, int limit) {
        Integer index = keyIndex.get(key);
        byte[] keyBytes = null;
        int grow = 0;
        int idx;
        if (index == null) {
            keyBytes = key.getBytes(StandardCharsets.UTF_8);
            grow += 1 + varintSize(keyBytes.length) + keyBytes.length;
            idx = keys.size();
        } else {
            idx = index;
        }
        int inner = 1 + varintSize(idx) + 1 + varintSize(data.length) + data.length;
        grow += 1 + varintSize(inner) + inner;
        int keyOverhead = count == 0 ? (keyBytes != null ? keyBytes.length : 0) : partitionKeyBytes;
        if ((long) size() + grow + keyOverhead > limit) {
            return false;
        }
        if (keyBytes != null) {
            keyIndex.put(key, idx);
            keys.add(keyBytes);
        }
        if (count == 0) {
            partitionKey = key;
            partitionKeyBytes = keyOverhead;
        }
        if (count == recordKeys.length) {
            recordKeys = Arrays.copyOf(recordKeys, count * 2);
            recordData = Arrays.copyOf(recordData, count * 2);
        }
        recordKeys[count] = idx;
        recordData[count] = data;
        count++;
        protobufSize += grow;
        return true;
    }

    /** The aggregated record: magic bytes, protobuf, MD5 of the protobuf. */
    public byte[] build() {
        byte[] out = new byte[size()];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        int p = MAGIC.length;
        for (byte[] k : keys) {
            out[p++] = PARTITION_KEY_TABLE_TAG;
            p = writeVarint(out, p, k.length);
            System.arraycopy(k, 0, out, p, k.length);
            p += k.length;
        }
        for (int i = 0; i < count; i++) {
            byte[] data = recordData[i];
            int idx = recordKeys[i];
            out[p++] = RECORDS_TAG;
            p = writeVarint(out, p, 1 + varintSize(idx) + 1 + varintSize(data.length) + data.length);
            out[p++] = PARTITION_KEY_INDEX_TAG;
            p = writeVarint(out, p, idx);
            out[p++] = DATA_TAG;
            p = writeVarint(out, p, data.length);
            System.arraycopy(data, 0, out, p, data.length);
            p += data.length;
        }
        md5.update(out, MAGIC.length, protobufSize);
        try {
            md5.digest(out, p, DIGEST_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("the output has room for the digest by construction", e);
        }
        return out;
    }

    /** Empties the aggregate for reuse. */
    public void reset() {
        keyIndex.clear();
        keys.clear();
        Arrays.fill(recordData, 0, count, null);
        count = 0;
        protobufSize = 0;
        partitionKey = null;
        partitionKeyBytes = 0;
    }

    private static int varintSize(int v) {
        return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
    }

    private static int writeVarint(byte[] out, int p, int v) {
        while ((v & ~0x7F) != 0) {
            out[p++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
