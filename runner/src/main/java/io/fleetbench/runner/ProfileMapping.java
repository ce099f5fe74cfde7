package io.fleetbench.runner;


import io.fleetbench.ingest.IngestFaults;
import io.fleetbench.localstack.ProxyFaults;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.simulator.BikeClasses;
import io.fleetbench.simulator.FaultConfig;
import io.fleetbench.simulator.FleetDriven;
import io.fleetbench.simulator.FleetConfig;
import io.fleetbench.simulator.HotDevices;
import io.fleetbench.simulator.LoadShape;
import io.fleetbench.simulator.MaxRateSearch;
import io.fleetbench.simulator.SimulatorConfig;
import io.fleetbench.simulator.StagedRate;
import io.fleetbench.simulator.http.HttpAuth;
import io.fleetbench.simulator.http.HttpTargetConfig;
import io.fleetbench.simulator.http.Secret;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Turns a validated {@link LoadProfile} into the simulator's config and load shape; shared by {@code run} and {@code simulate}. */
public final class ProfileMapping {

    private ProfileMapping() {
    }

    /** The schema version the profile's schema change sends, or the current one without a schema change. */
    static int schemaChangeVersion(LoadProfile profile) {
        return profile.faults().schemaChange() != null ? profile.faults().schemaChange().version()
                : EventSchema.CURRENT_VERSION;
    }

    /**
     * The simulator's config for a profile and stream.
     */
    public static SimulatorConfig simulatorConfig(LoadProfile profile, String stream) {
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
                .withApiCallTimeout(p.apiCallTimeout())
                .withAggregation(p.aggregation());
        return applyFleetDrivenAndFaults(profile, config);
    }

    /**
     * Maps {@code load.fleetDriven}, {@code fleet.startAt} and {@code faults} onto the fleet: a fleet-driven
     * run starts its device clocks today at {@code startAt} (UTC) and runs them {@code timeCompression} times
     * faster than the wall clock, any other run at {@code fleet.startAt} when given; a schema change happens
     * at its share of the run's duration.
     */
    static SimulatorConfig applyFleetDrivenAndFaults(LoadProfile profile, SimulatorConfig config) {
        FleetConfig fleet = config.fleet();
        LoadProfile.FleetDriven driven = profile.load().fleetDriven();
        if (driven != null) {
            long start = LocalDate.now(ZoneOffset.UTC).atTime(driven.startAt()).toInstant(ZoneOffset.UTC).toEpochMilli();
            fleet = fleet.withFleetDriven(new FleetDriven(driven.timeCompression())).withStartEpochMillis(start);
        } else if (profile.fleet().startAt() != null) {
            fleet = fleet.withStartEpochMillis(LocalDate.now(ZoneOffset.UTC).atTime(profile.fleet().startAt())
                    .toInstant(ZoneOffset.UTC).toEpochMilli());
        }
        LoadProfile.Faults f = profile.faults();
        FaultConfig faults = FaultConfig.none().withDuplicates(f.duplicates()).withMalformed(f.malformed());
        if (f.offline() != null) {
            faults = faults.withOffline(f.offline().share(), f.offline().duration());
        }
        if (f.clockDrift() != null) {
            faults = faults.withClockDrift(f.clockDrift().share(), f.clockDrift().max());
        }
        if (f.schemaChange() != null) {
            Duration at = Duration.ofNanos((long) (profile.duration().toNanos() * f.schemaChange().share()));
            faults = faults.withSchemaChange(at, f.schemaChange().version());
        }
        return config.withFleet(fleet.withFaults(faults));
    }

    /** The profile's {@code infrastructure} section as the faults the proxy in front of the emulator injects. */
    public static ProxyFaults proxyFaults(LoadProfile profile) {
        LoadProfile.Infrastructure inf = profile.infrastructure();
        ProxyFaults faults = ProxyFaults.none()
                .withTargets(inf.targets())
                .withSeed(inf.seed())
                .withResets(inf.resets().before(), inf.resets().after())
                .withErrors(inf.errors().internalFailure(), inf.errors().serviceUnavailable());
        if (inf.latency() != null) {
            faults = faults.withLatency(inf.latency().delay(), inf.latency().jitter());
        }
        if (inf.stall() != null) {
            faults = faults.withStall(inf.stall().at(), inf.stall().duration());
        }
        return faults;
    }

    /**
     * The fleet's HTTP target for a profile with {@code target: http}, at {@code url} (the profile's {@code http.url},
     * or the run's own ingestion endpoint).
     *
     * @param stream the stream a {@code kinesis} body names
     * @param auth   the profile's authentication ({@link #httpAuth})
     */
    public static HttpTargetConfig httpTarget(LoadProfile profile, String stream, URI url, HttpAuth auth) {
        LoadProfile.Http h = profile.http();
        HttpTargetConfig.BodyFormat format = switch (h.format()) {
            case "event" -> HttpTargetConfig.BodyFormat.EVENT;
            case "kinesis" -> HttpTargetConfig.BodyFormat.KINESIS;
            default -> HttpTargetConfig.BodyFormat.BATCH;
        };
        LoadProfile.Batching b = h.batching();
        return HttpTargetConfig.defaults(url)
                .withFormat(format, Optional.of(stream))
                .withConnections(h.version().equals("2") ? HttpTargetConfig.Version.HTTP_2
                        : HttpTargetConfig.Version.HTTP_1_1, h.maxConnections(), h.maxInFlightRequests())
                .withTimeouts(h.requestTimeout(), h.eventTtl(), Duration.ofMillis(100), Duration.ofSeconds(5))
                .withBatching(new HttpTargetConfig.Batching(b.cars().size(), b.cars().interval()),
                        new HttpTargetConfig.Batching(b.bikes().size(), b.bikes().interval()))
                .withSecurity(Optional.ofNullable(h.caFile()).map(Path::of), auth);
    }

    /** The misbehaviour the run's own ingestion endpoint puts on ({@code http.endpoint.faults}); seeded by the fleet. */
    static IngestFaults endpointFaults(LoadProfile profile) {
        LoadProfile.EndpointFaults f = profile.http().endpoint().faults();
        return new IngestFaults(f.slow(), f.delay(), f.tooManyRequests(), f.errorAfterWrite(), f.resetAfterWrite(),
                f.closeMidResponse(), f.seed() != null ? f.seed() : profile.fleet().seed());
    }

    /**
     * The profile's {@code http.auth}, its secrets read now, so that a missing one refuses the run before anything
     * starts.
     *
     * @throws IllegalArgumentException naming the field and the variable or file, never the secret
     */
    public static HttpAuth httpAuth(LoadProfile profile) {
        return auth(profile.http().auth());
    }

    private static HttpAuth auth(LoadProfile.Auth a) {
        try {
            if (a.apiKey() != null) {
                return HttpAuth.apiKey(a.apiKey().header(), secret(a.apiKey()));
            }
            if (a.bearer() != null) {
                return HttpAuth.bearer(secret(a.bearer()));
            }
            if (a.sigv4() != null) {
                return HttpAuth.sigV4(a.sigv4().region(), a.sigv4().service());
            }
            return HttpAuth.none();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http.auth: " + e.getMessage(), e);
        }
    }

    private static Secret secret(LoadProfile.Secret s) {
        return s.env() != null ? Secret.fromEnv(s.env()) : Secret.fromFile(Path.of(s.file()));
    }

    /** The simulator's settings for a profile's maximum-rate search. */
    static MaxRateSearch.Settings searchSettings(LoadProfile.MaxRateSearch m) {
        return new MaxRateSearch.Settings(m.start(), m.factor(), m.stepDuration(), m.maxShortfall(), m.maxP99(),
                m.maxRate());
    }

    /** The profile's load shape: the stages of its arrival rate, or a new maximum-rate search. */
    public static LoadShape loadShape(LoadProfile profile) {
        LoadProfile.Load load = profile.load();
        if (load.maxRateSearch() != null) {
            return new MaxRateSearch(searchSettings(load.maxRateSearch()));
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
