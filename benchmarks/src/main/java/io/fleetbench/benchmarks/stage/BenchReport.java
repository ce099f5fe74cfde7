package io.fleetbench.benchmarks.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a bench's results: {@code bench.json} (the machine, and per stage its settings, each measured
 * round's figures and their medians) and {@code bench.txt} (the same as a table, medians first).
 */
public final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchReport() {
    }

    /** Writes both files into the folder and returns the text of {@code bench.txt}. */
    public static String write(Bench.Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("bench.json").toFile(), json(result));
        String text = text(result);
        Files.writeString(dir.resolve("bench.txt"), text, StandardCharsets.UTF_8);
        return text;
    }

    static Map<String, Object> json(Bench.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("started", r.started().toString());
        m.put("finished", r.finished().toString());
        Bench.Machine machine = r.machine();
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("cores", machine.cores());
        mm.put("jvm", machine.jvm());
        mm.put("java_version", machine.javaVersion());
        mm.put("os", machine.os());
        mm.put("max_heap_bytes", machine.maxHeapBytes());
        m.put("machine", mm);
        Map<String, Object> stages = new LinkedHashMap<>();
        for (StageResult s : r.stages()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("settings", s.settings());
            sm.put("rounds", s.rounds());
            sm.put("median", s.medians());
            if (s.lake() != null) {
                sm.put("lake", s.lake());
            }
            stages.put(s.stage().label(), sm);
        }
        m.put("stages", stages);
        return m;
    }

    static String text(Bench.Result r) {
        StringBuilder b = new StringBuilder();
        Bench.Machine m = r.machine();
        b.append(String.format(Locale.ROOT, "fleetbench %s: %d cores, %s (Java %s), %s, max heap %,d MiB%n", r.id(),
                m.cores(), m.jvm(), m.javaVersion(), m.os(), m.maxHeapBytes() >> 20));
        int rounds = r.settings().rounds();
        for (StageResult s : r.stages()) {
            b.append(String.format(Locale.ROOT, "%n%s %s%n", s.stage().label(), s.settings()));
            b.append(String.format(Locale.ROOT, "  %-26s %14s", "figure", "median"));
            for (int i = 1; i <= rounds; i++) {
                b.append(String.format(Locale.ROOT, " %14s", "round " + i));
            }
            b.append('\n');
            Map<String, Double> medians = s.medians();
            List<Map<String, Double>> all = s.rounds();
            for (Map.Entry<String, Double> e : medians.entrySet()) {
                b.append(String.format(Locale.ROOT, "  %-26s %14s", e.getKey(), number(e.getValue())));
                for (Map<String, Double> round : all) {
                    b.append(String.format(Locale.ROOT, " %14s", number(round.get(e.getKey()))));
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** A figure to a precision that suits its size: whole numbers from 100 up, else three significant digits. */
    public static String number(double v) {
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
