package io.fleetbench.telemetry.manifest;

import io.fleetbench.telemetry.EventIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckManifestTest {

    @Test
    void outOfOrderAcknowledgementsAndOtherOutcomesRoundTrip(@TempDir Path dir) throws IOException {
        AckLedger ledger = new AckLedger(3, 2);
        long car1 = EventIds.key(true, 1, 0);
        long bike0 = EventIds.key(false, 0, 0);
        for (long seq : new long[] {2, 1, 5, 3, 7, 6}) {
            ledger.record(car1 + seq, Outcome.ACKNOWLEDGED);
        }
        ledger.record(car1 + 4, Outcome.AMBIGUOUS);
        ledger.record(car1 + 6, Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS);
        ledger.record(bike0 + 1, Outcome.FAILED);
        ledger.record(bike0 + 2, Outcome.ACKNOWLEDGED);
        ledger.record(bike0 + 2, Outcome.MALFORMED_SENT);
        Path file = dir.resolve(AckManifest.FILE_NAME);
        ManifestHeader header = new ManifestHeader(42, 3, 2, "1/1", "telemetry", true, 1234,
                Map.of("acknowledged", 7L));
        AckManifest.write(file, header, ledger);

        Map<String, Map<Outcome, SeqRuns>> read = AckManifest.load(file);
        assertEquals(2, read.size(), read.toString());
        assertEquals("1-3,5-7", read.get("car-000001").get(Outcome.ACKNOWLEDGED).toString());
        assertEquals("4", read.get("car-000001").get(Outcome.AMBIGUOUS).toString());
        assertEquals("6", read.get("car-000001").get(Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS).toString());
        assertEquals("1", read.get("bike-000000").get(Outcome.FAILED).toString());
        assertEquals("2", read.get("bike-000000").get(Outcome.MALFORMED_SENT).toString());
        assertEquals(header, AckManifest.readHeader(file));
        assertTrue(Files.readString(file).contains("car-000001 a:1-3,5-7 r:6 g:4\n"), Files.readString(file));
        ManifestHeader counted = new ManifestHeader(42, 3, 2, "1/1", "telemetry", true, 1234,
                Map.of("in_flight", 0L, "acknowledged", 7L, "failed", 1L));
        AckManifest.write(file, counted, ledger);
        assertTrue(Files.readString(file).contains("\"counts\":{\"acknowledged\":7,\"failed\":1,\"in_flight\":0}"),
                "counts in name order: " + Files.readString(file));
        assertFalse(Files.exists(dir.resolve(AckManifest.FILE_NAME + ".tmp")));
    }

    @Test
    void aLateAcknowledgementClosesTheGap() {
        AckLedger ledger = new AckLedger(1, 0);
        long car = EventIds.key(true, 0, 0);
        ledger.record(car + 3, Outcome.ACKNOWLEDGED);
        ledger.record(car + 4, Outcome.ACKNOWLEDGED);
        assertEquals("3-4", ledger.runs(0, Outcome.ACKNOWLEDGED).toString());
        ledger.record(car + 1, Outcome.ACKNOWLEDGED);
        ledger.record(car + 2, Outcome.ACKNOWLEDGED);
        assertEquals("1-4", ledger.runs(0, Outcome.ACKNOWLEDGED).toString());
        assertEquals(4, ledger.counts().get(Outcome.ACKNOWLEDGED));
    }

    @Test
    void aDeviceOutsideTheFleetIsRefused() {
        AckLedger ledger = new AckLedger(2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ledger.record(EventIds.key(false, 0, 1), Outcome.ACKNOWLEDGED));
        assertTrue(e.getMessage().contains("no bike 0"), e.getMessage());
    }

    @Test
    void malformedLinesAreRefusedWithFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("acks.manifest");
        Files.writeString(file, "# c\n{\"format\":\"fleetbench-ack-manifest\",\"version\":1,\"cars\":1,\"bikes\":0}\n"
                + "car-000000 a:1-3\ncar-000000 z:1\n");
        ManifestException e = assertThrows(ManifestException.class, () -> AckManifest.load(file));
        assertTrue(e.getMessage().contains("acks.manifest:4"), e.getMessage());
        Files.writeString(file, "{\"format\":\"other\",\"version\":1}\n");
        e = assertThrows(ManifestException.class, () -> AckManifest.readHeader(file));
        assertTrue(e.getMessage().contains("fleetbench-ack-manifest"), e.getMessage());
    }

    @Test
    void aManifestReadsBackAsTheLedgerHeldItWhateverTheOrderOfOutcomes(@TempDir Path dir) throws IOException {
        AckLedger ledger = new AckLedger(70, 40);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        Outcome[] outcomes = Outcome.values();
        for (int i = 0; i < 20_000; i++) {
            int device = random.nextInt(110);
            long key = EventIds.key(device < 70, device < 70 ? device : device - 70, 1 + random.nextInt(300));
            // Mostly acknowledgements, nearly in order, with every other outcome and mark among them.
            ledger.record(key, random.nextInt(10) < 8 ? Outcome.ACKNOWLEDGED : outcomes[random.nextInt(outcomes.length)]);
        }
        Path file = dir.resolve(AckManifest.FILE_NAME);
        AckManifest.write(file, new ManifestHeader(1, 70, 40, "1/1", "s", true, 0, Map.of()), ledger);
        Map<String, Map<Outcome, SeqRuns>> read = AckManifest.load(file);
        for (int d = 0; d < ledger.devices(); d++) {
            for (Outcome o : outcomes) {
                SeqRuns expected = ledger.runs(d, o);
                Map<Outcome, SeqRuns> device = read.getOrDefault(ledger.deviceId(d), Map.of());
                assertEquals(expected, device.getOrDefault(o, new SeqRuns()), ledger.deviceId(d) + " " + o);
            }
        }
    }
}
