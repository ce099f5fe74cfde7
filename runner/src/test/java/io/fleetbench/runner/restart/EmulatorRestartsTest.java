package io.fleetbench.runner.restart;

import io.fleetbench.localstack.StreamEmulator;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileLoader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which runs may restart the emulators, and how an event is told from a record of a destroyed stream. */
class EmulatorRestartsTest {
    private static final String HEAD = "name: x\nduration: 1m\nrate: 100\n";

    private static LoadProfile profile(String infrastructure) throws Exception {
        return new ProfileLoader().parse("p.yaml", HEAD + infrastructure);
    }

    @Test
    void aRunOfTheReferencePipelineOnItsOwnStackRestartsThem() throws Exception {
        LoadProfile p = profile("infrastructure: {restarts: [{emulator: dynalite, at: 5s}, {emulator: kinesalite, at: 9s}]}\n");
        assertEquals(Optional.empty(), EmulatorRestarts.refusal(p, false, false, StreamEmulator.KINESALITE));
        assertEquals(Optional.empty(), EmulatorRestarts.refusal(profile(""), true, true, StreamEmulator.KINESIS_LOCAL),
                "a profile without restarts is never refused for them");
    }

    @Test
    void anExternalPipelineAReusedStackOrAnotherStreamEmulatorIsRefusedNamingTheKey() throws Exception {
        LoadProfile kinesalite = profile("infrastructure: {restarts: [{emulator: kinesalite, at: 9s}]}\n");
        String external = EmulatorRestarts.refusal(kinesalite, true, false, StreamEmulator.KINESALITE).orElseThrow();
        assertTrue(external.startsWith("infrastructure.restarts: the emulators are restarted under the reference"
                + " pipeline only"), external);
        String reused = EmulatorRestarts.refusal(kinesalite, false, true, StreamEmulator.KINESALITE).orElseThrow();
        assertTrue(reused.contains("`fleetbench stack up`") && reused.contains("`fleetbench stack down`"), reused);
        assertEquals("infrastructure.restarts names kinesalite, but the stack's stream emulator is kinesis-local",
                EmulatorRestarts.refusal(kinesalite, false, false, StreamEmulator.KINESIS_LOCAL).orElseThrow());
        LoadProfile dynalite = profile("infrastructure: {restarts: [{emulator: dynalite, at: 9s}]}\n");
        assertEquals(Optional.empty(), EmulatorRestarts.refusal(dynalite, false, false, StreamEmulator.KINESIS_LOCAL),
                "dynalite serves whichever stream emulator");
    }

    @Test
    void theEventIdOfARecordIsReadUpToItEvenFromARecordCutShortAfterIt() {
        String id = "0123abcd-0000-8000-8000-000000000001";
        assertEquals(id, StreamContents.eventId(utf8("{\"device_id\":\"car-000001\",\"nested\":{\"event_id\":\"no\"},"
                + "\"event_id\":\"" + id + "\",\"speed\":1}")));
        assertEquals(id, StreamContents.eventId(utf8("{\"event_id\":\"" + id + "\",\"speed\":")), "cut short");
        assertNull(StreamContents.eventId(utf8("{\"speed\":1,\"event_")), "cut before the id");
        assertNull(StreamContents.eventId(utf8("not json")));
        assertNull(StreamContents.eventId(utf8("{\"event_id\":7}")));
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
