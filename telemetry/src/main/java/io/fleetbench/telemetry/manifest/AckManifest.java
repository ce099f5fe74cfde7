package io.fleetbench.telemetry.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fleetbench.telemetry.EventIds;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An acknowledgement manifest: a producer's account of which events it had acknowledged, which
 * stayed ambiguous and which failed, per device as runs of sequence numbers. One file per producer
 * ({@code acks.manifest}, or {@code acks-<I>-of-<N>.manifest} for one of N instances), rewritten
 * whole and atomically as the run goes, so that a run killed at any moment leaves the manifest of its
 * last flush. Manifests of the instances of one fleet merge by union.
 *
 * <p>Text, UTF-8: a comment line, the {@link ManifestHeader} as one line of JSON, then one line per
 * device with anything recorded: the device id, then for each outcome with events a space, its
 * {@linkplain Outcome#code() code}, a colon and its runs, e.g.
 * <pre>
 * car-000017 a:1-57,60-80 r:58 g:59
 * </pre>
 */
public final class AckManifest {
    /** The file name of a whole fleet's manifest. */
    public static final String FILE_NAME = "acks.manifest";

    private static final JsonFactory JSON = new JsonFactory();
    /** Characters of device lines written at once. */
    private static final int CHUNK = 1 << 16;
    private static final String COMMENT = "# fleetbench acknowledgement manifest: <device> <outcome>:<runs of sequence"
            + " numbers>...; outcomes a acknowledged, r acknowledged after an ambiguous attempt, g ambiguous (given up),"
            + " f failed, d sent twice, m sent malformed, v sent with a newer schema version, x sent again after a"
            + " reshard";

    private AckManifest() {
    }

    /** The manifest file of instance {@code index} (1-based) of {@code count}. */
    public static String fileName(int index, int count) {
        return count == 1 ? FILE_NAME : "acks-" + index + "-of-" + count + ".manifest";
    }

    /**
     * Writes a ledger to {@code file} atomically: into a temporary file beside it, then renamed over it.
     */
    public static void write(Path file, ManifestHeader header, AckLedger ledger) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(COMMENT);
            w.write('\n');
            w.write(headerJson(header));
            w.write('\n');
            // Lines go out in chunks of many: one write call per line would cost more than making the line.
            StringBuilder chunk = new StringBuilder(CHUNK + 4096);
            for (int d = 0; d < ledger.devices(); d++) {
                if (ledger.appendLine(d, chunk)) {
                    chunk.append('\n');
                    if (chunk.length() >= CHUNK) {
                        w.append(chunk);
                        chunk.setLength(0);
                    }
                }
            }
            w.append(chunk);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** What a reader is handed, in file order. */
    public interface Visitor {
        /** The header, before any device. */
        void header(Path file, ManifestHeader header);

        /**
         * The runs of one outcome of one device.
         *
         * @param device the device as a {@linkplain EventIds#key device key} with sequence number 0
         */
        void runs(long device, Outcome outcome, SeqRuns runs);
    }

    /**
     * Reads one manifest.
     *
     * @throws ManifestException naming the file and line of anything malformed
     */
    public static void read(Path file, Visitor visitor) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            boolean headerSeen = false;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (!headerSeen) {
                    visitor.header(file, parseHeader(file, number, line));
                    headerSeen = true;
                    continue;
                }
                parseDevice(file, number, line, visitor);
            }
            if (!headerSeen) {
                throw new ManifestException(file + ": no header line: not an acknowledgement manifest");
            }
        }
    }

    /**
     * The manifests of a run folder: {@code acks.manifest} and {@code acks-*-of-*.manifest}, in name order.
     */
    public static List<Path> find(Path runFolder) {
        return find(runFolder, "acks*.manifest");
    }

    /**
     * The stream-loss manifests of a run folder ({@code stream-loss*.manifest}): the events that were in the
     * stream when a fault destroyed its contents (an in-memory emulator restarted), in this format, with every
     * such event recorded as {@link Outcome#ACKNOWLEDGED}.
     */
    public static List<Path> findStreamLoss(Path runFolder) {
        return find(runFolder, "stream-loss*.manifest");
    }

    private static List<Path> find(Path runFolder, String glob) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runFolder, glob)) {
            files.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + runFolder, e);
        }
        found.sort(null);
        return found;
    }

    /**
     * A whole manifest in memory, device id to outcome to runs: for tests and small fleets; an audit of a
     * large one reads with a {@link Visitor}.
     */
    public static Map<String, Map<Outcome, SeqRuns>> load(Path file) throws IOException {
        Map<String, Map<Outcome, SeqRuns>> devices = new HashMap<>();
        read(file, new Visitor() {
            @Override
            public void header(Path f, ManifestHeader header) {
            }

            @Override
            public void runs(long device, Outcome outcome, SeqRuns runs) {
                String id = EventIds.deviceId(EventIds.isCar(device), EventIds.device(device));
                devices.computeIfAbsent(id, k -> new HashMap<>()).computeIfAbsent(outcome, k -> new SeqRuns())
                        .addAll(runs);
            }
        });
        return devices;
    }

    /** Reads only the header of a manifest. */
    public static ManifestHeader readHeader(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (!line.isEmpty() && !line.startsWith("#")) {
                    return parseHeader(file, number, line);
                }
            }
        }
        throw new ManifestException(file + ": no header line: not an acknowledgement manifest");
    }

    private static void parseDevice(Path file, int number, String line, Visitor visitor) {
        int space = line.indexOf(' ');
        if (space < 0) {
            throw new ManifestException(file + ":" + number + ": expected a device id and its outcomes, found \""
                    + abbreviate(line) + "\"");
        }
        long device;
        try {
            device = EventIds.parseDeviceId(line.substring(0, space));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(file + ":" + number + ": " + e.getMessage());
        }
        int i = space + 1;
        while (i < line.length()) {
            int end = line.indexOf(' ', i);
            if (end < 0) {
                end = line.length();
            }
            Outcome outcome = end - i >= 2 && line.charAt(i + 1) == ':' ? Outcome.ofCode(line.charAt(i)) : null;
            if (outcome == null) {
                throw new ManifestException(file + ":" + number + ": expected <outcome code>:<runs>, found \""
                        + abbreviate(line.substring(i, end)) + "\"");
            }
            try {
                visitor.runs(device, outcome, SeqRuns.parse(line.substring(i + 2, end)));
            } catch (IllegalArgumentException e) {
                throw new ManifestException(file + ":" + number + ": " + e.getMessage());
            }
            i = end + 1;
        }
    }

    private static String headerJson(ManifestHeader h) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", ManifestHeader.FORMAT);
            g.writeNumberField("version", ManifestHeader.VERSION);
            g.writeNumberField("seed", h.seed());
            g.writeNumberField("cars", h.cars());
            g.writeNumberField("bikes", h.bikes());
            g.writeStringField("instance", h.instance());
            g.writeStringField("stream", h.stream());
            g.writeBooleanField("complete", h.complete());
            g.writeNumberField("written_at_millis", h.writtenAtMillis());
            g.writeObjectFieldStart("counts");
            for (Map.Entry<String, Long> e : h.counts().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toString();
    }

    private static ManifestHeader parseHeader(Path file, int number, String line) {
        String where = file + ":" + number;
        String format = null;
        int version = -1;
        long seed = 0;
        int cars = -1;
        int bikes = -1;
        String instance = "1/1";
        String stream = "";
        boolean complete = false;
        long writtenAt = 0;
        Map<String, Long> counts = new HashMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ManifestException(where + ": expected the manifest's header as a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "format" -> format = p.getText();
                    case "version" -> version = p.getIntValue();
                    case "seed" -> seed = p.getLongValue();
                    case "cars" -> cars = p.getIntValue();
                    case "bikes" -> bikes = p.getIntValue();
                    case "instance" -> instance = p.getText();
                    case "stream" -> stream = p.getText();
                    case "complete" -> complete = p.getBooleanValue();
                    case "written_at_millis" -> writtenAt = p.getLongValue();
                    case "counts" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            counts.put(key, p.getLongValue());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ManifestException(where + ": the header is not valid JSON: " + e.getMessage());
        }
        if (!ManifestHeader.FORMAT.equals(format)) {
            throw new ManifestException(where + ": expected \"format\": \"" + ManifestHeader.FORMAT + "\", found "
                    + (format == null ? "none" : "\"" + format + "\""));
        }
        if (version != ManifestHeader.VERSION) {
            throw new ManifestException(where + ": this build reads manifest version " + ManifestHeader.VERSION
                    + ", found " + version);
        }
        if (cars < 0 || bikes < 0) {
            throw new ManifestException(where + ": the header needs \"cars\" and \"bikes\"");
        }
        return new ManifestHeader(seed, cars, bikes, instance, stream, complete, writtenAt, counts);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
