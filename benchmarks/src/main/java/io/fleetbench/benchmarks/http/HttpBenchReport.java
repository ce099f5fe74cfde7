package io.fleetbench.benchmarks.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetbench.benchmarks.stage.Bench;
import io.fleetbench.benchmarks.stage.BenchReport;
import io.fleetbench.benchmarks.stage.StageResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes what {@link HttpFrontDoorBench} measured: {@code http-bench.json} (the machine, the settings, each round's
 * figures of wrk and of fleetbench's HTTP target, and their medians) and {@code http-bench.txt} (the same as a table,
 * medians first).
 */
final class HttpBenchReport {
    static final String JSON_FILE = "http-bench.json";
    static final String TEXT_FILE = "http-bench.txt";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String CPU = "CPU: wrk's is its whole process (one thread: -t1); fleetbench's cpu_cores are"
            + " the Vert.x event-loop threads of its sender and HTTP client, its process_cpu_cores the whole benchmark"
            + " JVM (GC, JIT included); the endpoint's is its JVM's, from /proc/<pid>/stat, over the same window.";

    private HttpBenchReport() {
    }

    /** One round: wrk's window, then fleetbench's. */
    record Round(Window wrk, Window fleetbench) {
        /** fleetbench's requests/s per core of its event-loop threads over wrk's requests/s per core. */
        double ratio() {
            return fleetbench.figures().get("requests_per_s_per_core") / wrk.figures().get("requests_per_s_per_core");
        }

        /** The same with fleetbench's whole JVM. */
        double ratioWholeJvm() {
            return fleetbench.figures().get("requests_per_s_per_process_core")
                    / wrk.figures().get("requests_per_s_per_core");
        }

        Map<String, Double> comparison() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("ratio_requests_per_s_per_core", ratio());
            m.put("ratio_requests_per_s_per_core_whole_jvm", ratioWholeJvm());
            return m;
        }
    }

    /**
     * What a run measured.
     *
     * @param bodyBytes     the size of every request's body
     * @param eventFamily   the family of the one event it carries
     * @param endpoint      the command that started the endpoint
     * @param loadBefore    the load averages (1, 5, 15 minutes) before the stack started
     * @param loadAfter     and after the last round
     */
    record Result(Instant started, Instant finished, HttpBenchSettings settings, String wrkVersion, int bodyBytes,
                  String eventFamily, List<String> endpoint, String loadBefore, String loadAfter, List<Round> rounds) {
        Result {
            endpoint = List.copyOf(endpoint);
            rounds = List.copyOf(rounds);
        }
    }

    /** Writes both files into the folder and returns the text of the table. */
    static String write(Result result, Path dir) throws IOException {
        JSON.writeValue(dir.resolve(JSON_FILE).toFile(), json(result));
        String text = text(result);
        Files.writeString(dir.resolve(TEXT_FILE), text, StandardCharsets.UTF_8);
        return text;
    }

    static Map<String, Object> json(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started", r.started().toString());
        m.put("finished", r.finished().toString());
        Bench.Machine machine = Bench.Machine.current();
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("cores", machine.cores());
        mm.put("jvm", machine.jvm());
        mm.put("os", machine.os());
        mm.put("load_average_before", r.loadBefore());
        mm.put("load_average_after", r.loadAfter());
        m.put("machine", mm);
        Map<String, Object> settings = r.settings().json();
        settings.put("wrk_version", r.wrkVersion());
        settings.put("body_bytes", r.bodyBytes());
        settings.put("event_family", r.eventFamily());
        settings.put("endpoint_command", String.join(" ", r.endpoint()));
        settings.put("cpu", CPU);
        m.put("settings", settings);
        List<Map<String, Object>> rounds = new ArrayList<>();
        for (Round round : r.rounds()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("wrk", round.wrk().figures());
            rm.put("fleetbench", round.fleetbench().figures());
            rm.putAll(round.comparison());
            rounds.add(rm);
        }
        m.put("rounds", rounds);
        Map<String, Object> median = new LinkedHashMap<>();
        median.put("wrk", medians(r.rounds(), round -> round.wrk().figures()));
        median.put("fleetbench", medians(r.rounds(), round -> round.fleetbench().figures()));
        median.putAll(medians(r.rounds(), Round::comparison));
        m.put("median", median);
        return m;
    }

    static String text(Result r) {
        StringBuilder b = new StringBuilder();
        Bench.Machine m = Bench.Machine.current();
        HttpBenchSettings s = r.settings();
        b.append(String.format(Locale.ROOT, "HttpFrontDoorBench %s: %d cores, %s, %s; load average before %s, after"
                + " %s%n", r.started(), m.cores(), m.jvm(), m.os(), r.loadBefore(), r.loadAfter()));
        b.append(String.format(Locale.ROOT, "%s -t1 and fleetbench's HTTP target (fed every %d ms), %d HTTP/1.1"
                        + " keep-alive connections each, one request at a time on each; %d rounds of %ds after a %ds"
                        + " warm-up, wrk first, after %ds of JIT warm-up; body %,d bytes (one %s event as a batch of"
                        + " one)%n", r.wrkVersion().split(" \\[")[0], s.tick().toMillis(), s.connections(), s.rounds(),
                s.duration().getSeconds(), s.warmup().getSeconds(), s.jitWarmup().getSeconds(), r.bodyBytes(),
                r.eventFamily()));
        b.append(String.format(Locale.ROOT, "endpoint: fleetbench ingest --aggregation in its own JVM, stream of %d"
                + " shards on kinesalite%n", s.shards()));
        b.append(CPU).append('\n');
        table(b, "wrk", r.rounds(), round -> round.wrk().figures());
        table(b, "fleetbench", r.rounds(), round -> round.fleetbench().figures());
        table(b, "fleetbench / wrk", r.rounds(), Round::comparison);
        return b.toString();
    }

    private static void table(StringBuilder b, String title, List<Round> rounds,
                              Function<Round, Map<String, Double>> figures) {
        b.append(String.format(Locale.ROOT, "%n%-40s %12s", title, "median"));
        for (int i = 1; i <= rounds.size(); i++) {
            b.append(String.format(Locale.ROOT, " %12s", "round " + i));
        }
        b.append('\n');
        for (Map.Entry<String, Double> e : medians(rounds, figures).entrySet()) {
            b.append(String.format(Locale.ROOT, "  %-38s %12s", e.getKey(), BenchReport.number(e.getValue())));
            for (Round round : rounds) {
                b.append(String.format(Locale.ROOT, " %12s", BenchReport.number(figures.apply(round).get(e.getKey()))));
            }
            b.append('\n');
        }
    }

    private static Map<String, Double> medians(List<Round> rounds, Function<Round, Map<String, Double>> figures) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String name : figures.apply(rounds.get(0)).keySet()) {
            m.put(name, StageResult.median(rounds.stream().map(r -> figures.apply(r).get(name)).toList()));
        }
        return m;
    }
}
