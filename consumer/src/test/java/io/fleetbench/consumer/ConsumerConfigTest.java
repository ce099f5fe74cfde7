package io.fleetbench.consumer;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConsumerConfigTest {
    private static final ConsumerConfig LOCAL = ConsumerConfig.local("telemetry", "app",
            URI.create("http://127.0.0.1:4567"), URI.create("http://127.0.0.1:4568"));

    @Test
    void theLargestEventDefaultsToAStreamsDefaultRecordLimitAndCanBeRaisedToTenMiB() {
        assertEquals(1 << 20, LOCAL.maxEventBytes());
        assertEquals(10 << 20, LOCAL.withMaxEventBytes(10 << 20).maxEventBytes());
        assertEquals(1, LOCAL.withMaxEventBytes(1).maxEventBytes());
        assertEquals("worker-2", LOCAL.withMaxEventBytes(512).withWorkerId("worker-2").withClaimShardsAtStart(false)
                .workerId());
        assertEquals(512, LOCAL.withMaxEventBytes(512).withWorkerId("worker-2").withClaimShardsAtStart(false)
                .maxEventBytes(), "the other copies keep the limit");
    }

    @Test
    void aLargestEventOutsideOneByteToTenMiBIsRefusedNamingTheValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> LOCAL.withMaxEventBytes(0));
        assertEquals("maxEventBytes must be in [1, 10485760], found 0", zero.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> LOCAL.withMaxEventBytes((10 << 20) + 1));
        assertEquals("maxEventBytes must be in [1, 10485760], found 10485761", big.getMessage());
    }
}
