package io.fleetbench.benchmarks.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link HttpFrontDoorBench} measures and how long.
 *
 * @param connections HTTP/1.1 keep-alive connections of each client, each carrying one request at a time; 1 to 10,000
 * @param duration    the measured window of each client in each round, whole seconds (wrk's unit); at least 1 s
 * @param warmup      how long each client sends before its measured window, whole seconds; zero or more
 * @param jitWarmup   how long fleetbench's target sends, uncounted, before the first round, so that the JIT of the
 *                    benchmark's JVM and of the endpoint's has compiled the request path before anything is measured
 *                    (wrk needs none); whole seconds, zero or more
 * @param tick        how often fleetbench's target is handed events until it pushes back, as the simulator's tick
 *                    does; 1 ms to 1 s, whole milliseconds. Default 5 ms, the simulator's default tick. A shorter one
 *                    refills a freed connection sooner, but Netty's NIO event loop waits in whole milliseconds and
 *                    polls without blocking when its next timer is under half a millisecond away, so a 1 ms timer
 *                    keeps it spinning for much of each tick, which shows as CPU of the target
 * @param rounds      rounds, each one window of wrk then one of fleetbench's HTTP target; at least 1
 * @param seed        the fleet's seed, which picks the one event every request carries
 * @param shards      shards of the stream behind the endpoint; 1 to 64
 * @param out         the results folder: the report, the endpoint's and the emulators' logs, wrk's script
 * @param wrk         the wrk executable
 */
public record HttpBenchSettings(int connections, Duration duration, Duration warmup, Duration jitWarmup, Duration tick,
                                int rounds, long seed, int shards, Path out, Path wrk) {
    /** The options and their defaults, for the usage line. */
    static final String USAGE = "[--connections 64] [--duration 20s] [--warmup 5s] [--jit-warmup 30s] [--tick 5ms]"
            + " [--rounds 3] [--seed 42] [--shards 2] [--out target/bench-http] [--wrk /usr/bin/wrk]";

    /** @throws IllegalArgumentException naming the option and the value found if a value is out of range */
    public HttpBenchSettings {
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("--connections must be in [1, 10000], found " + connections);
        }
        if (duration.getSeconds() < 1 || duration.getNano() != 0) {
            throw new IllegalArgumentException("--duration must be whole seconds, at least 1s, found " + duration);
        }
        wholeSeconds("--warmup", warmup);
        wholeSeconds("--jit-warmup", jitWarmup);
        if (tick.toNanos() % 1_000_000 != 0 || tick.toMillis() < 1 || tick.toMillis() > 1000) {
            throw new IllegalArgumentException("--tick must be whole milliseconds in [1ms, 1000ms], found " + tick);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, found " + rounds);
        }
        if (shards < 1 || shards > 64) {
            throw new IllegalArgumentException("--shards must be in [1, 64], found " + shards);
        }
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(wrk, "wrk");
    }

    /**
     * The defaults: 64 connections, 20 s after a 5 s warm-up, 30 s of JIT warm-up, a 5 ms tick, 3 rounds, seed 42,
     * 2 shards.
     */
    public static HttpBenchSettings defaults() {
        return new HttpBenchSettings(64, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMillis(5), 3, 42, 2, Path.of("target", "bench-http"), Path.of("/usr/bin/wrk"));
    }

    /**
     * The settings of a command line such as {@code --connections 32 --duration 10s}; durations in whole seconds,
     * with or without the {@code s}.
     *
     * @throws IllegalArgumentException on an unknown option, a missing or unreadable value, or a value out of range
     */
    public static HttpBenchSettings parse(List<String> args) {
        HttpBenchSettings s = defaults();
        int connections = s.connections;
        Duration duration = s.duration;
        Duration warmup = s.warmup;
        Duration jitWarmup = s.jitWarmup;
        Duration tick = s.tick;
        int rounds = s.rounds;
        long seed = s.seed;
        int shards = s.shards;
        Path out = s.out;
        Path wrk = s.wrk;
        for (int i = 0; i < args.size(); i += 2) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value; usage: " + USAGE);
            }
            String value = args.get(i + 1);
            switch (option) {
                case "--connections" -> connections = Math.toIntExact(whole(option, value));
                case "--duration" -> duration = duration(option, value);
                case "--warmup" -> warmup = duration(option, value);
                case "--jit-warmup" -> jitWarmup = duration(option, value);
                case "--tick" -> tick = Duration.ofMillis(whole(option, value.endsWith("ms")
                        ? value.substring(0, value.length() - 2) : value));
                case "--rounds" -> rounds = Math.toIntExact(whole(option, value));
                case "--seed" -> seed = whole(option, value);
                case "--shards" -> shards = Math.toIntExact(whole(option, value));
                case "--out" -> out = Path.of(value);
                case "--wrk" -> wrk = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option \"" + option + "\"; usage: " + USAGE);
            }
        }
        return new HttpBenchSettings(connections, duration, warmup, jitWarmup, tick, rounds, seed, shards, out, wrk);
    }

    /** The settings as they go into the JSON report. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", connections);
        m.put("duration_s", duration.getSeconds());
        m.put("warmup_s", warmup.getSeconds());
        m.put("jit_warmup_s", jitWarmup.getSeconds());
        m.put("tick_ms", tick.toMillis());
        m.put("rounds", rounds);
        m.put("seed", seed);
        m.put("shards", shards);
        m.put("wrk", wrk.toString());
        return m;
    }

    private static void wholeSeconds(String option, Duration d) {
        if (d.isNegative() || d.getNano() != 0) {
            throw new IllegalArgumentException(option + " must be whole seconds, 0s or more, found " + d);
        }
    }

    private static long whole(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, found \"" + value + "\"");
        }
    }

    private static Duration duration(String option, String value) {
        String v = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
        try {
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be whole seconds such as 20s, found \"" + value + "\"");
        }
    }
}
