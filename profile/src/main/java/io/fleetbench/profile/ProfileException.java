package io.fleetbench.profile;

/** A load profile that cannot be used: missing, unreadable, or breaking the schema. The message names the file, line and field. */
public final class ProfileException extends Exception {
    public ProfileException(String message) {
        super(message);
    }
}
