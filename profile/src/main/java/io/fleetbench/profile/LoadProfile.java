package io.fleetbench.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fleetbench.telemetry.EventFamily;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A load profile: what fleet to simulate, how the load is shaped, which data faults and which
 * infrastructure faults to inject, how the producer and the pipeline are set up. Bound from YAML by {@link ProfileLoader}; every option
 * but {@code name} and the load has a default. The YAML schema is documented in
 * {@code loadprofiles/README.md}.
 *
 * @param duration how long the simulator sends: the stages' sum for an arrival rate, every step for
 *                 a maximum-rate search unless capped
 * @param load       exactly one kind of load
 * @param infrastructure faults on the Kinesis API path, injected by the local proxy; their seed defaults to the
 *                   fleet's
 * @param target     where the fleet sends: straight into the stream (default) or as HTTP requests
 * @param http       how the fleet's HTTP requests go, with {@code target: http}
 * @param thresholds conditions on the run's report, judged at its end (those with abortOnFail also while the
 *                   load runs), in the profile's order
 */
public record LoadProfile(String name, String description, Duration duration, Load load, Fleet fleet, Faults faults,
                          Infrastructure infrastructure, Target target, Http http, Producer producer, Stream stream,
                          Sink sink, Compaction compaction, Drain drain, List<Threshold> thresholds) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Kinesalite and the simulator together sustain about 20k raw records/s on 2 cores; AWS far more. */
    static final double MAX_RATE = 10_000_000;
    private static final double NANOS_PER_SECOND = 1e9;

    public LoadProfile {
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(duration, "duration");
        description = description == null ? "" : description;
        fleet = fleet == null ? Fleet.defaults() : fleet;
        faults = faults == null ? new Faults(null, null, null, null, null) : faults;
        infrastructure = infrastructure == null ? new Infrastructure(null, null, null, null, null, null, null)
                : infrastructure;
        if (infrastructure.seed() == null) {
            infrastructure = infrastructure.withSeed(fleet.seed());
        }
        for (int i = 0; i < infrastructure.restarts().size(); i++) {
            Duration at = infrastructure.restarts().get(i).at();
            require(at.compareTo(duration) < 0, "infrastructure.restarts[" + i + "].at",
                    "must be within the load's duration (" + Durations.format(duration) + "), found "
                            + Durations.format(at));
        }
        target = target == null ? Target.KINESIS : target;
        require(http == null || target == Target.HTTP, "http", "applies with target: http, found target: "
                + target.wireName());
        http = http == null ? Http.defaults() : http;
        producer = producer == null ? new Producer(null, null, null, null) : producer;
        stream = stream == null ? new Stream(null, null) : stream;
        sink = sink == null ? new Sink(null, null, null, null) : sink;
        compaction = compaction == null ? new Compaction(null, null, null, null, null, null, null) : compaction;
        drain = drain == null ? new Drain(null) : drain;
        thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
    }

    /** Binds the YAML: {@code rate} is a constant arrival rate over {@code duration}, exclusive with {@code load}. */
    @JsonCreator
    static LoadProfile fromYaml(
            @JsonProperty(value = "name", required = true) String name,
            @JsonProperty("description") String description,
            @JsonProperty("duration") Duration duration,
            @JsonProperty("rate") Double rate,
            @JsonProperty("load") Load load,
            @JsonProperty("fleet") Fleet fleet,
            @JsonProperty("faults") Faults faults,
            @JsonProperty("infrastructure") Infrastructure infrastructure,
            @JsonProperty("target") Target target,
            @JsonProperty("http") Http http,
            @JsonProperty("producer") Producer producer,
            @JsonProperty("stream") Stream stream,
            @JsonProperty("sink") Sink sink,
            @JsonProperty("compaction") Compaction compaction,
            @JsonProperty("drain") Drain drain,
            @JsonProperty("thresholds") Map<String, List<Object>> thresholds) {
        require(name != null, "name", "is required");
        require(NAME.matcher(name).matches(), "name",
                "must be 1-63 lowercase letters, digits or '-', starting with a letter or digit, found \"" + name + "\"");
        require(rate == null || load == null, "rate", "and load are exclusive: give a constant rate or a load, not both");
        require(rate != null || load != null, "rate", "or load is required: a constant rate (rate + duration) or a load");
        if (rate != null) {
            require(rate > 0 && rate <= MAX_RATE, "rate", "must be in (0, " + (long) MAX_RATE + "] events/s, found " + rate);
            require(duration != null, "duration", "is required with rate");
            load = new Load(new ArrivalRate(rate, List.of(new Stage(duration, rate))), null, null);
        }
        Duration resolved = load.resolveDuration(duration);
        return new LoadProfile(name, description, resolved, load, fleet, faults, infrastructure, target, http, producer,
                stream, sink,
                compaction, drain, Threshold.parseAll(thresholds));
    }

    /**
     * Events the profile asks for in total: exact for an arrival rate; for a maximum-rate search,
     * every step up to the cap; for a fleet-driven load the most the fleet can send (every device
     * reporting at every interval).
     */
    public long targetEvents() {
        if (load.arrivalRate() != null) {
            return (long) Math.floor(load.arrivalRate().events());
        }
        if (load.maxRateSearch() != null) {
            return (long) Math.floor(load.maxRateSearch().events(duration));
        }
        double seconds = duration.toNanos() / NANOS_PER_SECOND * load.fleetDriven().timeCompression();
        return (long) Math.floor(seconds * (fleet.cars().count() / secondsOf(fleet.cars().reportingInterval())
                + fleet.bikes().count() / secondsOf(fleet.bikes().reportingInterval())));
    }

    /** The average target rate over the duration, events/s. */
    public double rate() {
        return targetEvents() / (duration.toNanos() / NANOS_PER_SECOND);
    }

    /** The kind of load: exactly one of the three is set. */
    public record Load(
            @JsonProperty("arrivalRate") ArrivalRate arrivalRate,
            @JsonProperty("fleetDriven") FleetDriven fleetDriven,
            @JsonProperty("maxRateSearch") MaxRateSearch maxRateSearch) {
        public Load {
            int kinds = (arrivalRate != null ? 1 : 0) + (fleetDriven != null ? 1 : 0) + (maxRateSearch != null ? 1 : 0);
            require(kinds == 1, "load", "must have exactly one of arrivalRate, fleetDriven, maxRateSearch, found " + kinds);
        }

        /** The run's duration given the top-level one (or null), checked against the load. */
        Duration resolveDuration(Duration duration) {
            if (arrivalRate != null) {
                Duration sum = arrivalRate.totalDuration();
                if (duration != null && !duration.equals(sum)) {
                    require(false, "duration", "must equal the sum of load.arrivalRate.stages' durations ("
                            + Durations.format(sum) + ") or be left out, found " + Durations.format(duration));
                }
                return sum;
            }
            if (maxRateSearch != null) {
                Duration all = maxRateSearch.maxDuration();
                if (duration != null && duration.compareTo(maxRateSearch.stepDuration()) < 0) {
                    require(false, "duration", "caps the search and must be at least one step ("
                            + Durations.format(maxRateSearch.stepDuration()) + "), found " + Durations.format(duration));
                }
                return duration == null || duration.compareTo(all) > 0 ? all : duration;
            }
            require(duration != null, "duration", "is required with load.fleetDriven");
            return duration;
        }
    }

    /**
     * A fixed arrival rate in k6-like stages: each stage goes linearly from the previous stage's
     * target (the first from {@code startRate}) to its own target.
     */
    public record ArrivalRate(
            @JsonProperty("startRate") Double startRate,
            @JsonProperty(value = "stages", required = true) List<Stage> stages) {
        /** Default start rate: 0 (the first stage ramps up from nothing). */
        public ArrivalRate {
            startRate = startRate == null ? 0.0 : startRate;
            require(startRate >= 0 && startRate <= MAX_RATE, "load.arrivalRate.startRate",
                    "must be in [0, " + (long) MAX_RATE + "] events/s, found " + startRate);
            require(stages != null && !stages.isEmpty(), "load.arrivalRate.stages", "must list at least one stage");
            stages = List.copyOf(stages);
            for (int i = 0; i < stages.size(); i++) {
                Stage s = stages.get(i);
                String field = "load.arrivalRate.stages[" + i + "]";
                require(s.duration() != null, field + ".duration", "is required");
                require(s.target() != null, field + ".target", "is required");
                require(s.target() >= 0 && s.target() <= MAX_RATE, field + ".target",
                        "must be in [0, " + (long) MAX_RATE + "] events/s (a ramp cannot go below 0), found " + s.target());
            }
            require(events(stages, startRate) >= 1, "load.arrivalRate.stages",
                    "must intend at least one event; every rate is 0");
        }

        /** The sum of the stages' durations. */
        public Duration totalDuration() {
            return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
        }

        /** Events the stages intend in all: the integral of the rate. */
        double events() {
            return events(stages, startRate);
        }

        private static double events(List<Stage> stages, double startRate) {
            double from = startRate;
            double total = 0;
            for (Stage s : stages) {
                total += (from + s.target()) / 2 * s.duration().toNanos() / NANOS_PER_SECOND;
                from = s.target();
            }
            return total;
        }
    }

    /** One stage of an arrival rate: reach {@code target} events/s linearly over {@code duration}. */
    public record Stage(
            @JsonProperty(value = "duration", required = true) Duration duration,
            @JsonProperty(value = "target", required = true) Double target) {
    }

    /**
     * The rate emerges from the fleet's activity (commutes, class schedules) with device time
     * running {@code timeCompression} times faster than the wall clock from {@code startAt}.
     */
    public record FleetDriven(
            @JsonProperty("timeCompression") Double timeCompression,
            @JsonProperty("startAt") LocalTime startAt) {
        /** Defaults: real time (1), from midnight UTC. */
        public FleetDriven {
            timeCompression = timeCompression == null ? 1.0 : timeCompression;
            startAt = startAt == null ? LocalTime.MIDNIGHT : startAt;
            require(timeCompression >= 1 && timeCompression <= 10_000, "load.fleetDriven.timeCompression",
                    "must be in [1, 10000], found " + timeCompression);
        }
    }

    /** A search for the highest sustained rate (OpenMessaging Benchmark's producerRate 0). */
    public record MaxRateSearch(
            @JsonProperty("start") Double start,
            @JsonProperty("factor") Double factor,
            @JsonProperty("stepDuration") Duration stepDuration,
            @JsonProperty("maxShortfall") Double maxShortfall,
            @JsonProperty("maxP99") Duration maxP99,
            @JsonProperty("maxRate") Double maxRate) {
        /** Defaults: from 1,000 events/s, x1.5 per 30 s step, at most 1 % shortfall and 1 s put p99, up to 1,000,000/s. */
        public MaxRateSearch {
            start = start == null ? 1_000.0 : start;
            factor = factor == null ? 1.5 : factor;
            stepDuration = stepDuration == null ? Duration.ofSeconds(30) : stepDuration;
            maxShortfall = maxShortfall == null ? 0.01 : maxShortfall;
            maxP99 = maxP99 == null ? Duration.ofSeconds(1) : maxP99;
            maxRate = maxRate == null ? 1_000_000.0 : maxRate;
            require(maxRate > 0 && maxRate <= MAX_RATE, "load.maxRateSearch.maxRate",
                    "must be in (0, " + (long) MAX_RATE + "] events/s, found " + maxRate);
            require(start > 0 && start <= maxRate, "load.maxRateSearch.start",
                    "must be in (0, maxRate=" + maxRate + "] events/s, found " + start);
            require(factor > 1 && factor <= 10, "load.maxRateSearch.factor", "must be in (1, 10], found " + factor);
            require(stepDuration.compareTo(Duration.ofSeconds(5)) >= 0, "load.maxRateSearch.stepDuration",
                    "must be at least 5s (a step is judged on one-second observations), found " + Durations.format(stepDuration));
            require(maxShortfall >= 0 && maxShortfall < 1, "load.maxRateSearch.maxShortfall",
                    "must be a share in [0, 1), found " + maxShortfall);
        }

        /** The most steps a search takes, whatever its bounds. */
        public static final int MAX_STEPS = 64;

        /**
         * The step rates: start, start x factor, ... up to maxRate, at most {@value #MAX_STEPS}; the
         * simulator's search walks the same steps (ProfileMappingTest holds the two to it).
         */
        public List<Double> rates() {
            List<Double> rates = new ArrayList<>();
            for (double r = start; r <= maxRate && rates.size() < MAX_STEPS; r *= factor) {
                rates.add(r);
            }
            return rates;
        }

        Duration maxDuration() {
            return stepDuration.multipliedBy(rates().size());
        }

        double events(Duration upTo) {
            double total = 0;
            long left = upTo.toNanos();
            for (double r : rates()) {
                long step = Math.min(left, stepDuration.toNanos());
                total += r * step / NANOS_PER_SECOND;
                left -= step;
            }
            return total;
        }
    }

    /** The simulated fleet. */
    public record Fleet(
            @JsonProperty("seed") Long seed,
            @JsonProperty("cars") Cars cars,
            @JsonProperty("bikes") Bikes bikes,
            @JsonProperty("hotDevices") HotDevices hotDevices,
            @JsonProperty("startAt") LocalTime startAt) {
        /**
         * Defaults: seed 1, 1,000 cars, 500 bikes, no hot devices, device clocks starting now; {@code startAt}
         * starts them today at that UTC time of day, so that a run sees the same part of the fleet's day
         * (commuting cars, bike classes) whenever it runs.
         */
        public Fleet {
            seed = seed == null ? 1L : seed;
            cars = cars == null ? new Cars(null, null, null) : cars;
            bikes = bikes == null ? new Bikes(null, null, null) : bikes;
            hotDevices = hotDevices == null ? new HotDevices(null, null) : hotDevices;
            require(cars.count() + (long) bikes.count() > 0, "fleet", "needs at least one car or bike");
        }

        static Fleet defaults() {
            return new Fleet(null, null, null, null, null);
        }
    }

    /** The cars: a count, or a map with the count and more. */
    public record Cars(
            @JsonProperty("count") Integer count,
            @JsonProperty("electricShare") Double electricShare,
            @JsonProperty("reportingInterval") Duration reportingInterval) {
        /** Defaults: 1,000 cars, 30 % electric, telemetry every 1 s of driving. */
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public Cars {
            count = count == null ? 1_000 : count;
            electricShare = electricShare == null ? 0.3 : electricShare;
            reportingInterval = reportingInterval == null ? Duration.ofSeconds(1) : reportingInterval;
            require(count >= 0 && count <= MAX_DEVICES, "fleet.cars", "must be in [0, " + MAX_DEVICES + "], found " + count);
            require(electricShare >= 0 && electricShare <= 1, "fleet.cars.electricShare",
                    "must be a share in [0, 1], found " + electricShare);
            requireInterval("fleet.cars.reportingInterval", reportingInterval);
        }

        /** {@code cars: 2000}: only the count. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Cars ofCount(int count) {
            return new Cars(count, null, null);
        }
    }

    /** The spin bikes: a count, or a map with the count and more. */
    public record Bikes(
            @JsonProperty("count") Integer count,
            @JsonProperty("reportingInterval") Duration reportingInterval,
            @JsonProperty("classes") Classes classes) {
        /** Defaults: 500 bikes, metrics every 1 s of riding, the default class schedule. */
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public Bikes {
            count = count == null ? 500 : count;
            reportingInterval = reportingInterval == null ? Duration.ofSeconds(1) : reportingInterval;
            classes = classes == null ? new Classes(null, null, null, null) : classes;
            require(count >= 0 && count <= MAX_DEVICES, "fleet.bikes", "must be in [0, " + MAX_DEVICES + "], found " + count);
            requireInterval("fleet.bikes.reportingInterval", reportingInterval);
        }

        /** {@code bikes: 500}: only the count. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Bikes ofCount(int count) {
            return new Bikes(count, null, null);
        }
    }

    /** The spin-class schedule: classes start every {@code every} from midnight UTC; riders join in a burst. */
    public record Classes(
            @JsonProperty("every") Duration every,
            @JsonProperty("length") Duration length,
            @JsonProperty("joinWindow") Duration joinWindow,
            @JsonProperty("riders") Double riders) {
        /** Defaults: every 30 min, 45 min long, joined within 2 min by 10 % of the free bikes. */
        public Classes {
            every = every == null ? Duration.ofMinutes(30) : every;
            length = length == null ? Duration.ofMinutes(45) : length;
            joinWindow = joinWindow == null ? Duration.ofMinutes(2) : joinWindow;
            riders = riders == null ? 0.1 : riders;
            require(every.compareTo(Duration.ofMinutes(1)) >= 0 && every.compareTo(Duration.ofHours(24)) <= 0,
                    "fleet.bikes.classes.every", "must be in [1m, 24h], found " + Durations.format(every));
            require(length.compareTo(Duration.ofMinutes(1)) >= 0 && length.compareTo(Duration.ofHours(12)) <= 0,
                    "fleet.bikes.classes.length", "must be in [1m, 12h], found " + Durations.format(length));
            require(joinWindow.compareTo(length) <= 0, "fleet.bikes.classes.joinWindow",
                    "must not be longer than the class (" + Durations.format(length) + "), found " + Durations.format(joinWindow));
            require(riders > 0 && riders <= 1, "fleet.bikes.classes.riders", "must be a share in (0, 1], found " + riders);
        }
    }

    /** Partition-key skew: {@code share} of the devices send {@code trafficShare} of the events. */
    public record HotDevices(
            @JsonProperty("share") Double share,
            @JsonProperty("trafficShare") Double trafficShare) {
        /** Defaults: none (0 and 0). */
        public HotDevices {
            share = share == null ? 0.0 : share;
            trafficShare = trafficShare == null ? 0.0 : trafficShare;
            require(share >= 0 && share < 1, "fleet.hotDevices.share", "must be a share in [0, 1), found " + share);
            require(trafficShare >= 0 && trafficShare <= 1, "fleet.hotDevices.trafficShare",
                    "must be a share in [0, 1], found " + trafficShare);
            require((share == 0) == (trafficShare == 0), "fleet.hotDevices",
                    "needs both share and trafficShare above 0, or neither, found share " + share + ", trafficShare " + trafficShare);
        }
    }

    /** Data faults, each counted in the report. */
    public record Faults(
            @JsonProperty("offline") Offline offline,
            @JsonProperty("duplicates") Double duplicates,
            @JsonProperty("clockDrift") ClockDrift clockDrift,
            @JsonProperty("malformed") Double malformed,
            @JsonProperty("schemaChange") SchemaChange schemaChange) {
        /** Defaults: no faults. */
        public Faults {
            duplicates = duplicates == null ? 0.0 : duplicates;
            malformed = malformed == null ? 0.0 : malformed;
            require(duplicates >= 0 && duplicates <= 1, "faults.duplicates", "must be a share in [0, 1], found " + duplicates);
            require(malformed >= 0 && malformed <= 1, "faults.malformed", "must be a share in [0, 1], found " + malformed);
        }

        /** Whether any fault is asked for. */
        public boolean any() {
            return offline != null || duplicates > 0 || clockDrift != null || malformed > 0 || schemaChange != null;
        }
    }

    /** A share of the devices go offline for {@code duration}, store their events and flush them late, out of order. */
    public record Offline(
            @JsonProperty(value = "share", required = true) Double share,
            @JsonProperty("duration") Duration duration) {
        /** Default duration: 10 min. */
        public Offline {
            duration = duration == null ? Duration.ofMinutes(10) : duration;
            require(share != null && share > 0 && share <= 1, "faults.offline.share", "must be a share in (0, 1], found " + share);
        }
    }

    /** A share of the devices whose clock is off by up to {@code max}, either way. */
    public record ClockDrift(
            @JsonProperty(value = "share", required = true) Double share,
            @JsonProperty("max") Duration max) {
        /** Default max: 2 min. */
        public ClockDrift {
            max = max == null ? Duration.ofMinutes(2) : max;
            require(share != null && share > 0 && share <= 1, "faults.clockDrift.share", "must be a share in (0, 1], found " + share);
        }
    }

    /** From {@code at} (a percentage of the run) on, events carry schema {@code version} with an added optional field. */
    public record SchemaChange(
            @JsonProperty(value = "at", required = true) String at,
            @JsonProperty("version") Integer version) {
        private static final Pattern PERCENT = Pattern.compile("(\\d{1,2}(\\.\\d+)?)%");

        /** Default version: 2. */
        public SchemaChange {
            version = version == null ? 2 : version;
            require(at != null && PERCENT.matcher(at.trim()).matches(), "faults.schemaChange.at",
                    "must be a percentage of the run such as 50%, in (0%, 100%), found \"" + at + "\"");
            require(atShare(at) > 0, "faults.schemaChange.at", "must be above 0%, found \"" + at + "\"");
            require(version >= 2, "faults.schemaChange.version", "must be at least 2 (1 is the initial schema), found " + version);
        }

        /** {@code at} as a share of the run, in (0, 1). */
        public double share() {
            return atShare(at);
        }

        private static double atShare(String at) {
            return Double.parseDouble(at.trim().replace("%", "")) / 100;
        }
    }

    /**
     * Infrastructure faults on the Kinesis API path: the local proxy in front of the emulator (started for them even
     * without {@code producer.shardLimits}) delays, holds, resets or refuses the calls of the {@code targets}
     * operations, deciding at random from {@code seed}, and counts each fault.
     *
     * @param targets the Kinesis operations the faults apply to; default PutRecords and PutRecord (the producer's),
     *                so that the consumer's reads are left alone
     * @param seed    seed of the random choices; null until the profile gives it the fleet's
     * @param latency added to every call; null for none
     * @param resets  shares of the calls whose connection is reset
     * @param errors  shares of the calls answered with an HTTP error
     * @param stall   a time when every call is held; null for none
     * @param restarts emulators of the local stack killed and started again while the load runs, in the order given;
     *                 none by default
     */
    public record Infrastructure(
            @JsonProperty("targets") List<String> targets,
            @JsonProperty("seed") Long seed,
            @JsonProperty("latency") Latency latency,
            @JsonProperty("resets") Resets resets,
            @JsonProperty("errors") Errors errors,
            @JsonProperty("stall") Stall stall,
            @JsonProperty("restarts") List<Restart> restarts) {
        /** The operations the faults apply to unless told otherwise. */
        public static final List<String> DEFAULT_TARGETS = List.of("PutRecords", "PutRecord");

        /** Defaults: no faults, on the producer's puts. */
        public Infrastructure {
            require(targets == null || targets.stream().noneMatch(Objects::isNull), "infrastructure.targets",
                    "must list Kinesis operations, found an empty entry");
            targets = targets == null ? DEFAULT_TARGETS : List.copyOf(targets);
            resets = resets == null ? new Resets(null, null) : resets;
            errors = errors == null ? new Errors(null, null) : errors;
            require(restarts == null || restarts.stream().noneMatch(Objects::isNull), "infrastructure.restarts",
                    "must list {emulator, at} entries, found an empty entry");
            restarts = restarts == null ? List.of() : List.copyOf(restarts);
            for (int i = 0; i < restarts.size(); i++) {
                require(RESTARTABLE_EMULATORS.contains(restarts.get(i).emulator()), "infrastructure.restarts[" + i
                        + "].emulator", "names no emulator of the local stack that can be restarted: \""
                        + restarts.get(i).emulator() + "\"; the emulators are " + String.join(", ", RESTARTABLE_EMULATORS));
            }
            require(!targets.isEmpty(), "infrastructure.targets", "must list at least one Kinesis operation, such as PutRecords");
            for (int i = 0; i < targets.size(); i++) {
                require(KINESIS_OPERATIONS.contains(targets.get(i)), "infrastructure.targets[" + i + "]",
                        "names no Kinesis operation: \"" + targets.get(i) + "\"; the operations are "
                                + String.join(", ", KINESIS_OPERATIONS));
            }
            double sum = resets.before() + resets.after() + errors.internalFailure() + errors.serviceUnavailable();
            require(sum <= 1 + 1e-9, "infrastructure",
                    "resets.before + resets.after + errors.internalFailure + errors.serviceUnavailable must be at most 1"
                            + " (a call meets at most one of them), found " + sum);
        }

        /** Whether any fault of the proxy is asked for (restarts of the emulators aside). */
        public boolean any() {
            return latency != null || resets.any() || errors.any() || stall != null;
        }

        /** Whether an emulator of this name is restarted. */
        public boolean restarts(String emulator) {
            return restarts.stream().anyMatch(r -> r.emulator().equals(emulator));
        }

        Infrastructure withSeed(long newSeed) {
            return new Infrastructure(targets, newSeed, latency, resets, errors, stall, restarts);
        }
    }

    /** The emulators of the local stack that {@code infrastructure.restarts} can name. */
    public static final List<String> RESTARTABLE_EMULATORS = List.of("dynalite", "kinesalite");

    /**
     * An emulator of the local stack killed (SIGKILL) {@code at} after the load's start and started again in place,
     * on the same port: {@code dynalite} (the KCL's lease table, in memory) or {@code kinesalite} (the stream and its
     * records, in memory).
     */
    public record Restart(
            @JsonProperty(value = "emulator", required = true) String emulator,
            @JsonProperty(value = "at", required = true) Duration at) {
    }

    /** The operations of the Kinesis API, which {@code infrastructure.targets} names. */
    static final List<String> KINESIS_OPERATIONS = List.of("PutRecords", "PutRecord", "GetRecords", "GetShardIterator",
            "ListShards", "DescribeStream", "DescribeStreamSummary", "ListStreams", "CreateStream", "DeleteStream",
            "SubscribeToShard", "RegisterStreamConsumer", "DeregisterStreamConsumer", "DescribeStreamConsumer",
            "ListStreamConsumers", "SplitShard", "MergeShards", "UpdateShardCount", "AddTagsToStream",
            "RemoveTagsFromStream", "ListTagsForStream", "IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod",
            "EnableEnhancedMonitoring", "DisableEnhancedMonitoring", "StartStreamEncryption", "StopStreamEncryption",
            "DescribeLimits");

    /** Latency added to every call: {@code delay} and a uniform random part of {@code jitter}; or only the delay. */
    public record Latency(
            @JsonProperty(value = "delay", required = true) Duration delay,
            @JsonProperty("jitter") Duration jitter) {
        /** Default jitter: none. */
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public Latency {
            require(delay != null, "infrastructure.latency.delay", "is required");
            jitter = jitter == null ? Duration.ZERO : jitter;
        }

        /** {@code latency: 50ms}: only the delay. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Latency ofDelay(String delay) {
            try {
                return new Latency(Durations.parse(delay), null);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("infrastructure.latency",
                        "must be a positive duration such as 50ms, or {delay, jitter}, found \"" + delay + "\"");
            }
        }
    }

    /**
     * Shares of the calls whose connection is reset: {@code before} they are forwarded (the emulator never sees them),
     * or {@code after} (they landed, but the client saw a reset).
     */
    public record Resets(
            @JsonProperty("before") Double before,
            @JsonProperty("after") Double after) {
        /** Defaults: none (0 and 0). */
        public Resets {
            before = before == null ? 0.0 : before;
            after = after == null ? 0.0 : after;
            require(before >= 0 && before <= 1, "infrastructure.resets.before", "must be a share in [0, 1], found " + before);
            require(after >= 0 && after <= 1, "infrastructure.resets.after", "must be a share in [0, 1], found " + after);
        }

        /** Whether any call is reset. */
        public boolean any() {
            return before > 0 || after > 0;
        }
    }

    /** Shares of the calls answered HTTP 500 {@code InternalFailure} or HTTP 503 {@code ServiceUnavailable}, not forwarded. */
    public record Errors(
            @JsonProperty("internalFailure") Double internalFailure,
            @JsonProperty("serviceUnavailable") Double serviceUnavailable) {
        /** Defaults: none (0 and 0). */
        public Errors {
            internalFailure = internalFailure == null ? 0.0 : internalFailure;
            serviceUnavailable = serviceUnavailable == null ? 0.0 : serviceUnavailable;
            require(internalFailure >= 0 && internalFailure <= 1, "infrastructure.errors.internalFailure",
                    "must be a share in [0, 1], found " + internalFailure);
            require(serviceUnavailable >= 0 && serviceUnavailable <= 1, "infrastructure.errors.serviceUnavailable",
                    "must be a share in [0, 1], found " + serviceUnavailable);
        }

        /** Whether any call is refused. */
        public boolean any() {
            return internalFailure > 0 || serviceUnavailable > 0;
        }
    }

    /** From {@code at} after the load's first put, every call is held for {@code duration}, then let through. */
    public record Stall(
            @JsonProperty(value = "at", required = true) Duration at,
            @JsonProperty(value = "duration", required = true) Duration duration) {
        public Stall {
            require(at != null, "infrastructure.stall.at", "is required");
            require(duration != null, "infrastructure.stall.duration", "is required");
        }
    }

    /** Where the fleet sends its events. */
    public enum Target {
        /** PutRecords straight into the stream. */
        KINESIS("kinesis"),
        /**
         * HTTP requests to an ingestion API: {@code http.url}, or without one the run's own ingestion endpoint
         * ({@code fleetbench ingest}) in front of the stream.
         */
        HTTP("http");

        private final String wireName;

        Target(String wireName) {
            this.wireName = wireName;
        }

        /** The name in a profile. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        static Target of(String name) {
            for (Target t : values()) {
                if (t.wireName.equals(name)) {
                    return t;
                }
            }
            throw new InvalidFieldException("target", "must be kinesis or http, found \"" + name + "\"");
        }
    }

    /**
     * The fleet's HTTP requests ({@code target: http}).
     *
     * @param url                 where the requests go; absent: the run's own ingestion endpoint in front of the stream
     * @param format              {@code event} (one event's JSON per request), {@code batch} (a device's events as a
     *                            JSON array) or {@code kinesis} (the PutRecords body API Gateway's Kinesis integration
     *                            passes through). Default batch.
     * @param version             {@code "1.1"} or {@code "2"} (h2c on http, ALPN on https). Default 1.1.
     * @param maxConnections      connections to the host at most. Default 256.
     * @param maxInFlightRequests requests on the wire or waiting to be retried at most. Default 512.
     * @param requestTimeout      a request that takes longer fails as timed out: its events are ambiguous. Default 10 s.
     * @param eventTtl            how long after its intended send time an event may be retried. Default 30 s.
     * @param batching            per device family, events per request and the longest an event waits for its batch
     * @param caFile              PEM certificates to trust for https instead of the JDK's trust store
     * @param auth                how requests prove who sends them. Default none.
     * @param endpoint            the run's own ingestion endpoint (without {@code url}): its buffer and misbehaviour
     */
    public record Http(
            @JsonProperty("url") java.net.URI url,
            @JsonProperty("format") String format,
            @JsonProperty("version") String version,
            @JsonProperty("maxConnections") Integer maxConnections,
            @JsonProperty("maxInFlightRequests") Integer maxInFlightRequests,
            @JsonProperty("requestTimeout") Duration requestTimeout,
            @JsonProperty("eventTtl") Duration eventTtl,
            @JsonProperty("batching") Batching batching,
            @JsonProperty("caFile") String caFile,
            @JsonProperty("auth") Auth auth,
            @JsonProperty("endpoint") Endpoint endpoint) {
        private static final List<String> FORMATS = List.of("event", "batch", "kinesis");

        public Http {
            format = format == null ? "batch" : format;
            version = version == null ? "1.1" : version;
            maxConnections = maxConnections == null ? 256 : maxConnections;
            maxInFlightRequests = maxInFlightRequests == null ? 512 : maxInFlightRequests;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
            eventTtl = eventTtl == null ? Duration.ofSeconds(30) : eventTtl;
            batching = batching == null ? new Batching(null, null) : batching;
            auth = auth == null ? new Auth(null, null, null) : auth;
            require(endpoint == null || url == null, "http.endpoint", "applies to the run's own ingestion endpoint,"
                    + " found http.url " + url);
            endpoint = endpoint == null ? new Endpoint(null, null) : endpoint;
            require(url == null || ("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                    && url.getHost() != null, "http.url", "must be an absolute http:// or https:// URL with a host,"
                    + " found \"" + url + "\"");
            require(FORMATS.contains(format), "http.format", "must be one of " + FORMATS + ", found \"" + format + "\"");
            require(version.equals("1.1") || version.equals("2"), "http.version",
                    "must be \"1.1\" or \"2\", found \"" + version + "\"");
            require(maxConnections >= 1 && maxConnections <= 10_000, "http.maxConnections",
                    "must be in [1, 10000], found " + maxConnections);
            require(maxInFlightRequests >= 1 && maxInFlightRequests <= 100_000, "http.maxInFlightRequests",
                    "must be in [1, 100000], found " + maxInFlightRequests);
            require(requestTimeout.compareTo(Duration.ofMillis(1)) >= 0, "http.requestTimeout",
                    "must be positive, found " + Durations.format(requestTimeout));
            require(eventTtl.compareTo(requestTimeout) > 0, "http.eventTtl", "must be longer than http.requestTimeout ("
                    + Durations.format(requestTimeout) + "), found " + Durations.format(eventTtl)
                    + ": a timed-out request is retried only while its events' time to live lasts");
            require(!format.equals("event") || batching.cars().size() == 1 && batching.bikes().size() == 1,
                    "http.batching", "must be one event per request with format event (use format batch or kinesis"
                            + " to batch), found cars " + batching.cars().size() + " and bikes " + batching.bikes().size());
            require(caFile == null || url != null && "https".equals(url.getScheme()), "http.caFile",
                    "applies to an https url, found url " + url);
        }

        /** Every default: batches of one, HTTP/1.1, the run's own endpoint. */
        static Http defaults() {
            return new Http(null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * The run's own ingestion endpoint ({@code fleetbench ingest} in front of the stream).
     *
     * @param maxBufferedEvents events accepted and not yet decided at most; beyond it requests are answered 503 with
     *                          {@code Retry-After}, nothing written. Default 20,000.
     * @param faults            misbehaviour it puts on. Default none.
     */
    public record Endpoint(@JsonProperty("maxBufferedEvents") Integer maxBufferedEvents,
                           @JsonProperty("faults") EndpointFaults faults) {
        public Endpoint {
            maxBufferedEvents = maxBufferedEvents == null ? 20_000 : maxBufferedEvents;
            require(maxBufferedEvents >= 500 && maxBufferedEvents <= 10_000_000, "http.endpoint.maxBufferedEvents",
                    "must be in [500, 10000000] (at least one full request of 500 events), found " + maxBufferedEvents);
            faults = faults == null ? new EndpointFaults(null, null, null, null, null, null, null) : faults;
        }
    }

    /**
     * Misbehaviour of the run's own ingestion endpoint, as shares of the requests that pass validation (a request meets
     * at most one): answers that come late, 429 before anything is written, and answers that break after the events
     * were written (500, a closed connection, an answer cut in the middle), which leave the fleet's events ambiguous.
     *
     * @param slow             share answered {@code delay} late. Default 0.
     * @param delay            how late. Default 500 ms.
     * @param tooManyRequests  share answered 429 with {@code Retry-After}, nothing written. Default 0.
     * @param errorAfterWrite  share answered 500 after their events were written. Default 0.
     * @param resetAfterWrite  share whose connection closes after their events were written. Default 0.
     * @param closeMidResponse share whose answer is cut after the headers. Default 0.
     * @param seed             the draws' seed. Default the fleet's.
     */
    public record EndpointFaults(@JsonProperty("slow") Double slow, @JsonProperty("delay") Duration delay,
                                 @JsonProperty("tooManyRequests") Double tooManyRequests,
                                 @JsonProperty("errorAfterWrite") Double errorAfterWrite,
                                 @JsonProperty("resetAfterWrite") Double resetAfterWrite,
                                 @JsonProperty("closeMidResponse") Double closeMidResponse,
                                 @JsonProperty("seed") Long seed) {
        public EndpointFaults {
            slow = share("slow", slow);
            delay = delay == null ? Duration.ofMillis(500) : delay;
            tooManyRequests = share("tooManyRequests", tooManyRequests);
            errorAfterWrite = share("errorAfterWrite", errorAfterWrite);
            resetAfterWrite = share("resetAfterWrite", resetAfterWrite);
            closeMidResponse = share("closeMidResponse", closeMidResponse);
            require(!delay.isNegative() && delay.compareTo(Duration.ofMinutes(1)) < 0, "http.endpoint.faults.delay",
                    "must be in [0s, 1m), found " + Durations.format(delay));
            double sum = slow + tooManyRequests + errorAfterWrite + resetAfterWrite + closeMidResponse;
            require(sum <= 1, "http.endpoint.faults", "shares must add up to at most 1 (a request meets at most one),"
                    + " found " + sum);
        }

        private static double share(String field, Double share) {
            double v = share == null ? 0 : share;
            require(v >= 0 && v <= 1, "http.endpoint.faults." + field, "must be a share in [0, 1], found " + v);
            return v;
        }

        /** Whether any request may meet a fault. */
        public boolean any() {
            return slow + tooManyRequests + errorAfterWrite + resetAfterWrite + closeMidResponse > 0;
        }
    }

    /** How each device family batches its requests; default one event per request, sent at once. */
    public record Batching(@JsonProperty("cars") Batch cars, @JsonProperty("bikes") Batch bikes) {
        public Batching {
            cars = cars == null ? new Batch(null, null) : cars;
            bikes = bikes == null ? new Batch(null, null) : bikes;
        }
    }

    /**
     * A device sends once it holds {@code size} events or its oldest has waited {@code interval}.
     *
     * @param size     events per request, 1 to 500. Default 1.
     * @param interval the longest an event waits for its batch. Default 0 (with size 1) or 5 s.
     */
    public record Batch(@JsonProperty("size") Integer size, @JsonProperty("interval") Duration interval) {
        public Batch {
            size = size == null ? 1 : size;
            interval = interval == null ? (size == 1 ? Duration.ZERO : Duration.ofSeconds(5)) : interval;
            require(size >= 1 && size <= 500, "http.batching.size", "must be in [1, 500], found " + size);
            require(!interval.isNegative() && interval.compareTo(Duration.ofMinutes(10)) <= 0, "http.batching.interval",
                    "must be in [0s, 10m], found " + Durations.format(interval));
        }
    }

    /**
     * How requests prove who sends them: at most one of an API key, a bearer token or AWS Signature Version 4.
     * Secrets are named, never written: an environment variable or a file, read when the run starts.
     */
    public record Auth(@JsonProperty("apiKey") Secret apiKey, @JsonProperty("bearer") Secret bearer,
                       @JsonProperty("sigv4") SigV4 sigv4) {
        public Auth {
            int kinds = (apiKey != null ? 1 : 0) + (bearer != null ? 1 : 0) + (sigv4 != null ? 1 : 0);
            require(kinds <= 1, "http.auth", "takes at most one of apiKey, bearer, sigv4, found " + kinds);
        }
    }

    /**
     * Where a secret is read from: exactly one of an environment variable and a file.
     *
     * @param header for an API key, the header that carries it. Default {@code x-api-key}.
     */
    public record Secret(@JsonProperty("env") String env, @JsonProperty("file") String file,
                         @JsonProperty("header") String header) {
        public Secret {
            require((env == null) != (file == null), "http.auth", "names its secret by exactly one of env (a variable)"
                    + " and file, found " + (env == null ? "neither" : "both"));
            header = header == null ? "x-api-key" : header;
            require(header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"), "http.auth.apiKey.header",
                    "must be an HTTP header name, found \"" + header + "\"");
        }
    }

    /**
     * AWS Signature Version 4, with the AWS SDK's default credential chain.
     *
     * @param region  the API's region, e.g. eu-west-1; required
     * @param service the signing name. Default {@code execute-api} (API Gateway).
     */
    public record SigV4(@JsonProperty("region") String region, @JsonProperty("service") String service) {
        public SigV4 {
            require(region != null && region.matches("[a-z0-9-]{2,32}"), "http.auth.sigv4.region",
                    "is required, such as eu-west-1, found " + (region == null ? "none" : "\"" + region + "\""));
            service = service == null ? "execute-api" : service;
        }
    }

    /**
     * The Kinesis producer.
     *
     * @param apiCallTimeout longest one PutRecords call may take; a call that times out leaves its records
     *                       ambiguous (the stream may have written them) until a retry decides
     */
    public record Producer(
            @JsonProperty("aggregation") Boolean aggregation,
            @JsonProperty("maxInFlightRequests") Integer maxInFlightRequests,
            @JsonProperty("recordTtl") Duration recordTtl,
            @JsonProperty("shardLimits") Boolean shardLimits,
            @JsonProperty("apiCallTimeout") Duration apiCallTimeout) {
        /** The default API call timeout, when the record time-to-live is at least twice as long. */
        public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(10);

        /**
         * Defaults: no aggregation, 16 requests in flight, 30 s time-to-live, no shard-limit proxy, calls that
         * time out after 10 s, or after half the time-to-live if that is shorter.
         */
        public Producer {
            aggregation = aggregation != null && aggregation;
            maxInFlightRequests = maxInFlightRequests == null ? 16 : maxInFlightRequests;
            recordTtl = recordTtl == null ? Duration.ofSeconds(30) : recordTtl;
            shardLimits = shardLimits != null && shardLimits;
            // The producer's own bounds and defaults; ProfileDefaultsTest holds this section to them.
            require(maxInFlightRequests >= 1 && maxInFlightRequests <= 10_000, "producer.maxInFlightRequests",
                    "must be in [1, 10000], found " + maxInFlightRequests);
            require(recordTtl.compareTo(Duration.ofSeconds(1)) >= 0, "producer.recordTtl",
                    "must be at least 1s, found " + Durations.format(recordTtl));
            if (apiCallTimeout == null) {
                Duration half = recordTtl.dividedBy(2);
                apiCallTimeout = half.compareTo(DEFAULT_API_CALL_TIMEOUT) < 0 ? half : DEFAULT_API_CALL_TIMEOUT;
            }
            require(!apiCallTimeout.isNegative() && !apiCallTimeout.isZero(), "producer.apiCallTimeout",
                    "must be positive, found " + Durations.format(apiCallTimeout));
            require(apiCallTimeout.compareTo(recordTtl) < 0, "producer.apiCallTimeout",
                    "must be shorter than producer.recordTtl (" + Durations.format(recordTtl) + "), found "
                            + Durations.format(apiCallTimeout) + ": a call that times out is retried only while its"
                            + " records' time-to-live lasts, so a timeout as long leaves no time for a retry and every"
                            + " record of a timed-out call would end ambiguous (maybe in the stream, maybe not)");
        }

        /** A producer section with the default API call timeout. */
        public Producer(Boolean aggregation, Integer maxInFlightRequests, Duration recordTtl, Boolean shardLimits) {
            this(aggregation, maxInFlightRequests, recordTtl, shardLimits, null);
        }
    }

    /** The Kinesis stream. */
    public record Stream(
            @JsonProperty("name") String name,
            @JsonProperty("shards") Integer shards) {
        /** Defaults: a name made from the profile and run, 2 shards. */
        public Stream {
            shards = shards == null ? 2 : shards;
            require(shards >= 1 && shards <= 64, "stream.shards", "must be in [1, 64] on the local stack, found " + shards);
            require(name == null || name.matches("[a-zA-Z0-9_.-]{1,128}"), "stream.name",
                    "must be 1-128 characters of a-z, A-Z, 0-9, '_', '.', '-', found \"" + name + "\"");
        }
    }

    /** The Delta sink. */
    public record Sink(
            @JsonProperty("maxLatency") Duration maxLatency,
            @JsonProperty("targetFileSize") DataSize targetFileSize,
            @JsonProperty("memoryBudget") DataSize memoryBudget,
            @JsonProperty("dropDuplicates") Boolean dropDuplicates) {
        /**
         * Defaults: records are committed at most 5 s after they arrive, files are finished at 128 MiB, the
         * writers hold at most 256 MiB in memory, and producer duplicates are counted but kept.
         */
        public Sink {
            // The sink's own defaults; ProfileDefaultsTest holds this section to them.
            maxLatency = maxLatency == null ? Duration.ofSeconds(5) : maxLatency;
            targetFileSize = targetFileSize == null ? new DataSize(128L << 20) : targetFileSize;
            memoryBudget = memoryBudget == null ? new DataSize(256L << 20) : memoryBudget;
            dropDuplicates = dropDuplicates != null && dropDuplicates;
            require(!maxLatency.isNegative() && !maxLatency.isZero(), "sink.maxLatency",
                    "must be positive, found " + Durations.format(maxLatency));
            require(targetFileSize.bytes() >= (1L << 20), "sink.targetFileSize",
                    "must be at least 1MiB, found " + targetFileSize.bytes() + " bytes");
            require(memoryBudget.bytes() >= (1L << 20), "sink.memoryBudget",
                    "must be at least 1MiB, found " + memoryBudget.bytes() + " bytes");
        }
    }

    /**
     * The compactor that runs behind the sink during a run, over every table of the run's lake.
     *
     * @param targetFileSize        null: the sink's {@code targetFileSize}
     * @param targetFileSizeByTable target sizes of particular tables, by table name
     */
    public record Compaction(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("interval") Duration interval,
            @JsonProperty("targetFileSize") DataSize targetFileSize,
            @JsonProperty("targetFileSizeByTable") Map<String, DataSize> targetFileSizeByTable,
            @JsonProperty("closedAfter") Duration closedAfter,
            @JsonProperty("includeOpenPartitions") Boolean includeOpenPartitions,
            @JsonProperty("binsPerCommit") Integer binsPerCommit) {
        /**
         * Defaults: on, a pass every 30 s, toward the sink's target file size, partitions closed once no file
         * was added to them for 1 min (runs last minutes), open ones left alone, 4 bins per commit.
         */
        public Compaction {
            enabled = enabled == null || enabled;
            interval = interval == null ? Duration.ofSeconds(30) : interval;
            targetFileSizeByTable = targetFileSizeByTable == null ? Map.of() : Map.copyOf(targetFileSizeByTable);
            closedAfter = closedAfter == null ? Duration.ofMinutes(1) : closedAfter;
            includeOpenPartitions = includeOpenPartitions != null && includeOpenPartitions;
            binsPerCommit = binsPerCommit == null ? 4 : binsPerCommit;
            require(interval.compareTo(Duration.ofSeconds(1)) >= 0, "compaction.interval",
                    "must be at least 1s, found " + Durations.format(interval));
            require(targetFileSize == null || targetFileSize.bytes() >= (1L << 20), "compaction.targetFileSize",
                    "must be at least 1MiB, found " + (targetFileSize == null ? 0 : targetFileSize.bytes()) + " bytes");
            for (Map.Entry<String, DataSize> e : targetFileSizeByTable.entrySet()) {
                String field = "compaction.targetFileSizeByTable." + e.getKey();
                require(TABLES.contains(e.getKey()), field, "names no table of the lake; the tables are "
                        + String.join(", ", TABLES));
                require(e.getValue() != null && e.getValue().bytes() >= (1L << 20), field,
                        "must be at least 1MiB, found " + (e.getValue() == null ? "nothing" : e.getValue().bytes() + " bytes"));
            }
            require(binsPerCommit >= 1 && binsPerCommit <= 1000, "compaction.binsPerCommit",
                    "must be in [1, 1000], found " + binsPerCommit);
        }

        /** The target file size of the tables not named in {@code targetFileSizeByTable}. */
        public long targetFileBytes(Sink sink) {
            return (targetFileSize != null ? targetFileSize : sink.targetFileSize()).bytes();
        }
    }

    /** The tables a run's lake holds: one per event family, and the dead letters. */
    static final List<String> TABLES = tables();

    private static List<String> tables() {
        List<String> names = new ArrayList<>();
        for (EventFamily f : EventFamily.values()) {
            names.add(f.wireName());
        }
        names.add("dead_letters");
        return List.copyOf(names);
    }

    /** The end of a run: how long to wait for the pipeline to commit what was acknowledged. */
    public record Drain(@JsonProperty("timeout") Duration timeout) {
        /** Default: 60 s. */
        public Drain {
            timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        }
    }

    /** The most devices of one family the simulator takes. */
    static final int MAX_DEVICES = 1 << 29;

    private static double secondsOf(Duration d) {
        return d.toNanos() / NANOS_PER_SECOND;
    }

    private static void requireInterval(String field, Duration d) {
        require(d.compareTo(Duration.ofMillis(2)) >= 0 && d.compareTo(Duration.ofHours(1)) <= 0, field,
                "must be in [2ms, 1h], found " + Durations.format(d));
    }

    private static void require(boolean ok, String field, String rule) {
        if (!ok) {
            throw new InvalidFieldException(field, rule);
        }
    }

    /** A field whose value breaks a rule; {@link ProfileLoader} adds the file and line. */
    static final class InvalidFieldException extends IllegalArgumentException {
        private final String field;

        InvalidFieldException(String field, String rule) {
            super(field + " " + rule);
            this.field = Objects.requireNonNull(field);
        }

        String field() {
            return field;
        }
    }
}
