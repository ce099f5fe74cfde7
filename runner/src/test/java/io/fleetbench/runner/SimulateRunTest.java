package io.fleetbench.runner;

import io.fleetbench.localstack.StackConfig;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.profile.ProfileLoader;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code simulate} refuses before anything starts: a target that does not fit the profile, a missing stream. */
class SimulateRunTest {
    private static final String HTTP_PROFILE = """
            name: api
            duration: 10s
            rate: 10
            target: http
            http: {url: "https://api.example.com/prod/records", format: kinesis}
            stream: {name: fleet-telemetry}
            """;

    private static LoadProfile profile(String yaml) throws Exception {
        return new ProfileLoader().parse("p.yaml", yaml);
    }

    private static SimulateRun.Settings settings(SimulateRun.Target target, Optional<String> stream) {
        return new SimulateRun.Settings(null, null, "20261208-010203", target, stream, "127.0.0.1", 0,
                StackConfig.defaults(), new PrintStream(OutputStream.nullOutputStream()), false, Optional.empty());
    }

    @Test
    void aProfileAimedAtAnApiNeedsTheHttpTargetEvenWithItsStreamNamed() throws Exception {
        LoadProfile p = profile(HTTP_PROFILE);
        String local = assertThrows(RunRefusedException.class,
                () -> SimulateRun.streamName(p, settings(SimulateRun.Target.LOCAL, Optional.empty()))).getMessage();
        assertTrue(local.contains("use --target http (--target local puts into a stream)"), local);
        String aws = assertThrows(RunRefusedException.class,
                () -> SimulateRun.streamName(p, settings(SimulateRun.Target.AWS, Optional.of("s")))).getMessage();
        assertTrue(aws.contains("use --target http (--target aws puts into a stream)"), aws);
        assertEquals("fleet-telemetry", SimulateRun.streamName(p, settings(SimulateRun.Target.HTTP, Optional.empty())));
    }

    @Test
    void theKinesisBodyNeedsAStreamName() throws Exception {
        LoadProfile p = profile(HTTP_PROFILE.replace("stream: {name: fleet-telemetry}\n", ""));
        String m = assertThrows(RunRefusedException.class,
                () -> SimulateRun.streamName(p, settings(SimulateRun.Target.HTTP, Optional.empty()))).getMessage();
        assertTrue(m.contains("http.format kinesis names the stream in every body"), m);
        assertEquals("given", SimulateRun.streamName(p, settings(SimulateRun.Target.HTTP, Optional.of("given"))));
    }

    @Test
    void anHttpProfileWithoutAUrlGoesThroughTheLocalEndpointButNotToAws() throws Exception {
        LoadProfile p = profile("name: local-http\nduration: 10s\nrate: 10\ntarget: http\nstream: {name: s}\n");
        assertEquals("s", SimulateRun.streamName(p, settings(SimulateRun.Target.LOCAL, Optional.empty())));
        String aws = assertThrows(RunRefusedException.class,
                () -> SimulateRun.streamName(p, settings(SimulateRun.Target.AWS, Optional.empty()))).getMessage();
        assertTrue(aws.contains("--target aws puts straight into a stream"), aws);
    }
}
