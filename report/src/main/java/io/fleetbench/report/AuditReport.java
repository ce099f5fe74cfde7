package io.fleetbench.report;

import java.util.List;

/**
 * The verdict of {@code fleetbench audit} on a run folder, written as {@value #JSON_FILE} (for programs)
 * and {@value #TEXT_FILE} (for people) into the folder.
 *
 * @param runFolder    the run folder judged
 * @param lake         the root of the tables read
 * @param manifests    the acknowledgement manifests judged against
 * @param auditedAt    when, ISO-8601
 * @param seconds      how long the audit took
 * @param rowsPerSecond rows read per second, over both passes
 * @param tables       per event table, what the reader found
 * @param audit        the verdict
 */
public record AuditReport(String runFolder, String lake, List<String> manifests, String auditedAt, double seconds,
                          double rowsPerSecond, List<RunReport.Table> tables, RunReport.Audit audit) {
    /** The JSON file in the run folder. */
    public static final String JSON_FILE = "audit-report.json";
    /** The text file in the run folder. */
    public static final String TEXT_FILE = "audit.txt";
}
