package io.fleetbench.runner.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks that every dashboard in {@code dashboards/} imports into Grafana 10 or newer with any Prometheus:
 * a {@code DS_PROMETHEUS} input (and a datasource variable of that name, which resolves it where the dashboard is
 * provisioned rather than imported), the datasource as that input on every panel, target and query variable (never a
 * fixed uid), a {@code run} variable that every fleetbench selector uses, and panel types that ship with Grafana.
 */
class DashboardsTest {
    private static final String DS = "${DS_PROMETHEUS}";
    private static final Set<String> PANEL_TYPES = Set.of("timeseries", "heatmap", "bargauge");
    private static final Map<String, String> EXPECTED = Map.of(
            "fleetbench-fleet.json", "fleetbench-fleet",
            "fleetbench-pipeline.json", "fleetbench-pipeline",
            "fleetbench-lake.json", "fleetbench-lake");

    @Test
    void theThreeDashboardsAreThereWithTheirUids() throws Exception {
        Map<String, String> found = new TreeMap<>();
        for (Dashboards.Dashboard d : Dashboards.all()) {
            found.put(d.name(), d.json().path("uid").asText());
        }
        assertEquals(new TreeMap<>(EXPECTED), found);
    }

    @Test
    void everyDashboardImportsWithAnyPrometheus() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Dashboards.Dashboard d : Dashboards.all()) {
            problems.addAll(problems(d.name(), d.json()));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theChecksFindAFixedDatasourceAMissingRunAndAnUnknownVariable() throws Exception {
        JsonNode broken = new ObjectMapper().readTree("""
                {"__inputs": [{"name": "DS_PROMETHEUS", "type": "datasource", "pluginId": "prometheus"}],
                 "__requires": [{"type": "grafana", "id": "grafana", "version": "10.0.0"},
                                {"type": "datasource", "id": "prometheus"}],
                 "uid": "broken",
                 "templating": {"list": [{"name": "run", "type": "query",
                     "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
                     "definition": "label_values(fleetbench_table_files, run)"}]},
                 "panels": [{"id": 1, "type": "timeseries", "title": "Rows", "gridPos": {"h": 8, "w": 12},
                     "datasource": {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"},
                     "targets": [{"refId": "A", "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
                                  "expr": "rate(fleetbench_sink_written_rows_total{table=~\\"$table\\"}[$__rate_interval])"}]}]}
                """);
        List<String> problems = problems("broken.json", broken);
        assertEquals(List.of(
                "broken.json: panel 'Rows': datasource must be {type: prometheus, uid: ${DS_PROMETHEUS}}, found "
                        + "{\"type\":\"prometheus\",\"uid\":\"P1809F7CD0C75ACF3\"}",
                "broken.json: panel 'Rows': fleetbench_sink_written_rows_total is not selected by run=\"$run\" in "
                        + "rate(fleetbench_sink_written_rows_total{table=~\"$table\"}[$__rate_interval])",
                "broken.json: panel 'Rows': uses $table, which is not a variable of the dashboard",
                "broken.json: hard-coded uid P1809F7CD0C75ACF3"), problems);
    }

    private static List<String> problems(String name, JsonNode json) {
        List<String> problems = new ArrayList<>();
        JsonNode input = json.path("__inputs").path(0);
        if (json.path("__inputs").size() != 1 || !input.path("name").asText().equals("DS_PROMETHEUS")
                || !input.path("type").asText().equals("datasource")
                || !input.path("pluginId").asText().equals("prometheus")) {
            problems.add(name + ": __inputs must be the one datasource input DS_PROMETHEUS, found " + json.path("__inputs"));
        }
        Set<String> required = new HashSet<>();
        for (JsonNode r : json.path("__requires")) {
            required.add(r.path("type").asText() + ":" + r.path("id").asText());
            if (r.path("id").asText().equals("grafana") && !r.path("version").asText().startsWith("10.")) {
                problems.add(name + ": __requires grafana " + r.path("version").asText() + ", expected 10.x");
            }
        }
        for (String r : List.of("grafana:grafana", "datasource:prometheus")) {
            if (!required.contains(r)) {
                problems.add(name + ": __requires lacks " + r);
            }
        }
        Set<String> variables = new HashSet<>();
        for (JsonNode v : json.path("templating").path("list")) {
            variables.add(v.path("name").asText());
            if (v.path("type").asText().equals("datasource")) {
                // Resolves ${DS_PROMETHEUS} where the dashboard is provisioned rather than imported.
                if (!v.path("name").asText().equals("DS_PROMETHEUS") || !v.path("query").asText().equals("prometheus")) {
                    problems.add(name + ": datasource variable must be DS_PROMETHEUS of type prometheus, found " + v);
                }
                continue;
            }
            checkDatasource(v.path("datasource"), name + ": variable " + v.path("name").asText(), problems);
            if (!v.path("definition").asText().contains("fleetbench_")) {
                problems.add(name + ": variable " + v.path("name").asText() + " does not query fleetbench's series");
            }
        }
        if (!variables.contains("run")) {
            problems.add(name + ": no 'run' variable");
        }
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : json.path("panels")) {
            String where = name + ": panel '" + panel.path("title").asText() + "'";
            if (!PANEL_TYPES.contains(panel.path("type").asText())) {
                problems.add(where + ": type " + panel.path("type").asText() + ", expected one of " + PANEL_TYPES);
            }
            if (!ids.add(panel.path("id").asInt())) {
                problems.add(where + ": id " + panel.path("id").asInt() + " used twice");
            }
            if (!panel.path("gridPos").has("w") || !panel.path("gridPos").has("h")) {
                problems.add(where + ": no gridPos");
            }
            checkDatasource(panel.path("datasource"), where, problems);
            if (panel.path("targets").isEmpty()) {
                problems.add(where + ": no targets");
            }
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                checkDatasource(target.path("datasource"), where + " target " + target.path("refId").asText(), problems);
                checkExpr(expr, variables, where, problems);
            }
        }
        // The datasource is only ever the input: no uid of someone's Grafana slipped in anywhere.
        for (JsonNode uid : json.findValues("uid")) {
            if (uid.isTextual() && !uid.asText().equals(DS) && !uid.asText().equals(json.path("uid").asText())) {
                problems.add(name + ": hard-coded uid " + uid.asText());
            }
        }
        return problems;
    }

    private static void checkDatasource(JsonNode ds, String where, List<String> problems) {
        if (!ds.path("type").asText().equals("prometheus") || !ds.path("uid").asText().equals(DS)) {
            problems.add(where + ": datasource must be {type: prometheus, uid: " + DS + "}, found " + ds);
        }
    }

    private static void checkExpr(String expr, Set<String> variables, String where, List<String> problems) {
        if (expr.isBlank()) {
            problems.add(where + ": empty expr");
            return;
        }
        int selectors = 0;
        Matcher m = Dashboards.SELECTOR.matcher(expr);
        while (m.find()) {
            selectors++;
            String labels = m.group(2) == null ? "" : m.group(2);
            if (!labels.contains("run=\"$run\"")) {
                problems.add(where + ": " + m.group(1) + " is not selected by run=\"$run\" in " + expr);
            }
        }
        if (selectors == 0 && !expr.startsWith("vector(")) {
            problems.add(where + ": no fleetbench series in " + expr);
        }
        Matcher v = Pattern.compile("\\$(\\w+)").matcher(expr);
        while (v.find()) {
            if (!v.group(1).equals("__rate_interval") && !variables.contains(v.group(1))) {
                problems.add(where + ": uses $" + v.group(1) + ", which is not a variable of the dashboard");
            }
        }
    }
}
