package io.fleetbench.telemetry.manifest;

/** An acknowledgement manifest that cannot be read; the message names the file and line. */
public final class ManifestException extends RuntimeException {
    public ManifestException(String message) {
        super(message);
    }
}
