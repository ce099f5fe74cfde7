package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import io.fleetbench.simulator.http.HttpCounters;
import io.fleetbench.simulator.http.HttpTarget;
import io.fleetbench.simulator.http.HttpTargetConfig;

import java.util.Map;

/** The report's {@code http} section from what the fleet's HTTP target counted. */
final class HttpFigures {
    private HttpFigures() {
    }

    /**
     * The figures of a run with an HTTP target.
     *
     * @param ingest the run's own ingestion endpoint's figures; null when the requests went elsewhere
     */
    static RunReport.Http of(HttpTarget target, RunReport.Ingest ingest) {
        HttpTargetConfig c = target.config();
        HttpCounters n = target.counters().orElse(new HttpCounters(Map.of(), 0, 0));
        Map<String, Long> by = n.requestsByOutcome();
        long connectionErrors = by.getOrDefault("timeout", 0L) + by.getOrDefault("connection_lost", 0L)
                + by.getOrDefault("connection_failed", 0L);
        return new RunReport.Http(c.url().toString(), c.format().wireName(),
                c.version() == HttpTargetConfig.Version.HTTP_2 ? "2" : "1.1", n.requests(), by, n.statusClass(2),
                n.statusClass(4), n.statusClass(5), connectionErrors, n.connectionsOpened(), ingest);
    }
}
