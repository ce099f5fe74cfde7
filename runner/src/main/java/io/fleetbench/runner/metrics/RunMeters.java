package io.fleetbench.runner.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.Objects;

/**
 * The conventions of a run's registry, applied before any meter is registered: every series carries
 * the label {@code run} with the run's id, so that dashboards over a long-lived Prometheus can select one
 * run; and the JVM binders' two meters whose Prometheus names break the naming rules (and that
 * {@code promtool check metrics} reports) are dropped or renamed: {@code process_cpu_time_ns_total}
 * (nanoseconds, not a base unit; {@code process_cpu_usage} remains) and {@code system_cpu_count}
 * (a gauge with a {@code _count} suffix), exposed as {@code system_cpus}.
 */
public final class RunMeters {
    /** The label that names the run on every series. */
    public static final String RUN_LABEL = "run";

    private RunMeters() {
    }

    /**
     * Configures a run's registry; call it before registering any meter, as filters do not apply to
     * meters that already exist.
     *
     * @param runId the run's id, the value of the {@code run} label; not blank
     */
    public static void configure(MeterRegistry registry, String runId) {
        Objects.requireNonNull(registry, "registry");
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("the run id for the '" + RUN_LABEL + "' label must not be blank");
        }
        if (!registry.getMeters().isEmpty()) {
            throw new IllegalStateException("configure the run's registry before registering meters, found "
                    + registry.getMeters().get(0).getId().getName());
        }
        registry.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                })
                .commonTags(RUN_LABEL, runId);
    }
}
