package io.fleetbench.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A strict reader of KPL aggregated records for tests: checks the magic bytes, the protobuf and the MD5 trailer. */
final class AggregatedRecords {
    private AggregatedRecords() {
    }

    /** One user record found in an aggregate. */
    record UserRecord(String partitionKey, byte[] data) {
    }

    /** Whether the bytes start with the aggregation magic. */
    static boolean isAggregated(byte[] b) {
        return b.length >= 4 && Arrays.equals(Arrays.copyOf(b, 4), AggregatedRecordBuilder.MAGIC);
    }

    static List<UserRecord> decode(byte[] b) throws NoSuchAlgorithmException {
        if (!isAggregated(b)) {
            throw new AssertionError("no magic bytes");
        }
        int end = b.length - 16;
        byte[] digest = MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(b, 4, end));
        if (!Arrays.equals(digest, Arrays.copyOfRange(b, end, b.length))) {
            throw new AssertionError("MD5 trailer does not match the protobuf");
        }
        List<String> keys = new ArrayList<>();
        List<long[]> recordSpans = new ArrayList<>();
        int[] p = {4};
        while (p[0] < end) {
            long tag = varint(b, p);
            if (tag == (1 << 3 | 2)) {
                int len = (int) varint(b, p);
                keys.add(new String(b, p[0], len, StandardCharsets.UTF_8));
                p[0] += len;
            } else if (tag == (3 << 3 | 2)) {
                int len = (int) varint(b, p);
                recordSpans.add(new long[] {p[0], p[0] + len});
                p[0] += len;
            } else {
                throw new AssertionError("unexpected field tag " + tag + " at " + p[0]);
            }
        }
        if (p[0] != end) {
            throw new AssertionError("protobuf overruns the trailer");
        }
        List<UserRecord> out = new ArrayList<>();
        for (long[] span : recordSpans) {
            int[] q = {(int) span[0]};
            Long keyIndex = null;
            byte[] data = null;
            while (q[0] < span[1]) {
                long tag = varint(b, q);
                if (tag == 1 << 3) {
                    keyIndex = varint(b, q);
                } else if (tag == (3 << 3 | 2)) {
                    int len = (int) varint(b, q);
                    data = Arrays.copyOfRange(b, q[0], q[0] + len);
                    q[0] += len;
                } else {
                    throw new AssertionError("unexpected record field tag " + tag);
                }
            }
            if (keyIndex == null || data == null || q[0] != span[1]) {
                throw new AssertionError("record without partition_key_index or data");
            }
            out.add(new UserRecord(keys.get(keyIndex.intValue()), data));
        }
        return out;
    }

    private static long varint(byte[] b, int[] p) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[p[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }
}
