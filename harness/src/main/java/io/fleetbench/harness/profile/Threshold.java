package io.fleetbench.harness.profile;

import io.fleetbench.telemetry.EventFamily;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One condition of a profile's {@code thresholds}, k6-style: a metric of the run's report, optionally
 * narrowed to one table by a {@code {table=<name>}} label, an operator and a number, such as
 * {@code producer.put_latency_p99_ms < 2000}. The metrics are the fixed catalogue of {@link Metric},
 * documented in {@code loadprofiles/README.md}.
 *
 * @param key       the key as the profile wrote it, label included
 * @param table     the table of the label, or null for the metric over the whole run
 * @param condition the condition as the profile wrote it, trimmed
 */
public record Threshold(String key, Metric metric, String table, Operator operator, double value, String condition) {

    private static final Pattern KEY = Pattern.compile("([a-z0-9_.]+)(?:\\{\\s*([a-z_]+)\\s*=\\s*([a-z0-9_]*)\\s*})?");
    private static final Pattern CONDITION = Pattern.compile(
            "\\s*(<=|>=|==|!=|<|>)\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

    /** The metrics a threshold can name, each one figure of {@code report.json}. */
    public enum Metric {
        PRODUCER_TARGET_RATE("producer.target_rate", Label.NONE, Direction.HIGHER),
        PRODUCER_SUSTAINED_RATE("producer.sustained_rate", Label.NONE, Direction.HIGHER),
        PRODUCER_ACKNOWLEDGED("producer.acknowledged", Label.NONE, Direction.HIGHER),
        PRODUCER_FAILED("producer.failed", Label.NONE, Direction.LOWER),
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
     * Parses the {@code thresholds} map of a profile, in its order; a bad key or condition is an
     * {@link LoadProfile.InvalidFieldException} on {@code thresholds.<key>}.
     */
    static List<Threshold> parseAll(Map<String, List<String>> thresholds) {
        List<Threshold> parsed = new ArrayList<>();
        if (thresholds == null) {
            return List.of();
        }
        for (Map.Entry<String, List<String>> e : thresholds.entrySet()) {
            String key = e.getKey();
            String field = "thresholds." + key;
            MetricKey parsedKey = MetricKey.parse(key, field);
            List<String> conditions = e.getValue();
            if (conditions == null || conditions.isEmpty()) {
                throw invalid(field, "must list at least one condition, such as [\"< 2000\"]");
            }
            for (String c : conditions) {
                Matcher m = c == null ? null : CONDITION.matcher(c);
                if (m == null || !m.matches()) {
                    throw invalid(field, "has a malformed condition \"" + c + "\": expected an operator"
                            + " (<, <=, >, >=, ==, !=) and a number, such as \"< 2000\"");
                }
                double value = Double.parseDouble(m.group(2));
                if (!Double.isFinite(value)) {
                    throw invalid(field, "has a condition whose number is out of range: \"" + c + "\"");
                }
                parsed.add(new Threshold(key, parsedKey.metric(), parsedKey.table(), Operator.of(m.group(1)), value,
                        c.trim()));
            }
        }
        return List.copyOf(parsed);
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
