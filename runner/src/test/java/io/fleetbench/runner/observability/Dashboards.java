package io.fleetbench.runner.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.localstack.ProjectHome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Grafana dashboards in {@code dashboards/}, and the query targets of their panels. */
final class Dashboards {

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
