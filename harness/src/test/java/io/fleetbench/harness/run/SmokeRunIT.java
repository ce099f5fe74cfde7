package io.fleetbench.harness.run;

import io.fleetbench.harness.audit.LakeAudit;
import io.fleetbench.harness.audit.TableAudit;
import io.fleetbench.harness.profile.ProfileLoader;
import io.fleetbench.harness.stack.ProjectHome;
import io.fleetbench.harness.stack.StackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a small profile end to end against the real emulators, the real KCL and real Delta tables,
 * then checks the report against the lake as delta-kernel reads it.
 */
class SmokeRunIT {

    @Test
    void everyAcknowledgedEventLandsInTheLakeExactlyOnce(@TempDir Path runDir) throws Exception {
        var profile = new ProfileLoader().parse("it.yaml", """
                name: it-smoke
                duration: 8s
                rate: 1500
                fleet: {seed: 7, cars: 300, bikes: 200}
                stream: {shards: 2}
                sink: {maxLatency: 1s}
                drain: {timeout: 60s}
                """);
        int kinesisPort = freePort();
        int dynamoPort = freePort();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        var settings = new LoadRun.Settings(ProjectHome.locate(), runDir, "it-" + System.nanoTime(), System.nanoTime(),
                "127.0.0.1", 0, StackConfig.defaults().withPorts(kinesisPort, dynamoPort),
                new PrintStream(console, true, StandardCharsets.UTF_8), false);

        RunReport report = new LoadRun(profile, Path.of("it.yaml"), settings).execute();
        String summary = ReportWriter.write(report, runDir);

        assertTrue(report.audit().passed(), summary + console);
        long acknowledged = report.producer().acknowledged();
        assertTrue(acknowledged >= 0.9 * profile.targetEvents(), "acknowledged " + acknowledged);
        assertEquals(report.producer().sent(), acknowledged + report.producer().failed());

        // Read the lake again, independently of what the run reported.
        LakeAudit reader = new LakeAudit();
        long rows = 0;
        long distinct = 0;
        for (RunReport.Table t : report.tables()) {
            TableAudit audit = reader.audit(t.path());
            assertTrue(audit.exists(), t.path());
            assertEquals(0, audit.duplicateEventIds(), t.path());
            rows += audit.rows();
            distinct += audit.distinctEventIds();
        }
        assertEquals(acknowledged, rows);
        assertEquals(acknowledged, distinct);
        assertNotNull(report.pipeline().timeToFirstRowSeconds(), "no row was ever committed");

        RunReport reread = ReportWriter.read(runDir.resolve("report.json"));
        assertEquals(report, reread);
        assertTrue(Files.readString(runDir.resolve("summary.txt")).contains("audit: PASSED"));
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("| rows "), "no live line was printed");

        // The run started the emulators, so it must have stopped them.
        assertFalse(answers(kinesisPort), "kinesalite still answers after the run");
        assertFalse(answers(dynamoPort), "dynalite still answers after the run");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
