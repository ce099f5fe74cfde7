package io.fleetbench.runner.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.localstack.ProjectHome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Grafana dashboards in {@code dashboards/}, and the query targets of their panels. */
final class Dashboards {
    /** A selector of a series of ours in an expression: group 1 the metric's name, group 2 its label matchers, if any. */
    static final Pattern SELECTOR = Pattern.compile("\\b((?:fleetbench|jvm|process|system)_[a-z0-9_]+)(\\{[^}]*})?");

    /** One query of one panel. */
    record Target(String dashboard, String panel, JsonNode node) {
        String expr() {
            return node.path("expr").asText("");
        }

        @Override
        public String toString() {
            return dashboard + " / panel '" + panel + "' / " + node.path("refId").asText() + ": " + expr();
        }
    }

    /** A dashboard file and its parsed JSON. */
    record Dashboard(Path file, JsonNode json) {
        String name() {
            return file.getFileName().toString();
        }

        List<Target> targets() {
            List<Target> targets = new ArrayList<>();
            for (JsonNode panel : json.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    targets.add(new Target(name(), panel.path("title").asText(), target));
                }
            }
            return targets;
        }

        /** The expressions of the panels' targets and of the query variables' definitions. */
        List<String> expressions() {
            List<String> expressions = new ArrayList<>();
            targets().forEach(t -> expressions.add(t.expr()));
            json.path("templating").path("list").forEach(v -> expressions.add(v.path("definition").asText("")));
            return expressions;
        }
    }

    private Dashboards() {
    }

    /** Every {@code *.json} in the project's {@code dashboards/} folder, by file name. */
    static List<Dashboard> all() throws IOException {
        Path dir = ProjectHome.locate().resolve("dashboards");
        ObjectMapper mapper = new ObjectMapper();
        List<Dashboard> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(new Dashboard(f, mapper.readTree(f.toFile())));
            }
        }
        return dashboards;
    }
}
