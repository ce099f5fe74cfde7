package io.fleetbench.sink;

/**
 * Another writer claimed or committed for this source since this writer read the table: the source
 * was taken over. Nothing of the refused commit landed. A {@link ShardWriter} that throws this has
 * deleted what it had not committed and is closed; the new owner reads those records again.
 */
public class SourceTakenOverException extends RuntimeException {
    private final String appId;
    private final long expectedVersion;
    private final long foundVersion;

    public SourceTakenOverException(String table, String appId, long expectedVersion, long foundVersion) {
        super("table " + table + ": expected txn version " + expectedVersion + " for " + appId
                + ", found " + foundVersion + " (another writer committed for this source)");
        this.appId = appId;
        this.expectedVersion = expectedVersion;
        this.foundVersion = foundVersion;
    }

    /** The {@code txn} application id of the source. */
    public String appId() {
        return appId;
    }

    /** The version this writer read and meant to advance. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version found in the table. */
    public long foundVersion() {
        return foundVersion;
    }
}
