package io.fleetbench.localstack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code fleetbench stack up} started, kept in {@code runs/stack.json} under the project
 * directory so that {@code down}, {@code status} and later runs can find it.
 *
 * @param streamEmulator the emulator serving Kinesis
 * @param emulators      every emulator started, the stream emulator first
 * @param bindAddress    the address they listen on; a file written before it was recorded reads as
 *                       {@value StackConfig#DEFAULT_BIND_ADDRESS}, where its emulators answered too
 */
public record StackState(StreamEmulator streamEmulator, List<Entry> emulators, String bindAddress) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public StackState {
        emulators = List.copyOf(emulators);
        bindAddress = bindAddress == null ? StackConfig.DEFAULT_BIND_ADDRESS : bindAddress;
    }

    /**
     * One started emulator.
     *
     * @param name            the emulator's name
     * @param pid             its process id
     * @param startedAtMillis its process start time, so that a reused pid is not mistaken for it
     * @param port            the port it answers on
     * @param log             the file its output goes to
     */
    public record Entry(String name, long pid, long startedAtMillis, int port, String log) {
    }

    /** The state file of a project directory. */
    public static Path file(Path home) {
        return home.resolve("runs").resolve("stack.json");
    }

    /** Reads a state file, or empty if there is none. */
    public static Optional<StackState> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new StackException("cannot read the stack state file " + file + " (" + e.getMessage()
                    + "); stop the emulators it names by hand and delete it", e);
        }
    }

    /** Writes this state atomically, so that a reader never sees half of it. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("cannot write the stack state file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The entry of the emulator with this name. */
    public Optional<Entry> entry(String name) {
        return emulators.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
