package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;
import io.fleetbench.runner.CapturedOutput;
import io.fleetbench.runner.TestEvents;
import io.fleetbench.runner.TestLake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetbench.runner.audit.LakeCounts;
import io.fleetbench.runner.audit.TableCounts;
import io.fleetbench.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fleetbench table health} on a lake written by the real sink, as text and as JSON. */
class TableCommandTest {
    /** TestEvents.car(i) is at 22:13:20 plus i seconds: car 3000 is in the next hour. */
    private static final int NEXT_HOUR = 3_000;

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    /** Cars in two hours (three flushes: three files in the first hour, one in the second), bikes in one. */
    private Path lake() {
        Path root = dir.resolve("lake");
        try (TestLake lake = new TestLake(root, Clock.systemUTC())) {
            for (int flush = 0; flush < 3; flush++) {
                List<TelemetryEvent> events = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    events.add(TestEvents.car(flush * 10 + i));
                    events.add(TestEvents.bike(flush * 10 + i));
                }
                if (flush == 2) {
                    events.add(TestEvents.car(NEXT_HOUR));
                }
                lake.flush("shard-1", events);
            }
        }
        return root;
    }

    @Test
    void printsATablePerPartitionTotalsAHistogramAndTheLog() {
        Path lake = lake();
        assertEquals(ExitCode.OK, Main.execute("table", "health", lake.resolve("car_telemetry").toString()));
        String text = output.out();
        assertTrue(text.contains("car_telemetry (" + lake.resolve("car_telemetry") + ") at version 4; target file size"
                + " 128 MiB, small below 32 MiB"), text);
        assertTrue(text.matches("(?s).*event_date=2023-11-14/event_hour=22 +3 .* 100\\.0% +100\\.0%\n.*"), text);
        assertTrue(text.matches("(?s).*event_date=2023-11-14/event_hour=23 +1 .*"), text);
        assertTrue(text.matches("(?s).*\n  total +4 .*"), text);
        assertTrue(text.matches("(?s).*0 B - 8 KiB +4 .* #{40}\n.*"), text);
        assertTrue(text.contains("log: no checkpoint yet (every 10 commits), 5 commits since; 5 commit files from version 0"),
                text);
        assertTrue(text.contains("cleaned by fleetbench vacuum, which keeps every source's newest commit"), text);
    }

    @Test
    void aLakeRootShowsEveryTableAndJsonAgreesWithAnIndependentReader() throws Exception {
        Path lake = lake();
        assertEquals(ExitCode.OK, Main.execute("table", "health", lake.toString(), "--json", "--target-file-size", "4KiB"));
        JsonNode json = new ObjectMapper().readTree(output.out());
        List<String> names = new ArrayList<>();
        json.get("tables").forEach(t -> names.add(t.get("table").asText()));
        // The sink opens a table for every family and the dead letters, by name.
        assertEquals(List.of("bike_metrics", "bike_session", "car_dtc", "car_ignition", "car_telemetry", "car_trip",
                "dead_letters"), names);
        JsonNode bikes = json.get("tables").get(0);
        JsonNode cars = json.get("tables").get(4);
        assertEquals(3, bikes.get("total").get("files").asLong(), "three bike files");
        TableCounts audit = new LakeCounts().audit(lake.resolve("car_telemetry").toString());
        assertEquals(audit.files(), cars.get("total").get("files").asLong());
        assertEquals(audit.bytes(), cars.get("total").get("bytes").asLong());
        assertEquals(1024, cars.get("smallFileBytes").asLong());
        assertEquals(2, cars.get("partitions").size());
        assertEquals("event_date=2023-11-14/event_hour=23", cars.get("partitions").get(1).get("partition").asText());
        JsonNode bin = cars.get("total").get("histogram").get(0);
        assertEquals(0, bin.get("fromBytes").asLong());
        assertEquals(8192, bin.get("toBytes").asLong());
        assertEquals(4, bin.get("files").asLong());
        assertEquals(10, cars.get("log").get("checkpointInterval").asInt());
    }

    @Test
    void servesTheHealthAsPrometheusGaugesUntilInterrupted() throws Exception {
        Path lake = lake();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serving = new Thread(() -> exit.set(Main.execute("table", "health", lake.toString(), "--metrics-port", "0",
                "--every", "1s", "--recent-partitions", "1")), "table-health-it");
        serving.start();
        try {
            Matcher m = output.awaitOut(Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/metrics"), 30, TimeUnit.SECONDS);
            assertTrue(m != null, "no metrics endpoint announced: " + output.out() + output.err());
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + m.group(1) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            String body = scrape.body();
            assertTrue(body.contains("fleetbench_table_files{table=\"car_telemetry\"} 4.0"), body);
            assertTrue(body.contains("fleetbench_table_small_bytes_ratio{table=\"car_telemetry\"} 1.0"), body);
            assertTrue(body.contains("fleetbench_table_bin_files{bin=\"0B\",table=\"car_telemetry\"} 4.0"), body);
            assertTrue(body.contains("fleetbench_table_partition_files{partition=\"event_date=2023-11-14/event_hour=23\","
                    + "table=\"car_telemetry\"} 1.0"), body);
            assertFalse(body.contains("partition=\"event_date=2023-11-14/event_hour=22\",table=\"car_telemetry\""),
                    "only the most recent partition has series: " + body);
        } finally {
            serving.interrupt();
            serving.join(30_000);
        }
        assertFalse(serving.isAlive());
        assertEquals(ExitCode.ERROR, exit.get(), "an interrupt ends the command");
        String out = output.out();
        assertTrue(Pattern.compile("table health \\d+ refreshes \\| elapsed \\d+s \\| \\d+ tables read\\R")
                .matcher(out).find(), out);
    }

    @Test
    void aFolderWithoutTablesExitsTwo() {
        assertEquals(ExitCode.BAD_INPUT, Main.execute("table", "health", dir.toString()));
        assertTrue(output.err().contains("no Delta table at " + dir), output.err());
    }
}
