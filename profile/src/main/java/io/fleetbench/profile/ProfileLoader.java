package io.fleetbench.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a {@link LoadProfile} from YAML and refuses anything it does not understand: unknown keys,
 * values of the wrong type or unit, and values that break a rule, each reported as
 * {@code <file>:<line>: <field> ...}.
 */
public final class ProfileLoader {
    private final ObjectMapper mapper;

    public ProfileLoader() {
        SimpleModule units = new SimpleModule("fleetbench-units");
        units.addDeserializer(Duration.class, new TextDeserializer<>("a duration such as 30s", Durations::parse));
        units.addDeserializer(DataSize.class, new TextDeserializer<>("a size such as 128MiB", DataSize::parse));
        units.addDeserializer(LocalTime.class, new TextDeserializer<>("a time of day such as 06:00", ProfileLoader::timeOfDay));
        mapper = new ObjectMapper(new YAMLFactory())
                .registerModule(units)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /** Loads and validates a profile file. */
    public LoadProfile load(Path file) throws ProfileException {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ProfileException(file + ": no such load profile file");
        } catch (IOException e) {
            throw new ProfileException(file + ": cannot read the load profile: " + e.getMessage());
        }
        return parse(file.toString(), yaml);
    }

    /** Parses and validates profile text; {@code source} names it in error messages. */
    public LoadProfile parse(String source, String yaml) throws ProfileException {
        if (yaml.isBlank()) {
            throw new ProfileException(source + ": the load profile is empty");
        }
        try {
            return mapper.readValue(yaml, LoadProfile.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ProfileException(at(source, yaml, path(e), e.getLocation()) + "unknown key \"" + path(e) + "\" (known keys here: "
                    + known + ")");
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof LoadProfile.InvalidFieldException invalid) {
                throw new ProfileException(at(source, yaml, invalid.field(), e.getLocation()) + invalid.getMessage());
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ProfileException(where(source, e.getLocation()) + path(e) + ": " + cause.getMessage());
        } catch (InvalidFormatException e) {
            throw new ProfileException(at(source, yaml, path(e), e.getLocation()) + path(e) + ": expected "
                    + e.getTargetType().getSimpleName().toLowerCase() + ", found \"" + e.getValue() + "\"");
        } catch (MismatchedInputException e) {
            String field = path(e);
            String message = e.getOriginalMessage();
            if (message.startsWith("Missing required creator property")) {
                throw new ProfileException(source + ": " + (field.isEmpty() ? "" : field + ": ")
                        + "required key is missing: " + message.replaceAll(".*'([^']+)'.*", "$1"));
            }
            throw new ProfileException(at(source, yaml, field, e.getLocation()) + (field.isEmpty() ? "" : field + ": ")
                    + message.replaceAll(" \\(for .*", ""));
        } catch (JsonMappingException e) {
            throw new ProfileException(at(source, yaml, path(e), e.getLocation()) + path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ProfileException(where(source, e.getLocation()) + "not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static LocalTime timeOfDay(String text) {
        try {
            return LocalTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a time of day HH:mm, found \"" + text + "\"", e);
        }
    }

    /** The key's own line where it can be found; Jackson's location often points past the value. */
    private String at(String source, String yaml, String field, JsonLocation fallback) {
        String dotted = field.replaceAll("\\[(\\d+)]", ".$1");
        Integer line = lineOf(yaml, dotted);
        // An element of a list has no key of its own; its list's key is nearer than Jackson's location,
        // which for the profile's thresholds (bound last) is the end of the file.
        while (line == null && dotted.matches(".+\\.\\d+")) {
            dotted = dotted.substring(0, dotted.lastIndexOf('.'));
            line = lineOf(yaml, dotted);
        }
        return line != null ? source + ":" + line + ": " : where(source, fallback);
    }

    private static String where(String source, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return source + ": ";
        }
        return source + ":" + location.getLineNr() + ": ";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    /** The line of a dotted key in the YAML text, found by walking the tokens once. */
    private Integer lineOf(String yaml, String dottedField) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = mapper.getFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    String pointer = p.getParsingContext().pathAsPointer().toString();
                    lines.putIfAbsent(pointer.substring(1).replace('/', '.'), p.currentLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            return null;
        }
        return lines.get(dottedField);
    }

    /** Reads a scalar as text and converts it, turning a conversion error into a message with the expected form. */
    private static final class TextDeserializer<T> extends JsonDeserializer<T> {
        private final String expected;
        private final java.util.function.Function<String, T> convert;

        TextDeserializer(String expected, java.util.function.Function<String, T> convert) {
            this.expected = expected;
            this.convert = convert;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                return (T) ctx.handleUnexpectedToken(Object.class, p);
            }
            try {
                return convert.apply(p.getValueAsString());
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw JsonMappingException.from(p, e.getMessage() + " (" + expected + ")", e);
            }
        }
    }
}
