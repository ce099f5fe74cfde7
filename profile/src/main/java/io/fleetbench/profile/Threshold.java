package io.fleetbench.profile;

import io.fleetbench.telemetry.EventFamily;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One condition of a profile's {@code thresholds}, k6-style: a metric of the run's report, optionally
 * narrowed to one table by a {@code {table=<name>}} label, an operator and a number, such as
 * {@code producer.put_latency_p99_ms < 2000}. The metrics are the fixed catalogue of {@link Metric},
 * documented in {@code loadprofiles/README.md}. A condition is written as a string, or as a map
 * {@code {threshold: "< 2000", abortOnFail: true, delayAbortEval: 10s}} that also stops the load as soon
 * as the condition fails while the load runs (k6's {@code abortOnFail}).
 *
 * @param key            the key as the profile wrote it, label included
 * @param table          the table of the label, or null for the metric over the whole run
 * @param condition      the condition as the profile wrote it, trimmed
 * @param abortOnFail    whether a failure while the load runs stops the load; only for a {@link Metric#live()} metric
 * @param delayAbortEval how long after the load starts the condition is first judged for an abort; zero by default
 */
public record Threshold(String key, Metric metric, String table, Operator operator, double value, String condition,
                        boolean abortOnFail, Duration delayAbortEval) {
    /** The keys of a condition written as a map. */
    private static final Set<String> CONDITION_KEYS = new TreeSet<>(List.of("threshold", "abortOnFail", "delayAbortEval"));

    private static final Pattern KEY = Pattern.compile("([a-z0-9_.]+)(?:\\{\\s*([a-z_]+)\\s*=\\s*([a-z0-9_]*)\\s*})?");
    private static final Pattern CONDITION = Pattern.compile(
            "\\s*(<=|>=|==|!=|<|>)\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

    /** The metrics a threshold can name, each one figure of {@code report.json}. */
    public enum Metric {
        PRODUCER_TARGET_RATE("producer.target_rate", Label.NONE, Direction.HIGHER),
        PRODUCER_SUSTAINED_RATE("producer.sustained_rate", Label.NONE, Direction.HIGHER),
        PRODUCER_ACKNOWLEDGED("producer.acknowledged", Label.NONE, Direction.HIGHER),
        PRODUCER_FAILED("producer.failed", Label.NONE, Direction.LOWER),
        PRODUCER_AMBIGUOUS("producer.ambiguous", Label.NONE, Direction.LOWER),
        PRODUCER_ACKNOWLEDGED_AFTER_AMBIGUOUS("producer.acknowledged_after_ambiguous", Label.NONE, Direction.LOWER),
        PRODUCER_SHORTFALL("producer.shortfall", Label.NONE, Direction.LOWER),
        PRODUCER_PUT_LATENCY_P50_MS("producer.put_latency_p50_ms", Label.NONE, Direction.LOWER),
        PRODUCER_PUT_LATENCY_P99_MS("producer.put_latency_p99_ms", Label.NONE, Direction.LOWER),
        PRODUCER_PUT_LATENCY_MAX_MS("producer.put_latency_max_ms", Label.NONE, Direction.LOWER),
        LOAD_SHORTFALL_SHARE("load.shortfall_share", Label.NONE, Direction.LOWER),
        PIPELINE_ROWS_COMMITTED("pipeline.rows_committed", Label.NONE, Direction.HIGHER),
        PIPELINE_COMMITTED_ROWS_PER_SECOND("pipeline.committed_rows_per_second", Label.NONE, Direction.HIGHER),
        PIPELINE_INVALID_RECORDS("pipeline.invalid_records", Label.NONE, Direction.LOWER),
        SINK_FRESHNESS_P50_MS("sink.freshness_p50_ms", Label.EVENT_TABLE, Direction.LOWER),
        SINK_FRESHNESS_P99_MS("sink.freshness_p99_ms", Label.EVENT_TABLE, Direction.LOWER),
        SINK_BUSY_US_PER_ROW("sink.busy_us_per_row", Label.NONE, Direction.LOWER),
        HTTP_STATUS_2XX("http.status_2xx", Label.NONE, Direction.HIGHER),
        HTTP_STATUS_4XX("http.status_4xx", Label.NONE, Direction.LOWER),
        HTTP_STATUS_5XX("http.status_5xx", Label.NONE, Direction.LOWER),
        HTTP_CONNECTION_ERRORS("http.connection_errors", Label.NONE, Direction.LOWER),
        HTTP_LATENCY_P50_MS("http.latency_p50_ms", Label.NONE, Direction.LOWER),
        HTTP_LATENCY_P99_MS("http.latency_p99_ms", Label.NONE, Direction.LOWER),
        INGEST_BACKPRESSURE("ingest.backpressure", Label.NONE, Direction.LOWER),
        AUDIT_LOST("audit.lost", Label.NONE, Direction.LOWER),
        AUDIT_DUPLICATED("audit.duplicated", Label.NONE, Direction.LOWER),
        AUDIT_DEAD_LETTERS("audit.dead_letters", Label.NONE, Direction.LOWER),
        LAKE_SMALL_BYTES_SHARE("lake.small_bytes_share", Label.ANY_TABLE, Direction.LOWER),
        LAKE_CLOSED_SMALL_BYTES_SHARE("lake.closed.small_bytes_share", Label.ANY_TABLE, Direction.LOWER);

        private final String key;
        private final Label label;
        private final Direction direction;

        Metric(String key, Label label, Direction direction) {
            this.key = key;
            this.label = label;
            this.direction = direction;
        }

        /** The metric's name in a profile. */
        public String key() {
            return key;
        }

        /**
         * Whether the metric has a value while the load runs (its figure so far), so that an
         * {@code abortOnFail} condition can judge it; the audit's and the lake's exist only at the end.
         */
        public boolean live() {
            return switch (this) {
                case PRODUCER_TARGET_RATE, PRODUCER_SUSTAINED_RATE, PRODUCER_ACKNOWLEDGED, PRODUCER_FAILED,
                     PRODUCER_AMBIGUOUS, PRODUCER_ACKNOWLEDGED_AFTER_AMBIGUOUS, PRODUCER_SHORTFALL, PRODUCER_PUT_LATENCY_P50_MS, PRODUCER_PUT_LATENCY_P99_MS,
                     PRODUCER_PUT_LATENCY_MAX_MS, LOAD_SHORTFALL_SHARE, PIPELINE_ROWS_COMMITTED,
                     PIPELINE_COMMITTED_ROWS_PER_SECOND, PIPELINE_INVALID_RECORDS, SINK_FRESHNESS_P50_MS,
                     SINK_FRESHNESS_P99_MS -> true;
                default -> false;
            };
        }

        /** Which way the metric is better, for comparing two builds. */
        public Direction direction() {
            return direction;
        }

        static Metric of(String key) {
            for (Metric m : values()) {
                if (m.key.equals(key)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** Which way a metric is better: lower (latencies, failures, busy time) or higher (rates, counts done). */
    public enum Direction {
        LOWER, HIGHER
    }

    /**
     * A metric key as a threshold or a comparison names it, label included, such as
     * {@code sink.freshness_p99_ms{table=car_telemetry}}.
     *
     * @param key   the key as written, label included
     * @param table the table of the label, or null for the metric over the whole run
     */
    public record MetricKey(String key, Metric metric, String table) {
        /**
         * Parses a key of the catalogue.
         *
         * @throws IllegalArgumentException whose message quotes the key and the rule it breaks
         */
        public static MetricKey parse(String key) {
            try {
                return parse(key, "metric \"" + key + "\"");
            } catch (LoadProfile.InvalidFieldException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        static MetricKey parse(String key, String field) {
            Matcher k = KEY.matcher(key.trim());
            if (!k.matches()) {
                throw invalid(field, "is not a metric name with an optional {table=<name>} label, such as"
                        + " sink.freshness_p99_ms{table=car_telemetry}");
            }
            Metric metric = Metric.of(k.group(1));
            if (metric == null) {
                throw invalid(field, "names no metric; the metrics are " + Arrays.stream(Metric.values())
                        .map(Metric::key).collect(Collectors.joining(", ")));
            }
            String table = null;
            if (k.group(2) != null) {
                if (!"table".equals(k.group(2)) || metric.label == Label.NONE) {
                    throw invalid(field, "has an unknown label \"" + k.group(2) + "\": "
                            + (metric.label == Label.NONE ? metric.key + " takes no label"
                            : metric.key + " takes only {table=<name>}"));
                }
                table = k.group(3);
                List<String> tables = metric.label == Label.EVENT_TABLE ? eventTables() : LoadProfile.TABLES;
                if (!tables.contains(table)) {
                    throw invalid(field, "names no table of " + metric.key + " in its label, found \"" + table
                            + "\"; the tables are " + String.join(", ", tables));
                }
            }
            return new MetricKey(key, metric, table);
        }
    }

    /** Which {@code table} label a metric takes. */
    private enum Label {
        NONE, EVENT_TABLE, ANY_TABLE
    }

    /** The operator of a condition. */
    public enum Operator {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** Whether {@code observed <op> bound} holds. */
        public boolean holds(double observed, double bound) {
            return switch (this) {
                case LT -> observed < bound;
                case LE -> observed <= bound;
                case GT -> observed > bound;
                case GE -> observed >= bound;
                case EQ -> observed == bound;
                case NE -> observed != bound;
            };
        }

        static Operator of(String symbol) {
            return Arrays.stream(values()).filter(o -> o.symbol.equals(symbol)).findFirst().orElseThrow();
        }
    }

    /**
     * Parses the {@code thresholds} map of a profile, in its order; each condition is a string or a map
     * with {@code threshold}, {@code abortOnFail} and {@code delayAbortEval}. A bad key or condition is an
     * {@link LoadProfile.InvalidFieldException} on {@code thresholds.<key>}, or on the key of the map at fault.
     */
    static List<Threshold> parseAll(Map<String, List<Object>> thresholds) {
        List<Threshold> parsed = new ArrayList<>();
        if (thresholds == null) {
            return List.of();
        }
        for (Map.Entry<String, List<Object>> e : thresholds.entrySet()) {
            String key = e.getKey();
            String field = "thresholds." + key;
            MetricKey parsedKey = MetricKey.parse(key, field);
            List<?> conditions = e.getValue();
            if (conditions == null || conditions.isEmpty()) {
                throw invalid(field, "must list at least one condition, such as [\"< 2000\"]");
            }
            for (int i = 0; i < conditions.size(); i++) {
                parsed.add(condition(key, parsedKey.metric(), parsedKey.table(), field, i, conditions.get(i)));
            }
        }
        return List.copyOf(parsed);
    }

    /** One condition: a string, or a map with {@code threshold} and the abort options. */
    private static Threshold condition(String key, Metric metric, String table, String field, int index, Object item) {
        if (!(item instanceof Map<?, ?> map)) {
            String c = item instanceof String text ? text : null;
            Matcher m = parseCondition(field, c == null ? String.valueOf(item) : c, c != null);
            return new Threshold(key, metric, table, Operator.of(m.group(1)), Double.parseDouble(m.group(2)), c.trim(),
                    false, Duration.ZERO);
        }
        String at = field + "[" + index + "]";
        for (Object k : map.keySet()) {
            if (!CONDITION_KEYS.contains(String.valueOf(k))) {
                throw invalid(at + "." + k, "is an unknown key of a condition (known keys here: "
                        + String.join(", ", CONDITION_KEYS) + ")");
            }
        }
        Object text = map.get("threshold");
        if (text == null) {
            throw invalid(at, "has no threshold: a condition written as a map needs one, such as"
                    + " {threshold: \"< 2000\", abortOnFail: true}");
        }
        Matcher m = parseCondition(at + ".threshold", String.valueOf(text), text instanceof String);
        Object abort = map.get("abortOnFail");
        if (abort != null && !(abort instanceof Boolean)) {
            throw invalid(at + ".abortOnFail", "must be true or false, found \"" + abort + "\"");
        }
        boolean abortOnFail = Boolean.TRUE.equals(abort);
        if (abortOnFail && !metric.live()) {
            throw invalid(at + ".abortOnFail", "cannot be true for " + metric.key() + ": it has a value only once the"
                    + " run has ended, so it cannot stop the load; leave abortOnFail out to judge it at the end."
                    + " The metrics judged while the load runs are " + Arrays.stream(Metric.values())
                    .filter(Metric::live).map(Metric::key).collect(Collectors.joining(", ")));
        }
        Object delay = map.get("delayAbortEval");
        Duration delayAbortEval = Duration.ZERO;
        if (delay != null) {
            if (!abortOnFail) {
                throw invalid(at + ".delayAbortEval", "has no effect without abortOnFail: true");
            }
            if (!(delay instanceof String d)) {
                throw invalid(at + ".delayAbortEval", "expected a duration such as 10s, found " + delay);
            }
            try {
                delayAbortEval = Durations.parse(d);
            } catch (IllegalArgumentException ex) {
                throw invalid(at + ".delayAbortEval", ex.getMessage());
            }
        }
        return new Threshold(key, metric, table, Operator.of(m.group(1)), Double.parseDouble(m.group(2)),
                ((String) text).trim(), abortOnFail, delayAbortEval);
    }

    /** An operator and a finite number, or an error on {@code field}; {@code text} is false for a non-string value. */
    private static Matcher parseCondition(String field, String condition, boolean text) {
        Matcher m = text ? CONDITION.matcher(condition) : null;
        if (m == null || !m.matches()) {
            throw invalid(field, "has a malformed condition \"" + condition + "\": expected an operator"
                    + " (<, <=, >, >=, ==, !=) and a number, such as \"< 2000\", or a map such as"
                    + " {threshold: \"< 2000\", abortOnFail: true}");
        }
        if (!Double.isFinite(Double.parseDouble(m.group(2)))) {
            throw invalid(field, "has a condition whose number is out of range: \"" + condition + "\"");
        }
        return m;
    }

    /** Whether {@code observed} meets the condition. */
    public boolean holds(double observed) {
        return operator.holds(observed, value);
    }

    private static List<String> eventTables() {
        return Arrays.stream(EventFamily.values()).map(EventFamily::wireName).toList();
    }

    private static LoadProfile.InvalidFieldException invalid(String field, String rule) {
        return new LoadProfile.InvalidFieldException(field, rule);
    }
}
