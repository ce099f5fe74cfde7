package io.fleetbench.localstack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyFaultsTest {

    @Test
    void noneInjectsNothingAndTargetsThePuts() {
        ProxyFaults none = ProxyFaults.none();

        assertFalse(none.any());
        assertEquals("no faults", none.describe());
        assertTrue(none.appliesTo("PutRecords") && none.appliesTo("PutRecord"));
        assertFalse(none.appliesTo("GetRecords"));
    }

    @Test
    void eachFaultAloneIsAFault() {
        assertTrue(ProxyFaults.none().withLatency(Duration.ofMillis(1), Duration.ZERO).any());
        assertTrue(ProxyFaults.none().withLatency(Duration.ZERO, Duration.ofMillis(1)).any());
        assertTrue(ProxyFaults.none().withResets(0.1, 0).any());
        assertTrue(ProxyFaults.none().withResets(0, 0.1).any());
        assertTrue(ProxyFaults.none().withErrors(0.1, 0).any());
        assertTrue(ProxyFaults.none().withErrors(0, 0.1).any());
        assertTrue(ProxyFaults.none().withStall(Duration.ZERO, Duration.ofSeconds(1)).any());
        assertFalse(ProxyFaults.none().withStall(Duration.ofSeconds(5), Duration.ZERO).any(), "a stall of no length");
    }

    @Test
    void describesWhatItInjects() {
        ProxyFaults faults = ProxyFaults.none().withTargets(List.of("PutRecords", "GetRecords"))
                .withLatency(Duration.ofMillis(50), Duration.ofMillis(20)).withResets(0.01, 0.005).withErrors(0.02, 0)
                .withStall(Duration.ofSeconds(20), Duration.ofSeconds(5)).withSeed(9);

        assertEquals("a stall of 5 s from 20 s after the first put, latency 50 ms + up to 20 ms,"
                + " 1 % reset before forwarding, 0.5 % reset after forwarding, 2 % HTTP 500 on PutRecords, GetRecords"
                + " (seed 9)", faults.describe());
    }

    @Test
    void refusesSharesOutsideZeroToOneOrAddingUpToMoreThanOne() {
        String m = assertThrows(IllegalArgumentException.class, () -> ProxyFaults.none().withResets(-0.1, 0)).getMessage();
        assertEquals("every share must be in [0, 1], found resetBefore -0.1, resetAfter 0.0, internalFailure 0.0,"
                + " serviceUnavailable 0.0", m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ProxyFaults.none().withResets(0.5, 0.5).withErrors(0.25, 0)).getMessage();
        assertTrue(m.startsWith("resetBefore + resetAfter + internalFailure + serviceUnavailable must be at most 1"), m);
        assertTrue(ProxyFaults.none().withResets(0.5, 0.25).withErrors(0.125, 0.125).any(), "exactly 1 is allowed");
    }

    @Test
    void refusesNegativeDurationsAndTargetsThatNameNoOperation() {
        assertThrows(IllegalArgumentException.class,
                () -> ProxyFaults.none().withLatency(Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> ProxyFaults.none().withStall(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
        String m = assertThrows(IllegalArgumentException.class, () -> ProxyFaults.none().withTargets(List.of()))
                .getMessage();
        assertEquals("targets must name at least one Kinesis operation such as PutRecords, found []", m);
        assertThrows(IllegalArgumentException.class,
                () -> ProxyFaults.none().withTargets(List.of("Kinesis_20131202.PutRecords")));
    }

    @Test
    void operationsAreLabelledInSnakeCase() {
        assertEquals("put_records", ShardLimitProxy.snakeCase("PutRecords"));
        assertEquals("get_shard_iterator", ShardLimitProxy.snakeCase("GetShardIterator"));
        assertEquals("describe_stream_summary", ShardLimitProxy.snakeCase("DescribeStreamSummary"));
    }
}
