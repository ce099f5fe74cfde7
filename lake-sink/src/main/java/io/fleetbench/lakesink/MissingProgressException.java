package io.fleetbench.lakesink;

/**
 * A table holds a source's {@code txn} version but none of the commit files still in its log holds
 * the position committed with it (log cleanup deleted that commit), so the source cannot resume
 * exactly once from this table.
 */
public class MissingProgressException extends IllegalStateException {
    public MissingProgressException(String table, String appId, long txnVersion, long oldestVersion, long latestVersion) {
        this(table, appId, txnVersion, oldestVersion, latestVersion, null);
    }

    /** The same, with the failure that ended the search (a commit the log could no longer read). */
    public MissingProgressException(String table, String appId, long txnVersion, long oldestVersion, long latestVersion,
                                    Throwable cause) {
        super("table " + table + ": expected a commit holding the position of " + appId + " at txn version "
                + txnVersion + " in the commit files still in the log (versions " + oldestVersion + "-" + latestVersion
                + "), found none; it was probably deleted by log cleanup", cause);
    }
}
