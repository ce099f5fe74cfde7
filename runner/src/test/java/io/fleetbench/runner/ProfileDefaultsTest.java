package io.fleetbench.runner;

import io.fleetbench.lakesink.LakeSinkConfig;
import io.fleetbench.localstack.ProxyFaults;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileException;
import io.fleetbench.profile.ProfileLoader;
import io.fleetbench.simulator.ProducerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A profile that leaves a setting out gets the stage's own default, and takes what the stage takes: the
 * profile module cannot see the stages (it sits below the report, which has no AWS or Delta), so its
 * defaults and bounds are written there again, and held to the stages here.
 */
class ProfileDefaultsTest {
    private static final String MINIMAL = """
            name: p
            duration: 10s
            rate: 100
            """;

    private static LoadProfile parse(String yaml) throws ProfileException {
        return new ProfileLoader().parse("p.yaml", yaml);
    }

    @Test
    void theSinkSectionDefaultsToTheSinksOwnSettings() throws ProfileException {
        LoadProfile.Sink sink = parse(MINIMAL).sink();
        LakeSinkConfig stage = LakeSinkConfig.defaults("lake");
        assertEquals(stage.maxBufferLatency(), sink.maxLatency());
        assertEquals(stage.targetFileBytes(), sink.targetFileSize().bytes());
        assertEquals(stage.maxBufferedBytes(), sink.memoryBudget().bytes());
        assertEquals(stage.dropDuplicates(), sink.dropDuplicates());
    }

    @Test
    void theInfrastructureSectionTargetsWhatTheProxyTargetsByDefault() throws ProfileException {
        assertEquals(ProxyFaults.DEFAULT_TARGETS, parse(MINIMAL).infrastructure().targets());
        assertEquals(ProxyFaults.DEFAULT_TARGETS, LoadProfile.Infrastructure.DEFAULT_TARGETS);
    }

    @Test
    void theProducerSectionDefaultsToTheProducersOwnSettingsAndBounds() throws ProfileException {
        LoadProfile.Producer producer = parse(MINIMAL).producer();
        ProducerConfig stage = ProducerConfig.defaults("s");
        assertEquals(stage.maxInFlightRequests(), producer.maxInFlightRequests());
        assertEquals(stage.recordTtl(), producer.recordTtl());
        assertEquals(stage.aggregation(), producer.aggregation());
        assertEquals(stage.apiCallTimeout(), producer.apiCallTimeout());
        assertEquals(ProducerConfig.DEFAULT_API_CALL_TIMEOUT, LoadProfile.Producer.DEFAULT_API_CALL_TIMEOUT);

        int most = ProducerConfig.MAX_IN_FLIGHT_REQUESTS;
        assertDoesNotThrow(() -> parse(MINIMAL + "producer: {maxInFlightRequests: " + most + "}"));
        assertThrows(ProfileException.class, () -> parse(MINIMAL + "producer: {maxInFlightRequests: " + (most + 1) + "}"));
        assertThrows(IllegalArgumentException.class, () -> new ProducerConfig("s", most + 1, stage.recordTtl(),
                stage.linger(), stage.backoffBase(), stage.backoffMax(), false));
    }
}
