package io.fleetbench.runner.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an audit of a run folder needs besides the acknowledgement manifests, written into the folder
 * as {@value #FILE_NAME} when the load starts, so that a run that never finished can still be judged
 * ({@code fleetbench audit <run folder>}).
 *
 * @param runId               the run
 * @param profile             the load profile's file
 * @param stream              the stream the load went into
 * @param lake                the root of the Delta tables the pipeline writes; null when the run does not
 *                            know it ({@code simulate}: give {@code --lake})
 * @param schemaChangeVersion the schema version the profile's schema change sends, or the current one
 */
public record AuditTarget(String runId, String profile, String stream, String lake, int schemaChangeVersion) {
    /** The file in a run folder. */
    public static final String FILE_NAME = "audit-target.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes it into a run folder. */
    public void write(Path runDir) throws IOException {
        JSON.writeValue(runDir.resolve(FILE_NAME).toFile(), this);
    }

    /** Reads it from a run folder; empty if the folder has none. */
    public static Optional<AuditTarget> read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE_NAME);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), AuditTarget.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
