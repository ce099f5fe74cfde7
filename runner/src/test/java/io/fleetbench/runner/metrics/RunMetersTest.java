package io.fleetbench.runner.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's registry labels every series with the run and exposes only names that follow Prometheus's rules. */
class RunMetersTest {

    @Test
    void everySeriesCarriesTheRunAndTheProcessorMetersFollowTheNamingRules() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunMeters.configure(registry, "20240301-120000-smoke");
        Counter.builder("fleetbench.simulator.events.sent").register(registry).increment();
        new ProcessorMetrics().bindTo(registry);

        String text = registry.scrape();
        assertTrue(text.contains("fleetbench_simulator_events_sent_total{run=\"20240301-120000-smoke\"} 1.0"), text);
        assertTrue(text.contains("system_cpus{run=\"20240301-120000-smoke\"}"), text);
        assertFalse(text.contains("system_cpu_count"), text);
        assertFalse(text.contains("process_cpu_time"), text);
        assertTrue(text.contains("process_cpu_usage{run="), text);
    }

    @Test
    void refusesABlankRunIdAndARegistryThatAlreadyHasMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> RunMeters.configure(registry, " "));
        assertEquals("the run id for the 'run' label must not be blank", blank.getMessage());

        Counter.builder("fleetbench.early").register(registry);
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> RunMeters.configure(registry, "r1"));
        assertEquals("configure the run's registry before registering meters, found fleetbench.early", late.getMessage());
    }
}
