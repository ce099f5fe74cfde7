package io.fleetbench.simulator;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregatedRecordBuilderTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Derived by hand from the KPL's AggregatedRecord definition: magic F3 89 9A C2; field 1
     * (tag 0x0A) per partition key; field 3 (tag 0x1A) per record, holding field 1 (tag 0x08,
     * varint key index) and field 3 (tag 0x1A, length-delimited data); then the MD5 of the
     * protobuf bytes, computed independently with Python's hashlib.
     */
    @Test
    void matchesAByteVectorDerivedFromTheKplFormat() {
        AggregatedRecordBuilder b = new AggregatedRecordBuilder();
        assertTrue(b.tryAdd("car-1", utf8("{}"), KinesisProducer.MAX_RECORD_BYTES));
        assertTrue(b.tryAdd("car-2", utf8("ab"), KinesisProducer.MAX_RECORD_BYTES));
        assertTrue(b.tryAdd("car-1", utf8("x"), KinesisProducer.MAX_RECORD_BYTES));
        byte[] expected = HexFormat.of().parseHex("f3899ac2"
                + "0a056361722d31" + "0a056361722d32"
                + "1a0608001a027b7d" + "1a0608011a026162" + "1a0508001a0178"
                + "d2ac36986b258558b56e66abff8863f9");
        byte[] actual = b.build();
        assertArrayEquals(expected, actual, HexFormat.of().formatHex(actual));
        assertEquals(expected.length, b.size());
        assertEquals(expected.length + "car-1".length(), b.recordBytes());
        assertEquals("car-1", b.partitionKey());
    }

    @Test
    void decodesToWhatWasAddedInOrder() throws Exception {
        AggregatedRecordBuilder b = new AggregatedRecordBuilder();
        for (int i = 0; i < 1_000; i++) {
            // Long keys and payloads make multi-byte varints for lengths and key indexes.
            String key = "dev-" + (i % 300) + "-é".repeat(i % 3);
            assertTrue(b.tryAdd(key, utf8("payload-" + i + "x".repeat(i % 200)), KinesisProducer.MAX_RECORD_BYTES));
        }
        byte[] built = b.build();
        assertEquals(b.size(), built.length);
        List<AggregatedRecords.UserRecord> records = AggregatedRecords.decode(built);
        assertEquals(1_000, records.size());
        for (int i = 0; i < 1_000; i++) {
            assertEquals("dev-" + (i % 300) + "-é".repeat(i % 3), records.get(i).partitionKey());
            assertArrayEquals(utf8("payload-" + i + "x".repeat(i % 200)), records.get(i).data());
        }
    }

    @Test
    void refusesARecordThatWouldPassTheLimitAndStaysValid() throws Exception {
        AggregatedRecordBuilder b = new AggregatedRecordBuilder();
        byte[] data = new byte[400];
        int added = 0;
        while (b.tryAdd("k" + added, data, 4_096)) {
            added++;
        }
        assertTrue(added > 1);
        assertTrue(b.recordBytes() <= 4_096, "aggregate of " + b.recordBytes() + " bytes");
        assertEquals(added, AggregatedRecords.decode(b.build()).size());
        assertEquals(b.size(), b.build().length);
    }

    @Test
    void singleRecordBytesIsWhatAnAggregateOfOneCounts() {
        AggregatedRecordBuilder b = new AggregatedRecordBuilder();
        byte[] data = new byte[300];
        assertTrue(b.tryAdd("bike-42", data, KinesisProducer.MAX_RECORD_BYTES));
        assertEquals(b.recordBytes(), AggregatedRecordBuilder.singleRecordBytes(7, 300));
        assertFalse(new AggregatedRecordBuilder().tryAdd("bike-42", data, b.recordBytes() - 1));
    }

    @Test
    void resetStartsAFreshAggregate() throws Exception {
        AggregatedRecordBuilder b = new AggregatedRecordBuilder();
        b.tryAdd("a", utf8("1"), 1_000);
        b.tryAdd("b", utf8("2"), 1_000);
        b.reset();
        assertEquals(0, b.count());
        b.tryAdd("c", utf8("3"), 1_000);
        List<AggregatedRecords.UserRecord> records = AggregatedRecords.decode(b.build());
        assertEquals(1, records.size());
        assertEquals("c", records.get(0).partitionKey());
        assertEquals("c", b.partitionKey());
    }
}
