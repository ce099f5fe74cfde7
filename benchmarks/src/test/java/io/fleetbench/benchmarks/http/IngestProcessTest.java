package io.fleetbench.benchmarks.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IngestProcessTest {
    private static final String METRICS = """
            # HELP fleetbench_ingest_requests_total Requests answered, by HTTP status
            # TYPE fleetbench_ingest_requests_total counter
            fleetbench_ingest_requests_total{status="202"} 1200.0
            fleetbench_ingest_requests_total{status="503"} 7.0
            fleetbench_ingest_requests_total_extra{status="202"} 99.0
            # TYPE fleetbench_ingest_events_acknowledged_total counter
            fleetbench_ingest_events_acknowledged_total 1234.0
            fleetbench_ingest_events_acknowledged_after_ambiguous_total 2.0
            """;

    @Test
    void countsTheRequestsAnswered2xxAndTheEventsAcknowledged() {
        assertEquals(1_200, IngestProcess.requests2xx(METRICS));
        assertEquals(1_234, IngestProcess.eventsAcknowledged(METRICS));
    }
}
