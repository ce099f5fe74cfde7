package io.fleetbench.harness.run;

import io.fleetbench.harness.profile.LoadProfile;
import io.fleetbench.simulator.BikeClasses;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.HotDevices;
import io.fleetbench.simulator.LoadShape;
import io.fleetbench.simulator.MaxRateSearch;
import io.fleetbench.simulator.SimulatorConfig;
import io.fleetbench.simulator.StagedRate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns a validated {@link LoadProfile} into the simulator's config and load shape; shared by {@code run} and {@code simulate}. */
public final class ProfileMapping {

    private ProfileMapping() {
    }

    /**
     * The simulator's config for a profile and stream.
     *
     * @throws RunRefusedException if the profile asks for something the simulator cannot do yet
     */
    public static SimulatorConfig simulatorConfig(LoadProfile profile, String stream) throws RunRefusedException {
        LoadProfile.Fleet f = profile.fleet();
        LoadProfile.Classes c = f.bikes().classes();
        FleetConfig fleet = FleetConfig.defaults()
                .withSeed(f.seed())
                .withDevices(f.cars().count(), f.bikes().count())
                .withElectricShare(f.cars().electricShare())
                .withReportingInterval(f.cars().reportingInterval())
                .withBikeReportingInterval(f.bikes().reportingInterval())
                .withClasses(new BikeClasses(c.every(), c.length(), c.joinWindow(), c.riders()))
                .withHotDevices(new HotDevices(f.hotDevices().share(), f.hotDevices().trafficShare()));
        LoadProfile.Producer p = profile.producer();
        SimulatorConfig config = SimulatorConfig.defaults(stream)
                .withFleet(fleet)
                .withTargetEventsPerSecond(Math.max(profile.rate(), 1))
                .withDuration(profile.duration())
                .withMaxInFlightRequests(p.maxInFlightRequests())
                .withRecordTtl(p.recordTtl())
                .withAggregation(p.aggregation());
        return applyFleetDrivenAndFaults(profile, config);
    }

    /**
     * Maps {@code load.fleetDriven} and {@code faults} onto the
     * simulator. The simulator does not take them yet, so a profile that sets any of them is refused
     * rather than run without them.
     */
    static SimulatorConfig applyFleetDrivenAndFaults(LoadProfile profile, SimulatorConfig config)
            throws RunRefusedException {
        List<String> unwired = new ArrayList<>();
        if (profile.load().fleetDriven() != null) {
            unwired.add("load.fleetDriven");
        }
        if (profile.faults().any()) {
            unwired.add("faults");
        }
        if (!unwired.isEmpty()) {
            throw new RunRefusedException(profile.name() + ": " + String.join(", ", unwired)
                    + " validated but not wired into the simulator in this build; remove them to run the profile");
        }
        return config;
    }

    /** The profile's load shape: the stages of its arrival rate, or a new maximum-rate search. */
    public static LoadShape loadShape(LoadProfile profile) {
        LoadProfile.Load load = profile.load();
        if (load.maxRateSearch() != null) {
            return new MaxRateSearch(load.maxRateSearch().settings());
        }
        if (load.arrivalRate() == null) {
            return LoadShape.constant(Math.max(profile.rate(), 1));
        }
        LoadProfile.ArrivalRate a = load.arrivalRate();
        List<StagedRate.Stage> stages = a.stages().stream()
                .map(s -> new StagedRate.Stage(s.duration(), s.target())).toList();
        // One constant stage is the plain constant rate, spaced exactly like the walking skeleton's.
        if (stages.size() == 1 && a.startRate() == stages.get(0).target()) {
            return LoadShape.constant(a.startRate());
        }
        return StagedRate.ramping(a.startRate(), stages);
    }

    /** Where a stage of a shape ends: the next stage's start, or the run's end. */
    static Duration stageEnd(LoadShape shape, int stage, Duration runDuration) {
        return stage + 1 < shape.stages() ? Duration.ofNanos(shape.stageStartNanos(stage + 1)) : runDuration;
    }
}
