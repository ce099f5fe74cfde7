package io.fleetbench.simulator.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** A secret value read once at start, from an environment variable or a file (trimmed of a trailing newline). toString() never shows it. */
public final class Secret {
    private final String value;
    private final String source;

    private Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /**
     * Reads the environment variable {@code name}.
     *
     * @throws IllegalArgumentException if it is unset or empty
     */
    public static Secret fromEnv(String name) {
        Objects.requireNonNull(name, "name");
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + name + " is empty");
        }
        return new Secret(value, "env " + name);
    }

    /**
     * Reads the whole of {@code file} as UTF-8, without its trailing line ends: files written by editors and
     * {@code echo} end with one, and it is never part of a token.
     *
     * @throws IllegalArgumentException if the file is missing, unreadable or holds nothing but line ends
     */
    public static Secret fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("secret file " + file + " does not exist");
        } catch (IOException e) {
            // The exception's own message is left out: it names the file again at best, and its type says what failed.
            throw new IllegalArgumentException("secret file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            throw new IllegalArgumentException("secret file " + file + " is empty");
        }
        return new Secret(text.substring(0, end), "file " + file);
    }

    /** A secret given directly, for tests; {@code source} says where it came from, as in {@code "env NAME"}. */
    public static Secret of(String value, String source) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("secret from " + source + " is empty");
        }
        return new Secret(value, source);
    }

    /** The secret itself: to be put on the wire, never in a message. */
    public String value() {
        return value;
    }

    /** Where the secret came from, e.g. {@code "env FLEET_API_KEY"} or {@code "file /x/token"}. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Secret(from " + source + ")";
    }
}
